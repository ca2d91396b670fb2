// The host-api commands of task-augmented tool calls (MCP 2025-11-25 tasks) and of the
// resource subscriptions of a client connection. Everything the server says about a task is
// passed on as JSON data.

import {
  HostApiError,
  type HostCommandsApi,
  type InteractCommands,
  type JsonObject,
  type McpTask,
} from '../../../shared/host-api.js';
import type { Connection } from '../client/index.js';

type TaskCommands = Pick<
  HostCommandsApi,
  Exclude<keyof InteractCommands, 'getRoots' | 'setRoots' | 'reconnect'>
>;

/** A task object from the server, checked for the two fields the UI keys on. */
export function asTask(v: JsonObject, what: string): McpTask {
  if (typeof v.taskId !== 'string' || typeof v.status !== 'string')
    throw new HostApiError(
      'failed',
      `${what}: the server's answer has no task (taskId and status strings expected); see the timeline for what it sent`,
    );
  return v as McpTask;
}

export function taskCommands(conn: (a: { connectionId: string }) => Connection): TaskCommands {
  return {
    listSubscriptions: async (a) => ({ uris: [...conn(a).subscriptions] }),
    callToolTask: async (a) => ({
      task: asTask(
        await conn(a).callToolAsTask(a.name, a.arguments ?? {}, a.ttlMs),
        'tools/call (task)',
      ),
    }),
    getTask: async (a) => ({ task: asTask(await conn(a).getTask(a.taskId), 'tasks/get') }),
    getTaskResult: async (a) => ({
      result: await conn(a).getTaskResult(
        a.taskId,
        a.timeoutMs !== undefined ? { timeoutMs: a.timeoutMs } : undefined,
      ),
    }),
    listTasks: async (a) => ({
      tasks: (await conn(a).listTasks()).map((t) => asTask(t, 'tasks/list')),
    }),
    cancelTask: async (a) => ({ task: asTask(await conn(a).cancelTask(a.taskId), 'tasks/cancel') }),
  };
}
