// Part of the host API (see host-api.ts): saved connection profiles. They live in the engine's
// data directory (profiles.json), so browser mode and Electron share them and they survive
// restarts. A saved profile never holds a secret: environment values, credential header values
// and bearer tokens are dropped by the engine before anything is written, and the UI asks for
// them again when the profile is used.

import type { ConnectionProfile } from './host-api-connections.js';

export interface SavedProfile {
  /** The key: saving under an existing name replaces that profile. */
  name: string;
  transport: 'stdio' | 'streamable-http' | 'sse';
  command?: string;
  args?: string[];
  cwd?: string;
  /** Names of the environment variables the server was given; their values are never saved. */
  envKeys?: string[];
  url?: string;
  /** Header values that are not credentials. */
  headers?: Record<string, string>;
  /** Names of credential headers (Authorization, X-API-Key, …); their values are never saved. */
  secretHeaders?: string[];
  /** A bearer token was used; it is never saved. */
  bearerToken?: boolean;
  /** Connect with OAuth (the flow runs again on each connect; tokens are never saved). */
  auth?: 'oauth';
  roots?: { uri: string; name?: string }[];
  /** Epoch ms of the last save. */
  savedAt: number;
}

export interface SaveProfileArgs {
  name: string;
  /** The profile as the user filled it in; the engine strips every secret before saving. */
  profile: ConnectionProfile;
}

/** Commands of this part; merged into HostCommands in host-api.ts. */
export interface ProfileCommands {
  listProfiles: { args: undefined; result: SavedProfile[] };
  saveProfile: { args: SaveProfileArgs; result: SavedProfile };
  deleteProfile: { args: { name: string }; result: { deleted: boolean } };
}

export const PROFILE_COMMAND_FLAGS: Record<keyof ProfileCommands, true> = {
  listProfiles: true,
  saveProfile: true,
  deleteProfile: true,
};
