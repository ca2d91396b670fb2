// Part of the host API (see host-api.ts): client connections, server→client requests and recorder
// instructions. Split out only for size; host-api.ts re-exports everything here.

import type { JsonRpcId } from './protocol/jsonrpc.js';
import type { JsonObject, JsonValue, SessionServerInfo } from './host-api.js';
import type { TargetTransport } from './target.js';

// Argument types come from their zod schemas (one definition: type and runtime check).
export type {
  ClientOptions,
  StdioProfile,
  HttpProfile,
  ConnectionProfile,
  OnConnection,
  OperationOptions,
  CallToolArgs,
  SendRawArgs,
  CancelArgs,
  AnswerServerRequestArgs,
  RejectServerRequestArgs,
  RecorderRequest,
} from './host-api-schemas.js';
export type { ServerTarget, StdioTarget, HttpTarget, TargetTransport } from './target.js';

// ---------------------------------------------------------------------------------------------
// Client connections

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
  transport: TargetTransport;
  /** Command line or URL, secrets redacted. */
  target: string;
  status: ConnectionStatus;
  /** Why it closed or failed, in words that say what to do. */
  error?: string;
  handshake?: Handshake;
}

/** Tools, resources, templates and prompts are server data: only their key field is trusted. */
export type McpTool = JsonObject & { name: string };
export type McpResource = JsonObject & { uri: string };
export type McpResourceTemplate = JsonObject & { uriTemplate: string };
export type McpPrompt = JsonObject & { name: string };

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

// ---------------------------------------------------------------------------------------------
// Recorder instructions (what to paste into a host config)

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
