// The one typed contract between the UI (renderer/) and the engine (electron/engine/app/).
//
// Every command takes ONE JSON-serialisable argument object (or none) and resolves to a
// JSON-serialisable result; every event delivers one JSON-serialisable payload. The two channel
// maps below (HostCommands, HostEvents) bind each name to its types, and HostApi is derived from
// them, so no adapter (Electron IPC, WebSocket) ever carries an untyped payload. The runtime name
// lists at the bottom let adapters refuse unknown channels before touching a payload.
//
// Everything that originated at an MCP server (tool names, descriptions, results, stderr…) is
// typed as JSON data to be rendered as text, never as markup.

import { REPLAY_COMMAND_FLAGS, type ReplayCommands } from './host-api-replay.js';
import type { CaptureRecord, EventRecord, HeaderRecord, Transport } from './capture/types.js';
import type { JsonRpcId } from './protocol/jsonrpc.js';

// ---------------------------------------------------------------------------------------------
// JSON values
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// App

export interface AppInfo {
  /** mcpscope version (package.json). */
  version: string;
  /** Which adapter the UI is talking through. */
  mode: 'electron' | 'browser';
  /** Where mcpscope keeps its data (MCPSCOPE_HOME or the platform's user data folder). */
  dataDir: string;
  /** Where recorders write captures by default. */
  capturesDir: string;
  platform: string;
  /** The live-feed endpoint recorders stream to, if the app is accepting live sessions. */
  liveFeed?: { endpoint: string };
  /** Set when the app opened on the built-in demo: the demo's connection. */
  demoConnectionId?: string;
  /** Sessions of the files the app was started with (`mcpscope ui FILE…`): one is opened, several filter the library. */
  openSessions?: string[];
}

// ---------------------------------------------------------------------------------------------
// Sessions (the library)

/**
 * Where a session came from. `client`: a connection this app opened; `recorder`: a recorder
 * started by a host (live while it streams, then a closed file); `file`: a capture already in the
 * captures folder; `imported`: a capture the user imported (file picker, drag-and-drop, `ui FILE`);
 * `store`: a read-only copy of a team-store session (host-api-store.ts).
 */
export type SessionOrigin = 'client' | 'recorder' | 'file' | 'imported' | 'store';

export interface SessionServerInfo {
  name: string;
  version?: string;
  title?: string;
}

export interface SessionSummary {
  /** Stable id: the capture header's random id. */
  id: string;
  origin: SessionOrigin;
  /** True while records are still arriving (a running client connection or recorder). */
  live: boolean;
  /** Human label: server name, else the command or URL. */
  title: string;
  /** From the handshake, once seen. */
  server?: SessionServerInfo;
  protocolVersion?: string;
  transport: Transport;
  /** stdio command line (secrets redacted), if any. */
  command?: string[];
  /** HTTP target URL (credentials redacted), if any. */
  url?: string;
  /** Epoch ms of the capture header. */
  started: number;
  /** Last record's time minus `started`. */
  durationMs: number;
  /** JSON-RPC frames (type "frame" records). */
  frameCount: number;
  /** Error responses + invalid frames + error records. */
  errorCount: number;
  /** Every record incl. the header: the next seq to be written. */
  recordCount: number;
  /** Capture file on disk, when there is one. */
  path?: string;
  /** The client connection that produces this session (origin "client"). */
  connectionId?: string;
  /** Lines of the file that could not be read (tolerant reader), if any. */
  problems?: number;
  /** The capture ended with an `end` record. */
  closed: boolean;
  /** Hash-chain check, done when a file is opened or imported (absent: not checked yet). */
  integrity?: IntegrityReport;
}

export interface IntegrityReport {
  intact: boolean;
  /** Records checked. */
  checked: number;
  /** The first record that does not chain: its line and seq, and why. */
  firstBad?: { line: number; seq?: number; reason: string };
  /** Not tampering, but worth saying (e.g. the recording was cut off, no end record). */
  warnings: string[];
}

export interface ReadRecordsResult {
  header: HeaderRecord;
  records: EventRecord[];
  /** Pass as `fromSeq` to continue. */
  nextSeq: number;
  /** No more records right now (a live session may still add more: see onRecords). */
  done: boolean;
}

export interface ExportCaptureResult {
  /** Suggested file name, ending in .mcpscope.jsonl. */
  fileName: string;
  /** The capture exactly as recorded (hash chain intact). */
  text: string;
}

export * from './host-api-connections.js';
export * from './host-api-export.js';
import {
  EXPORT_COMMAND_FLAGS,
  type ExportAsArgs,
  type ExportAsResult,
  type ExportCommands,
} from './host-api-export.js';
export * from './host-api-hosts.js';
import { HOSTS_COMMAND_FLAGS, type HostsCommandMap } from './host-api-hosts.js';
export * from './host-api-findings.js';
import type { FindingsCommands } from './host-api-findings.js';
export * from './host-api-validate.js';
import type { ValidateToolArgsArgs, ValidateToolArgsResult } from './host-api-validate.js';
export * from './host-api-profiles.js';
import { PROFILE_COMMAND_FLAGS, type ProfileCommands } from './host-api-profiles.js';
export * from './host-api-uistate.js';
import { UI_STATE_COMMAND_FLAGS, type UiStateCommands } from './host-api-uistate.js';
export * from './host-api-interact.js';
import {
  INTERACT_COMMAND_FLAGS,
  INTERACT_EVENT_FLAGS,
  type InteractCommands,
  type InteractEvents,
} from './host-api-interact.js';
export * from './host-api-fuzz.js';
export * from './host-api-subscriptions.js';
import { SUBSCRIPTION_COMMAND_FLAGS, type SubscriptionCommands } from './host-api-subscriptions.js';
import type { FuzzCommands, FuzzEvents } from './host-api-fuzz.js';
export * from './host-api-retention.js';
export * from './host-api-age.js';
export * from './host-api-upload.js';
import { UPLOAD_COMMAND_FLAGS, type UploadCommands } from './host-api-upload.js';
import { AGE_COMMAND_FLAGS, type AgeCommands } from './host-api-age.js';
import { RETENTION_COMMAND_FLAGS, type RetentionCommands } from './host-api-retention.js';
import { SCALE_COMMAND_FLAGS, type ScaleCommands } from './host-api-scale.js';
export * from './host-api-store.js';
export * from './host-api-oauth.js';
import {
  OAUTH_COMMAND_FLAGS,
  OAUTH_EVENT_FLAGS,
  type OAuthCommands,
  type OAuthEvents,
} from './host-api-oauth.js';
import { STORE_COMMAND_FLAGS, type StoreCommands } from './host-api-store.js';
export type { ReadRecordsArgs, ImportCaptureArgs } from './host-api-schemas.js';
import type { ReadRecordsArgs, ImportCaptureArgs } from './host-api-schemas.js';
import type {
  ConnectionProfile,
  ConnectionInfo,
  OnConnection,
  OperationOptions,
  McpTool,
  McpResource,
  McpResourceTemplate,
  McpPrompt,
  CallToolArgs,
  SendRawArgs,
  SendRawResult,
  CancelArgs,
  ServerRequest,
  AnswerServerRequestArgs,
  RejectServerRequestArgs,
  RecorderRequest,
  RecorderInstructions,
} from './host-api-connections.js';

// ---------------------------------------------------------------------------------------------
// Event payloads

export interface RecordsEvent {
  sessionId: string;
  /** Newly written records, in seq order (a batch: several per event). */
  records: EventRecord[];
}

export interface NotificationEvent {
  connectionId: string;
  /** The session recording the connection ('' when unrecorded): only its subscribers get this. */
  sessionId: string;
  method: string;
  params?: JsonObject;
}

// ---------------------------------------------------------------------------------------------
// The channel maps

/** `args: undefined` means the command takes no argument. */
export interface HostCommands
  extends
    HostsCommandMap,
    ScaleCommands,
    ReplayCommands,
    FindingsCommands,
    ExportCommands,
    ProfileCommands,
    UiStateCommands,
    InteractCommands,
    FuzzCommands,
    SubscriptionCommands,
    RetentionCommands,
    AgeCommands,
    UploadCommands,
    StoreCommands,
    OAuthCommands {
  appInfo: { args: undefined; result: AppInfo };

  listSessions: { args: undefined; result: SessionSummary[] };
  getSession: { args: { sessionId: string }; result: SessionSummary };
  readRecords: { args: ReadRecordsArgs; result: ReadRecordsResult };
  importCapture: { args: ImportCaptureArgs; result: SessionSummary };
  exportCapture: { args: { sessionId: string }; result: ExportCaptureResult };
  /** A report, fixture or redacted capture of a session (the Export menu). */
  exportAs: { args: ExportAsArgs; result: ExportAsResult };
  deleteSession: { args: { sessionId: string }; result: { deleted: boolean } };
  /** Look for capture files added to the captures folder since start (e.g. by an HTTP recorder). */
  rescanCaptures: { args: undefined; result: { added: number } };
  /** Check the session's capture file's hash chain now (what `mcpscope verify` does). */
  verifySession: { args: { sessionId: string }; result: IntegrityReport };

  listConnections: { args: undefined; result: ConnectionInfo[] };
  connect: { args: ConnectionProfile; result: ConnectionInfo };
  disconnect: { args: OnConnection; result: ConnectionInfo };
  listTools: { args: OnConnection; result: { tools: McpTool[] } };
  listResources: { args: OnConnection; result: { resources: McpResource[] } };
  listResourceTemplates: {
    args: OnConnection;
    result: { resourceTemplates: McpResourceTemplate[] };
  };
  listPrompts: { args: OnConnection; result: { prompts: McpPrompt[] } };
  callTool: { args: CallToolArgs; result: { result: JsonObject } };
  validateToolArgs: { args: ValidateToolArgsArgs; result: ValidateToolArgsResult };
  readResource: {
    args: OnConnection & OperationOptions & { uri: string };
    result: { result: JsonObject };
  };
  subscribeResource: { args: OnConnection & { uri: string }; result: { ok: true } };
  unsubscribeResource: { args: OnConnection & { uri: string }; result: { ok: true } };
  getPrompt: {
    args: OnConnection & OperationOptions & { name: string; arguments?: Record<string, string> };
    result: { result: JsonObject };
  };
  /** completion/complete: `ref` is `{type:"ref/prompt",name}` or `{type:"ref/resource",uri}`. */
  complete: {
    args: OnConnection & {
      ref: JsonObject;
      argument: { name: string; value: string };
      context?: JsonObject;
    };
    result: { result: JsonObject };
  };
  setLoggingLevel: { args: OnConnection & { level: string }; result: { ok: true } };
  ping: { args: OnConnection; result: { ok: true; latencyMs: number } };
  sendRaw: { args: SendRawArgs; result: SendRawResult };
  cancel: { args: CancelArgs; result: { sent: boolean } };

  listServerRequests: { args: undefined; result: ServerRequest[] };
  answerServerRequest: { args: AnswerServerRequestArgs; result: { sent: boolean } };
  rejectServerRequest: { args: RejectServerRequestArgs; result: { sent: boolean } };

  recorderInstructions: { args: RecorderRequest; result: RecorderInstructions };
}

export interface HostEvents extends FuzzEvents, InteractEvents, OAuthEvents {
  /** A session appeared or changed (new records, went live/closed, handshake seen). */
  onSession: SessionSummary;
  onSessionRemoved: { sessionId: string };
  /** Live records of a session: only to UIs subscribed to it (subscribeSessions). */
  onRecords: RecordsEvent;
  onConnection: ConnectionInfo;
  onServerRequest: ServerRequest;
  /** A server request was answered, rejected, cancelled by the server, or its connection closed. */
  onServerRequestDone: { id: string; outcome: 'answered' | 'rejected' | 'cancelled' | 'closed' };
  /** A server notification: only to UIs subscribed to the connection's session. */
  onNotification: NotificationEvent;
}

export type CommandName = keyof HostCommands;
export type EventName = keyof HostEvents;
export type CommandArgs<K extends CommandName> = HostCommands[K]['args'];
export type CommandResult<K extends CommandName> = HostCommands[K]['result'];
export type Unsubscribe = () => void;

/** The API as the UI sees it: commands as async methods, events as `onX(listener)`. */
export type HostApi = {
  [K in CommandName]: CommandArgs<K> extends undefined
    ? () => Promise<CommandResult<K>>
    : (args: CommandArgs<K>) => Promise<CommandResult<K>>;
} & {
  [K in EventName]: (listener: (payload: HostEvents[K]) => void) => Unsubscribe;
};

/** The commands alone: what the engine implements (events are pushed through an emitter). */
export type HostCommandsApi = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResult<K>>;
};

/** Where an engine pushes events; the adapters fan them out to connected UIs. */
export type HostEventSink = <K extends EventName>(name: K, payload: HostEvents[K]) => void;

// Runtime name lists, checked against the maps at compile time (a missing or extra key fails).
const COMMAND_FLAGS: Record<CommandName, true> = {
  ...PROFILE_COMMAND_FLAGS,
  ...EXPORT_COMMAND_FLAGS,
  ...UI_STATE_COMMAND_FLAGS,
  ...INTERACT_COMMAND_FLAGS,
  ...SUBSCRIPTION_COMMAND_FLAGS,
  ...RETENTION_COMMAND_FLAGS,
  ...AGE_COMMAND_FLAGS,
  ...UPLOAD_COMMAND_FLAGS,
  ...STORE_COMMAND_FLAGS,
  ...OAUTH_COMMAND_FLAGS,
  ...SCALE_COMMAND_FLAGS,
  appInfo: true,
  listSessions: true,
  getSession: true,
  readRecords: true,
  importCapture: true,
  exportCapture: true,
  exportAs: true,
  deleteSession: true,
  verifySession: true,
  rescanCaptures: true,
  listConnections: true,
  connect: true,
  disconnect: true,
  listTools: true,
  listResources: true,
  listResourceTemplates: true,
  listPrompts: true,
  callTool: true,
  validateToolArgs: true,
  readResource: true,
  subscribeResource: true,
  unsubscribeResource: true,
  getPrompt: true,
  complete: true,
  setLoggingLevel: true,
  ping: true,
  sendRaw: true,
  cancel: true,
  listServerRequests: true,
  answerServerRequest: true,
  rejectServerRequest: true,
  recorderInstructions: true,
  ...HOSTS_COMMAND_FLAGS,
  ...REPLAY_COMMAND_FLAGS,
  getFindings: true,
  scanCapture: true,
  startFuzz: true,
  stopFuzz: true,
};
const EVENT_FLAGS: Record<EventName, true> = {
  ...INTERACT_EVENT_FLAGS,
  ...OAUTH_EVENT_FLAGS,
  onSession: true,
  onSessionRemoved: true,
  onRecords: true,
  onConnection: true,
  onServerRequest: true,
  onServerRequestDone: true,
  onNotification: true,
  onFuzzProgress: true,
  onFuzzFinding: true,
  onFuzzDone: true,
};

export const COMMAND_NAMES = Object.freeze(Object.keys(COMMAND_FLAGS) as CommandName[]);
export const EVENT_NAMES = Object.freeze(Object.keys(EVENT_FLAGS) as EventName[]);

export function isCommandName(v: unknown): v is CommandName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(COMMAND_FLAGS, v);
}
export function isEventName(v: unknown): v is EventName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(EVENT_FLAGS, v);
}

/** Error codes a command can fail with (the message always says what to do). */
export type HostErrorCode =
  'bad-request' | 'not-found' | 'unavailable' | 'failed' | 'timeout' | 'disconnected';

export interface HostErrorData {
  code: HostErrorCode;
  message: string;
  /** JSON-RPC error from the server, when the failure came from it. */
  rpcError?: { code: number; message: string; data?: JsonValue };
}

/** Thrown by engine commands and re-thrown on the UI side with the same code and message. */
export class HostApiError extends Error {
  readonly code: HostErrorCode;
  readonly rpcError: HostErrorData['rpcError'];
  constructor(code: HostErrorCode, message: string, rpcError?: HostErrorData['rpcError']) {
    super(message);
    this.name = 'HostApiError';
    this.code = code;
    this.rpcError = rpcError;
  }
  toData(): HostErrorData {
    return this.rpcError
      ? { code: this.code, message: this.message, rpcError: this.rpcError }
      : { code: this.code, message: this.message };
  }
}

export type { CaptureRecord, EventRecord, HeaderRecord, Transport, JsonRpcId };
export type * from './host-api-replay.js';
