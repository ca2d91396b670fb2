// Part of the host API (see host-api.ts): the roots a client connection offers (answered to
// roots/list without asking, editable while connected), reconnecting with the same profile,
// progress of long operations, and task-augmented tool calls (MCP 2025-11-25 tasks).

import type { ConnectionInfo, OnConnection } from './host-api-connections.js';
import type { JsonObject } from './host-api.js';

export interface Root {
  uri: string;
  name?: string;
}

/** A task as the server reports it (tasks/get, tasks/list, the CreateTaskResult of a call). */
export type McpTask = JsonObject & { taskId: string; status: string };

export interface CallToolTaskArgs extends OnConnection {
  name: string;
  arguments?: JsonObject;
  /** How long the server should keep the task and its result (ms); the server may shorten it. */
  ttlMs?: number;
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
  /** The resources this connection is subscribed to (resources/subscribe not undone). */
  listSubscriptions: { args: OnConnection; result: { uris: string[] } };
  /** tools/call with `task`: the server answers at once with a task to poll, not the result. */
  callToolTask: { args: CallToolTaskArgs; result: { task: McpTask } };
  /** tasks/get. */
  getTask: { args: OnConnection & { taskId: string }; result: { task: McpTask } };
  /** tasks/result: waits until the task ends, then its result (a tool's CallToolResult). */
  getTaskResult: {
    args: OnConnection & { taskId: string; timeoutMs?: number };
    result: { result: JsonObject };
  };
  /** tasks/list, every page. */
  listTasks: { args: OnConnection; result: { tasks: McpTask[] } };
  /** tasks/cancel. */
  cancelTask: { args: OnConnection & { taskId: string }; result: { task: McpTask } };
}

export const INTERACT_COMMAND_FLAGS: Record<keyof InteractCommands, true> = {
  getRoots: true,
  setRoots: true,
  reconnect: true,
  listSubscriptions: true,
  callToolTask: true,
  getTask: true,
  getTaskResult: true,
  listTasks: true,
  cancelTask: true,
};

/** Progress of an operation started with an `opId` and `progress: true` (notifications/progress). */
export interface ProgressEvent {
  connectionId: string;
  /** The session recording the connection ('' when unrecorded): only its subscribers get this. */
  sessionId: string;
  opId: string;
  progress: number;
  total?: number;
  message?: string;
}

/** Events of this part; merged into HostEvents in host-api.ts. */
export interface InteractEvents {
  onProgress: ProgressEvent;
}

export const INTERACT_EVENT_FLAGS: Record<keyof InteractEvents, true> = { onProgress: true };
