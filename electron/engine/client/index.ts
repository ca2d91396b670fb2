// Client mode: mcpscope as a recorded MCP client over stdio, Streamable HTTP and legacy SSE.
// Electron-free; used by the CLI (inspect/call/read/prompt), the scanner, replay/fuzz and the
// app's host-api. Every frame is recorded from the wire before the SDK interprets it.

export type * from './types.js';
export { ConnectionManager, type ConnectionManagerOptions } from './manager.js';
export { Connection } from './connection.js';
export { inspectTarget } from './inspect.js';
export { ConnectError } from './errors.js';
export { loadPolicy, parsePolicy, USER_REJECTED } from './server-requests.js';
export { maskTarget } from './transports.js';
export { DEFAULT_TIMEOUT_MS } from './connection.js';
