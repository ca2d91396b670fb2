// Part of the host API (see host-api.ts): client connections, server→client requests and recorder
// instructions. Split out only for size; host-api.ts re-exports everything here.

import type { JsonRpcId } from './protocol/jsonrpc.js';
import type { JsonObject, JsonValue, SessionServerInfo } from './host-api.js';

// ---------------------------------------------------------------------------------------------
// Client connections

export interface ClientOptions {
  /** Label shown in the UI and written into the capture source. */
  name?: string;
  /** Protocol version sent in `initialize` (default: the SDK's latest). */
  protocolVersion?: string;
  /** Client capabilities to declare; answered via onServerRequest. Default: all declared. */
  capabilities?: { sampling?: boolean; elicitation?: boolean; roots?: boolean };
  /** Roots offered when the server asks (roots/list). */
  roots?: { uri: string; name?: string }[];
  /** Per-request timeout in ms. */
  timeoutMs?: number;
}

export interface StdioProfile extends ClientOptions {
  transport: 'stdio';
  command: string;
  args?: string[];
  /** Added to (not replacing) the environment mcpscope runs in. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface HttpProfile extends ClientOptions {
  /** Streamable HTTP or legacy HTTP+SSE. */
  transport: 'streamable-http' | 'sse';
  url: string;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer …`. */
  bearerToken?: string;
}

export type ConnectionProfile = StdioProfile | HttpProfile;

export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'failed';

export interface Handshake {
  protocolVersion?: string;
  serverInfo?: SessionServerInfo;
  serverCapabilities?: JsonObject;
  clientCapabilities?: JsonObject;
  instructions?: string;
}

export interface ConnectionInfo {
  id: string;
  /** The session (capture) recording this connection's traffic. */
  sessionId: string;
  name: string;
  transport: 'stdio' | 'streamable-http' | 'sse';
  /** Command line or URL, secrets redacted. */
  target: string;
  status: ConnectionStatus;
  /** Why it closed or failed, in words that say what to do. */
  error?: string;
  handshake?: Handshake;
}

/** Arguments of operations on one connection. */
export interface OnConnection {
  connectionId: string;
}

/** Options of one request. */
export interface OperationOptions {
  /** Caller-chosen id, to `cancel` this operation while it runs. */
  opId?: string;
  /** Ask for progress notifications (sends a progressToken; progress arrives via onNotification). */
  progress?: boolean;
  timeoutMs?: number;
}

/** Tools, resources, templates and prompts are server data: only their key field is trusted. */
export type McpTool = JsonObject & { name: string };
export type McpResource = JsonObject & { uri: string };
export type McpResourceTemplate = JsonObject & { uriTemplate: string };
export type McpPrompt = JsonObject & { name: string };

export interface CallToolArgs extends OnConnection, OperationOptions {
  name: string;
  arguments?: JsonObject;
}

export interface SendRawArgs extends OnConnection {
  /** The JSON-RPC message exactly as typed; it may be invalid on purpose. */
  text: string;
  /** How long to wait for an answer when the message is a request (default 10 s). */
  timeoutMs?: number;
}

export interface SendRawResult {
  /** The exact text written to the wire. */
  sent: string;
  /** The response frame's text, if one came back with the same id. */
  response?: string;
  /** The parsed response, when it was JSON. */
  parsed?: JsonValue;
  /** True when the message had an id and no answer came before the timeout. */
  timedOut: boolean;
  /** False for a notification (no id) or text that is not JSON: no answer is expected. */
  expectsAnswer: boolean;
  latencyMs?: number;
  /** HTTP: the status of the POST. */
  httpStatus?: number;
  /** HTTP: the body of a non-JSON-RPC error response (e.g. a 400 for invalid JSON). */
  httpBody?: string;
}

export interface CancelArgs extends OnConnection {
  /** The `opId` given to the operation to cancel. */
  opId: string;
  reason?: string;
}

// ---------------------------------------------------------------------------------------------
// Server → client requests (sampling, elicitation, roots)

export interface ServerRequest {
  /** Host-assigned id to answer with (unique across connections). */
  id: string;
  connectionId: string;
  sessionId: string;
  /** e.g. sampling/createMessage, elicitation/create, roots/list. */
  method: string;
  params?: JsonObject;
  /** The JSON-RPC id the server used. */
  jsonrpcId: JsonRpcId;
  receivedAt: number;
}

export interface AnswerServerRequestArgs {
  id: string;
  /** The JSON-RPC result to send (e.g. a CreateMessageResult). */
  result: JsonObject;
}

export interface RejectServerRequestArgs {
  id: string;
  /** JSON-RPC error code (default -1: the user declined, as MCP's examples do). */
  code?: number;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Recorder instructions (what to paste into a host config)

export type RecorderRequest =
  | { transport: 'stdio'; name?: string; command: string; args?: string[]; env?: Record<string, string>; out?: string }
  | { transport: 'http'; name?: string; target: string; listen?: string; out?: string };

export interface RecorderInstructions {
  /** argv of the wrapper command (stdio) or of the proxy to start (http). */
  argv: string[];
  /** The same as one shell-quoted line for a terminal. */
  commandLine: string;
  /** The `mcpServers` entry to paste into a host config (Claude Desktop, Cursor, VS Code…). */
  hostConfig: JsonObject;
  /** HTTP: the local URL the host must use instead of the target. */
  proxyUrl?: string;
  /** What else the user should know (e.g. "start the proxy before the host"). */
  notes: string[];
}
