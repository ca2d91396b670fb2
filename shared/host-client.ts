// The wire protocol that carries HostApi over any message transport (WebSocket, Electron IPC), and
// its two ends: `createHostClient` (UI side: a transport in, a typed HostApi out) and
// `serveHostApi` (engine side: validates each incoming message, runs the command, answers).
//
// Messages are plain JSON objects:
//   UI → host:  {t:"call", id, name, args?}
//   host → UI:  {t:"result", id, ok:true, result} | {t:"result", id, ok:false, error}
//               {t:"event", name, payload}

import {
  COMMAND_NAMES,
  EVENT_NAMES,
  HostApiError,
  isCommandName,
  type CommandName,
  type EventName,
  type HostApi,
  type HostCommandsApi,
  type HostErrorCode,
  type HostErrorData,
  type HostEvents,
} from './host-api.js';
import { isObject } from './json.js';

export interface CallMessage {
  t: 'call';
  id: number;
  name: CommandName;
  args?: unknown;
}

export type ResultMessage =
  | { t: 'result'; id: number; ok: true; result: unknown }
  | { t: 'result'; id: number; ok: false; error: HostErrorData };

export interface EventMessage<K extends EventName = EventName> {
  t: 'event';
  name: K;
  payload: HostEvents[K];
}

export type ClientMessage = CallMessage;
export type HostMessage = ResultMessage | EventMessage;

/** A bidirectional message channel seen from the UI. */
export interface HostTransport {
  send(msg: ClientMessage): void;
  /** Subscribe to messages from the host; returns an unsubscribe function. */
  onMessage(listener: (msg: HostMessage) => void): () => void;
  /** Optional: called once when the channel is gone for good (pending calls then fail). */
  onClose?(listener: (reason: string) => void): void;
}

export interface HostClientOptions {
  /** Fail a call that got no answer in this many ms (default: none; the engine has its own timeouts). */
  timeoutMs?: number;
}

export type HostClient = HostApi & {
  /** Fail pending calls and stop listening. */
  dispose(): void;
};

const ERROR_CODES: readonly HostErrorCode[] = [
  'bad-request',
  'not-found',
  'unavailable',
  'failed',
  'timeout',
  'disconnected',
];

function toHostError(e: unknown): HostErrorData {
  if (e instanceof HostApiError) return e.toData();
  if (
    isObject(e) &&
    typeof e.code === 'string' &&
    (ERROR_CODES as string[]).includes(e.code) &&
    typeof e.message === 'string'
  ) {
    return { code: e.code as HostErrorCode, message: e.message };
  }
  return { code: 'failed', message: e instanceof Error ? e.message : String(e) };
}

/** Turn a transport into a typed HostApi. */
export function createHostClient(
  transport: HostTransport,
  opts: HostClientOptions = {},
): HostClient {
  let nextId = 1;
  let closed: string | undefined;
  const pending = new Map<
    number,
    {
      resolve: (v: unknown) => void;
      reject: (e: Error) => void;
      timer?: ReturnType<typeof setTimeout>;
    }
  >();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  const failAll = (reason: string): void => {
    closed = reason;
    for (const [id, p] of pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new HostApiError('disconnected', reason));
      pending.delete(id);
    }
  };

  const off = transport.onMessage((incoming) => {
    // The host is trusted more than a server, but its messages are still checked before use.
    const msg: unknown = incoming;
    if (!isObject(msg)) return;
    if (msg.t === 'result' && typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (p.timer) clearTimeout(p.timer);
      if (msg.ok === true) p.resolve(msg.result);
      else {
        const err = isObject(msg.error)
          ? toHostError(msg.error)
          : { code: 'failed' as const, message: 'the host reported an error without details' };
        p.reject(
          new HostApiError(
            err.code,
            err.message,
            isObject(msg.error) ? (msg.error as unknown as HostErrorData).rpcError : undefined,
          ),
        );
      }
      return;
    }
    if (msg.t === 'event' && typeof msg.name === 'string') {
      const set = listeners.get(msg.name as EventName);
      if (!set) return;
      for (const l of set) {
        try {
          (l as (p: unknown) => void)(msg.payload);
        } catch (e) {
          // A broken UI listener must not stop the others; surface it for debugging.
          console.error(`mcpscope: listener for ${msg.name} threw`, e);
        }
      }
    }
  });
  transport.onClose?.((reason) =>
    failAll(reason || 'the connection to mcpscope closed; reload to reconnect'),
  );

  const call = (name: CommandName, args: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(new HostApiError('disconnected', closed));
        return;
      }
      const id = nextId++;
      const entry: {
        resolve: (v: unknown) => void;
        reject: (e: Error) => void;
        timer?: ReturnType<typeof setTimeout>;
      } = { resolve, reject };
      if (opts.timeoutMs !== undefined) {
        entry.timer = setTimeout(() => {
          pending.delete(id);
          reject(
            new HostApiError(
              'timeout',
              `mcpscope did not answer ${name} within ${opts.timeoutMs} ms`,
            ),
          );
        }, opts.timeoutMs);
      }
      pending.set(id, entry);
      try {
        transport.send(
          args === undefined ? { t: 'call', id, name } : { t: 'call', id, name, args },
        );
      } catch (e) {
        pending.delete(id);
        if (entry.timer) clearTimeout(entry.timer);
        reject(new HostApiError('disconnected', `cannot reach mcpscope: ${(e as Error).message}`));
      }
    });

  const api: Record<string, unknown> = {};
  for (const name of COMMAND_NAMES) api[name] = (args?: unknown) => call(name, args);
  for (const name of EVENT_NAMES) {
    api[name] = (listener: (p: never) => void) => {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    };
  }
  api.dispose = () => {
    off();
    failAll('the mcpscope client was disposed');
  };
  return api as HostClient;
}

/** Check an incoming UI message's envelope; the command validates its own args. */
export function parseCallMessage(raw: unknown): CallMessage | { error: string; id?: number } {
  if (!isObject(raw)) return { error: 'a message must be a JSON object' };
  const id = typeof raw.id === 'number' && Number.isSafeInteger(raw.id) ? raw.id : undefined;
  if (raw.t !== 'call')
    return id === undefined
      ? { error: 'unknown message type' }
      : { error: 'unknown message type', id };
  if (id === undefined) return { error: '"id" must be an integer' };
  if (!isCommandName(raw.name)) return { error: `unknown command ${JSON.stringify(raw.name)}`, id };
  return 'args' in raw
    ? { t: 'call', id, name: raw.name, args: raw.args }
    : { t: 'call', id, name: raw.name };
}

/**
 * Engine side: run one call against the implementation and produce the answer message. Never
 * throws; a malformed envelope without an id gets no answer (there is no one to answer).
 */
export async function dispatchCall(
  api: HostCommandsApi,
  raw: unknown,
): Promise<ResultMessage | undefined> {
  const msg = parseCallMessage(raw);
  if ('error' in msg) {
    return msg.id === undefined
      ? undefined
      : { t: 'result', id: msg.id, ok: false, error: { code: 'bad-request', message: msg.error } };
  }
  try {
    const fn = api[msg.name] as (args: unknown) => Promise<unknown>;
    const result = await fn.call(api, msg.args);
    return { t: 'result', id: msg.id, ok: true, result: result === undefined ? null : result };
  } catch (e) {
    return { t: 'result', id: msg.id, ok: false, error: toHostError(e) };
  }
}

/** The minimal WebSocket surface both the browser's WebSocket and the `ws` package offer. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'close', listener: (ev: { code: number; reason: string }) => void): void;
  removeEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}

/** A HostTransport over a WebSocket (opened or still connecting): JSON text frames. */
export function webSocketTransport(ws: WebSocketLike): HostTransport {
  const queue: string[] = [];
  ws.addEventListener('open', () => {
    for (const m of queue.splice(0)) ws.send(m);
  });
  return {
    send(msg) {
      const text = JSON.stringify(msg);
      if (ws.readyState === 0) queue.push(text);
      else if (ws.readyState === 1) ws.send(text);
      else throw new Error('the WebSocket is closed');
    },
    onMessage(listener) {
      const h = (ev: { data: unknown }): void => {
        if (typeof ev.data !== 'string') return;
        let v: unknown;
        try {
          v = JSON.parse(ev.data);
        } catch {
          return;
        }
        listener(v as HostMessage);
      };
      ws.addEventListener('message', h);
      return () => ws.removeEventListener('message', h);
    },
    onClose(listener) {
      ws.addEventListener('close', (ev) =>
        listener(
          ev.code === 1008 || ev.code === 4401 || ev.code === 4403
            ? `mcpscope refused the connection (${ev.reason || 'bad token'})`
            : 'the connection to mcpscope closed; reload the page to reconnect',
        ),
      );
    },
  };
}
