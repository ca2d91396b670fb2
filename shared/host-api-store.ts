// Part of the host API (see host-api.ts): team stores (PostgreSQL, issue #19) as library
// sources. The connection string goes to the engine once and never comes back: the UI sees a
// source id and a label with the password hidden. The engine keeps it in memory (browser mode:
// asked again each run) or, in Electron, encrypted with the OS keychain (safeStorage).

import type { SessionSummary } from './host-api.js';

export interface StoreSourceInfo {
  id: string;
  /** The URL with its password hidden. */
  label: string;
  /** Kept encrypted on disk for later runs (Electron safeStorage); else only in memory. */
  remembered: boolean;
}

export interface StoreSessionInfo {
  id: string;
  /** ISO 8601. */
  created: string;
  transport: string;
  server: string | null;
  records: number;
  findings: number;
  /** False while a `record --sink` session is still recording (it cannot be opened yet). */
  complete: boolean;
}

export interface AddStoreSourceArgs {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Keep it (encrypted) for later runs; refused when the app cannot encrypt (browser mode). */
  remember?: boolean;
}

export interface ListStoreSessionsArgs {
  sourceId: string;
  /** Words matched against the session id, server name and source (command or URL). */
  text?: string;
  server?: string;
  /** Sessions with a finding of this rule. */
  finding?: string;
  /** ISO 8601 date or time: created at or after. */
  since?: string;
  limit?: number;
}

export interface StoreCommands {
  addStoreSource: { args: AddStoreSourceArgs; result: StoreSourceInfo };
  listStoreSources: { args: undefined; result: StoreSourceInfo[] };
  removeStoreSource: { args: { sourceId: string }; result: { removed: boolean } };
  listStoreSessions: { args: ListStoreSessionsArgs; result: StoreSessionInfo[] };
  /** Pulls the session (byte for byte, verified) and adds it to the library, origin "store". */
  openStoreSession: { args: { sourceId: string; sessionId: string }; result: SessionSummary };
}

export const STORE_COMMAND_FLAGS: Record<keyof StoreCommands, true> = {
  addStoreSource: true,
  listStoreSources: true,
  removeStoreSource: true,
  listStoreSessions: true,
  openStoreSession: true,
};
