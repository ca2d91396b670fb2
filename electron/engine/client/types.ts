// Public types of client mode: what a caller (CLI, scanner, the app's host-api, replay, fuzz)
// passes in and gets back. Plain JSON-serialisable data only, so the host-api can forward them.

import type { EventRecord } from '../../../shared/capture/index.js';
import type { ListChange, ListKind } from '../../../shared/protocol/session.js';

// The target model, JSON values, statuses and raw-send results are the host-api's (shared/):
// one definition each, so the app forwards them without conversion.
export type { ServerTarget, StdioTarget, HttpTarget } from '../../../shared/target.js';
export type {
  JsonObject,
  JsonValue,
  ConnectionStatus,
  SendRawResult,
} from '../../../shared/host-api.js';
import type { JsonObject, ConnectionStatus } from '../../../shared/host-api.js';
import type { ServerTarget } from '../../../shared/target.js';
import type { OAuthSession } from './oauth.js';

export interface ClientIdentity {
  name: string;
  version: string;
}

/** Capabilities mcpscope declares in `initialize`; undefined members are not declared. */
export interface DeclaredCapabilities {
  roots?: { listChanged?: boolean };
  sampling?: JsonObject;
  elicitation?: JsonObject;
  /** Anything else to put in `capabilities.experimental`. */
  experimental?: JsonObject;
}

/** What the connection answers to server → client requests when nobody (no UI) answers them. */
export interface HeadlessPolicy {
  /** Result objects by method (`sampling/createMessage`, `elicitation/create`, `roots/list`). */
  answers?: Partial<Record<ServerRequestMethod, JsonObject>>;
  /** Roots offered for `roots/list` when `answers['roots/list']` is not given. */
  roots?: { uri: string; name?: string }[];
}

export type ServerRequestMethod =
  'sampling/createMessage' | 'elicitation/create' | 'roots/list' | 'ping';

export interface ConnectOptions {
  /** Label shown in the app and written to the capture header. */
  name?: string;
  /** Protocol version sent in `initialize` (default: the SDK's latest). */
  protocolVersion?: string;
  /** Client capabilities to declare (default: none). */
  capabilities?: DeclaredCapabilities;
  clientInfo?: ClientIdentity;
  /** OAuth bearer token for HTTP targets (sent as `Authorization: Bearer …`, masked in the capture). */
  bearerToken?: string;
  /** OAuth for a Streamable HTTP server (oauth.ts): authorized before the handshake. */
  oauth?: OAuthSession;
  /**
   * Capture file path. Default: a new file under capturesDir(). Pass a CaptureWriter-backed
   * shared capture through ConnectionManager's constructor to put several connections in one file.
   */
  capturePath?: string;
  /** Per-request timeout in ms (default 60 000). */
  timeoutMs?: number;
  /** Progress notifications restart the timeout (default true), up to `maxTotalTimeoutMs`. */
  resetTimeoutOnProgress?: boolean;
  maxTotalTimeoutMs?: number;
  /**
   * Answers to server → client requests when no listener answers within `serverRequestWaitMs`.
   * Without a policy such requests are rejected with a JSON-RPC error saying so.
   */
  policy?: HeadlessPolicy;
  /** How long a server request waits for a listener's answer before the policy decides (default: forever if a listener exists, 0 otherwise). */
  serverRequestWaitMs?: number;
  /** Refresh the lists when the server sends `…/list_changed` (default true). */
  refreshOnListChanged?: boolean;
  /** Lines of stderr kept for error messages (default 20). */
  stderrTail?: number;
}

export interface InspectResult {
  protocolVersion: string;
  serverInfo: JsonObject;
  capabilities: JsonObject;
  instructions: string | null;
  tools: JsonObject[];
  resources: JsonObject[];
  resourceTemplates: JsonObject[];
  prompts: JsonObject[];
}

export interface InspectOptions extends Omit<ConnectOptions, 'policy' | 'refreshOnListChanged'> {
  /** Write the session to this capture file; omitted: no capture file is kept. */
  out?: string;
  /**
   * Told when a declared list answers "method not found" (-32601): that list is reported empty
   * instead of failing the whole inspection (older servers often lack resources/templates/list).
   */
  onWarning?: (message: string) => void;
}

/** The engine-side state of one connection (structured target, capture path); the host-api ConnectionInfo is derived from it for the UI. */
export interface ConnectionState {
  id: string;
  name: string;
  /** The target with secrets (headers, env values, URL credentials) masked. */
  target: ServerTarget;
  status: ConnectionStatus;
  /** Why it closed or failed. */
  error?: string;
  capturePath: string;
  protocolVersion?: string;
  serverInfo?: JsonObject;
  serverCapabilities?: JsonObject;
  instructions?: string;
}

/** Options for one operation. */
export interface RequestOptions {
  timeoutMs?: number;
  resetTimeoutOnProgress?: boolean;
  maxTotalTimeoutMs?: number;
  /** Ask for progress notifications (sends a progressToken) and receive them here. */
  onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
  /** Caller-chosen id to cancel this operation with `cancel(opId)`. */
  opId?: string;
  signal?: AbortSignal;
}

export interface PendingServerRequest {
  connId: string;
  /** Key to answer with: the JSON-RPC id as a string (idKey). */
  key: string;
  id: string | number;
  method: string;
  params: JsonObject;
  receivedAt: number;
}

export interface ListsSnapshot {
  kind: ListKind;
  items: JsonObject[];
  history: ListChange[];
}

/** Events raised by a ConnectionManager. */
export interface ClientEvents {
  /** A capture record (frame, stderr, spawn, exit, http, error…) of a connection. */
  record: { connId: string; record: EventRecord };
  status: { connId: string; info: ConnectionState };
  notification: { connId: string; method: string; params: JsonObject };
  serverRequest: PendingServerRequest;
  /** A list was refreshed after list_changed (or an explicit list call) and differed. */
  listChanged: { connId: string; kind: ListKind; change: ListChange; items: JsonObject[] };
}
