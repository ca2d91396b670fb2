// Public types of client mode: what a caller (CLI, scanner, the app's host-api, replay, fuzz)
// passes in and gets back. Plain JSON-serialisable data only, so the host-api can forward them.

import type { EventRecord } from '../../../shared/capture/index.js';
import type { ListChange, ListKind } from '../../../shared/protocol/session.js';

/** Where the server is. `http` speaks Streamable HTTP, or legacy HTTP+SSE when `sse` is true. */
export type ServerTarget =
  | {
      kind: 'stdio';
      command: string;
      args?: string[];
      /** Set on top of a minimal environment (HOME, PATH, … like the SDK's default). */
      env?: Record<string, string>;
      cwd?: string;
      /** Pass mcpscope's whole environment (every token in it) instead of the minimal one. */
      inheritEnv?: boolean;
    }
  | { kind: 'http'; url: string; headers?: Record<string, string>; sse?: boolean };

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = Record<string, unknown>;

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

export type ServerRequestMethod = 'sampling/createMessage' | 'elicitation/create' | 'roots/list' | 'ping';

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

export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'failed';

export interface ConnectionInfo {
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

export interface RawSendResult {
  /** The exact text written to the wire. */
  sent: string;
  /** The response frame's text, if one came back with the same id. */
  response?: string;
  /** The parsed response, when it was JSON. */
  parsed?: unknown;
  /** True when the message had an id and no answer came before the timeout. */
  timedOut: boolean;
  /** A notification (no id) expects no answer; or the text was not JSON at all. */
  expectsAnswer: boolean;
  latencyMs?: number;
  /** HTTP: the status of the POST (Streamable HTTP / legacy SSE). */
  httpStatus?: number;
  /** HTTP: the body of a non-JSON-RPC error response (e.g. a 400 for invalid JSON). */
  httpBody?: string;
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
  status: { connId: string; info: ConnectionInfo };
  notification: { connId: string; method: string; params: JsonObject };
  serverRequest: PendingServerRequest;
  /** A list was refreshed after list_changed (or an explicit list call) and differed. */
  listChanged: { connId: string; kind: ListKind; change: ListChange; items: JsonObject[] };
}
