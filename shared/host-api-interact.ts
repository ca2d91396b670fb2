// Part of the host API (see host-api.ts): the roots a client connection offers (answered to
// roots/list without asking, editable while connected) and reconnecting with the same profile.

import type { ConnectionInfo, OnConnection } from './host-api-connections.js';

export interface Root {
  uri: string;
  name?: string;
}

/** Commands of this part; merged into HostCommands in host-api.ts. */
export interface InteractCommands {
  /** The roots this connection answers roots/list with. */
  getRoots: { args: OnConnection; result: { roots: Root[] } };
  /** Replace them; the server is told (notifications/roots/list_changed) and may ask again. */
  setRoots: {
    args: OnConnection & { roots: Root[] };
    result: { roots: Root[]; notified: boolean };
  };
  /** Open a new connection (and session) with the profile this one was opened with. */
  reconnect: { args: OnConnection; result: ConnectionInfo };
}

export const INTERACT_COMMAND_FLAGS: Record<keyof InteractCommands, true> = {
  getRoots: true,
  setRoots: true,
  reconnect: true,
};
