// The operations a user (or the scanner, replay, fuzzing) performs on an open connection: each
// SDK call with its timeout, progress and cancel handling, and the session's list history.
// Connection (connection.ts) adds the lifecycle: open, handshake, notifications, close.

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions as SdkRequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CreateTaskResultSchema, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { LIST_KINDS, type ListKind } from '../../../shared/protocol/session.js';
import type {
  McpPrompt,
  McpResource,
  McpResourceTemplate,
  McpTool,
} from '../../../shared/host-api.js';
import { nowMs } from '../clock.js';
import type { Connection } from './connection.js';
import { tidyRpcMessage } from './errors.js';
import { LIST_METHOD, ListHistory, listAll, MAX_PAGES } from './lists.js';
import type { ConnRecorder } from './recorder.js';
import type {
  ClientEvents,
  ConnectOptions,
  ConnectionStatus,
  JsonObject,
  ListsSnapshot,
  RequestOptions,
} from './types.js';

export const DEFAULT_TIMEOUT_MS = 60_000;

/** How a Connection reports to its manager (or to inspectTarget). */
export interface ConnectionHost {
  emit: <K extends keyof ClientEvents>(event: K, payload: ClientEvents[K]) => void;
  hasListener: (event: keyof ClientEvents) => boolean;
  /** Called once when the connection ends (closed or failed), e.g. to close its own capture file. */
  onEnd?: (conn: Connection, reason: string) => void;
}

export abstract class ConnectionOperations {
  protected statusValue: ConnectionStatus = 'connecting';
  protected errorText: string | undefined;
  protected client: Client | undefined;
  protected closing = false;
  protected readonly ops = new Map<string, AbortController>();
  protected readonly lists = new ListHistory();

  constructor(
    readonly id: string,
    protected readonly opts: ConnectOptions,
    readonly rec: ConnRecorder,
    protected readonly host: ConnectionHost,
  ) {}

  protected requireClient(method: string): Client {
    if (!this.client || this.statusValue !== 'open') {
      throw new Error(
        `cannot send ${method}: the connection is ${this.statusValue}${this.errorText ? ` (${this.errorText})` : ''}. Reconnect first.`,
      );
    }
    return this.client;
  }

  protected sdkOptions(
    o: RequestOptions | undefined,
    forceProgress = false,
  ): { options: SdkRequestOptions; done: () => void } {
    const ctl = new AbortController();
    const onOuterAbort = (): void => ctl.abort(o?.signal?.reason);
    o?.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (o?.opId !== undefined) this.ops.set(o.opId, ctl);
    const onprogress = o?.onProgress ?? (forceProgress ? () => undefined : undefined);
    const options: SdkRequestOptions = {
      timeout: o?.timeoutMs ?? this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      resetTimeoutOnProgress: o?.resetTimeoutOnProgress ?? this.opts.resetTimeoutOnProgress ?? true,
      signal: ctl.signal,
      ...(onprogress
        ? {
            onprogress: (p: { progress: number; total?: number; message?: string }) =>
              onprogress(p),
          }
        : {}),
    };
    const max = o?.maxTotalTimeoutMs ?? this.opts.maxTotalTimeoutMs;
    if (max !== undefined) options.maxTotalTimeout = max;
    return {
      options,
      done: () => {
        o?.signal?.removeEventListener('abort', onOuterAbort);
        if (o?.opId !== undefined && this.ops.get(o.opId) === ctl) this.ops.delete(o.opId);
      },
    };
  }

  /** Run one SDK call with options, turning "connection closed" into a message that says why. */
  protected async run<T>(
    method: string,
    o: RequestOptions | undefined,
    fn: (c: Client, opts: SdkRequestOptions) => Promise<T>,
    forceProgress = false,
  ): Promise<T> {
    const client = this.requireClient(method);
    const { options, done } = this.sdkOptions(o, forceProgress);
    try {
      return await fn(client, options);
    } catch (e) {
      if (this.statusValue === 'closed' && !this.closing) {
        throw new Error(
          `${method} failed: the server closed the connection before answering (${this.errorText ?? 'closed'})`,
          { cause: e },
        );
      }
      if (e instanceof Error) e.message = tidyRpcMessage(e.message);
      throw e;
    } finally {
      done();
    }
  }

  /** Every item of a list (every page), recorded in the session's list history. */
  async list(kind: ListKind, o?: RequestOptions): Promise<JsonObject[]> {
    // One set of options (timeout, cancel signal) shared by every page of the listing.
    const items = await this.run(LIST_METHOD[kind], o, (c, opts) => listAll(c, kind, () => opts));
    const change = this.lists.update(kind, items, this.rec.writer.records - 1, nowMs());
    if (change) this.host.emit('listChanged', { connId: this.id, kind, change, items });
    return items;
  }

  // The SDK checked each page against its schemas (a tool has a string name, a resource a uri…),
  // so the key field's type is known here; everything else stays JSON data.
  listTools(o?: RequestOptions): Promise<McpTool[]> {
    return this.list('tools', o) as Promise<McpTool[]>;
  }
  listResources(o?: RequestOptions): Promise<McpResource[]> {
    return this.list('resources', o) as Promise<McpResource[]>;
  }
  listResourceTemplates(o?: RequestOptions): Promise<McpResourceTemplate[]> {
    return this.list('resourceTemplates', o) as Promise<McpResourceTemplate[]>;
  }
  listPrompts(o?: RequestOptions): Promise<McpPrompt[]> {
    return this.list('prompts', o) as Promise<McpPrompt[]>;
  }

  /** The latest listing of each kind and how it changed over the session. */
  snapshots(): ListsSnapshot[] {
    return LIST_KINDS.map((kind) => ({ kind, ...this.lists.get(kind) }));
  }

  callTool(name: string, args: JsonObject = {}, o?: RequestOptions): Promise<JsonObject> {
    // A progress token is always sent so long tools can keep the request alive (timeout reset).
    return this.run(
      'tools/call',
      o,
      (c, opts) => c.callTool({ name, arguments: args }, undefined, opts) as Promise<JsonObject>,
      true,
    );
  }

  readResource(uri: string, o?: RequestOptions): Promise<JsonObject> {
    return this.run(
      'resources/read',
      o,
      (c, opts) => c.readResource({ uri }, opts) as Promise<JsonObject>,
    );
  }

  /** URIs this session subscribed to (and did not unsubscribe from), in order. */
  readonly subscriptions = new Set<string>();

  async subscribe(uri: string, o?: RequestOptions): Promise<void> {
    await this.run('resources/subscribe', o, (c, opts) => c.subscribeResource({ uri }, opts));
    this.subscriptions.add(uri);
  }

  async unsubscribe(uri: string, o?: RequestOptions): Promise<void> {
    await this.run('resources/unsubscribe', o, (c, opts) => c.unsubscribeResource({ uri }, opts));
    this.subscriptions.delete(uri);
  }

  getPrompt(
    name: string,
    args: Record<string, string> = {},
    o?: RequestOptions,
  ): Promise<JsonObject> {
    return this.run(
      'prompts/get',
      o,
      (c, opts) => c.getPrompt({ name, arguments: args }, opts) as Promise<JsonObject>,
    );
  }

  /** `ref` is `{type:'ref/prompt', name}` or `{type:'ref/resource', uri}`. */
  complete(
    ref: JsonObject,
    argument: { name: string; value: string },
    context?: JsonObject,
    o?: RequestOptions,
  ): Promise<JsonObject> {
    const params = { ref, argument, ...(context ? { context } : {}) } as Parameters<
      Client['complete']
    >[0];
    return this.run(
      'completion/complete',
      o,
      (c, opts) => c.complete(params, opts) as Promise<JsonObject>,
    );
  }

  async setLevel(level: string, o?: RequestOptions): Promise<void> {
    await this.run('logging/setLevel', o, (c, opts) =>
      c.setLoggingLevel(level as Parameters<Client['setLoggingLevel']>[0], opts),
    );
  }

  /** Round-trip time in ms. */
  async ping(o?: RequestOptions): Promise<number> {
    const t0 = nowMs();
    await this.run('ping', o, (c, opts) => c.ping(opts));
    return Math.round((nowMs() - t0) * 1000) / 1000;
  }

  /** Cancel an in-flight operation started with `opId`: sends notifications/cancelled and rejects it. */
  cancel(opId: string, reason = 'cancelled by the user'): boolean {
    const c = this.ops.get(opId);
    if (!c) return false;
    this.ops.delete(opId);
    c.abort(reason);
    return true;
  }

  // Tasks (MCP 2025-11-25): a task-augmented tools/call answers at once with a task; the client
  // then polls tasks/get, fetches tasks/result (which waits for the end) or cancels it.

  /** tools/call with `task: {ttl}`: resolves with the server's CreateTaskResult `task`. */
  async callToolAsTask(
    name: string,
    args: JsonObject = {},
    ttlMs?: number,
    o?: RequestOptions,
  ): Promise<JsonObject> {
    const r = await this.run('tools/call', o, (c, opts) =>
      c.request(
        { method: 'tools/call', params: { name, arguments: args } },
        CreateTaskResultSchema,
        {
          ...opts,
          task: ttlMs !== undefined ? { ttl: ttlMs } : {},
        },
      ),
    );
    return r.task as unknown as JsonObject;
  }

  async getTask(taskId: string, o?: RequestOptions): Promise<JsonObject> {
    const r = await this.run('tasks/get', o, (c, opts) =>
      c.experimental.tasks.getTask(taskId, opts),
    );
    return r as unknown as JsonObject;
  }

  /** tasks/result: the server holds the answer until the task ends (a long timeout fits). */
  getTaskResult(taskId: string, o?: RequestOptions): Promise<JsonObject> {
    return this.run(
      'tasks/result',
      o,
      (c, opts) =>
        c.request(
          { method: 'tasks/result', params: { taskId } },
          ResultSchema,
          opts,
        ) as Promise<JsonObject>,
    );
  }

  /** tasks/list, every page (bounded like the other lists). */
  async listTasks(o?: RequestOptions): Promise<JsonObject[]> {
    return this.run('tasks/list', o, async (c, opts) => {
      const out: JsonObject[] = [];
      const seen = new Set<string>();
      let cursor: string | undefined;
      for (let n = 0; n < MAX_PAGES; n++) {
        const r = await c.experimental.tasks.listTasks(cursor, opts);
        out.push(...(r.tasks as unknown as JsonObject[]));
        if (r.nextCursor === undefined || seen.has(r.nextCursor)) return out;
        seen.add(r.nextCursor);
        cursor = r.nextCursor;
      }
      throw new Error(`tasks/list: more than ${MAX_PAGES} pages; stopped following nextCursor`);
    });
  }

  async cancelTask(taskId: string, o?: RequestOptions): Promise<JsonObject> {
    const r = await this.run('tasks/cancel', o, (c, opts) =>
      c.experimental.tasks.cancelTask(taskId, opts),
    );
    return r as unknown as JsonObject;
  }
}
