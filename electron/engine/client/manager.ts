// Several client sessions at once, each with an id, a status and a capture. This is what the
// app's host-api wraps: open/close, operations through `get(id)`, and typed events.

import { redactArgs, redactUrl } from '../../../shared/capture/index.js';
import { CaptureWriter } from '../capture/writer.js';
import { defaultCapturePath } from '../paths.js';
import { Connection } from './connection.js';
import { ConnRecorder } from './recorder.js';
import type {
  ClientEvents,
  ConnectOptions,
  ConnectionState,
  JsonObject,
  ServerTarget,
} from './types.js';

export interface ConnectionManagerOptions {
  /** Put every connection in this one capture file (records carry `conn`). Default: one file per connection. */
  sharedCapturePath?: string;
  /** Options every open() starts from. */
  defaults?: ConnectOptions;
  /** Reports capture-file write failures (recording stops, connections go on). */
  onCaptureError?: (err: Error, path: string) => void;
}

type Listener<K extends keyof ClientEvents> = (e: ClientEvents[K]) => void;

export function targetLabel(t: ServerTarget): string {
  return t.transport === 'stdio'
    ? [t.command, ...redactArgs(t.args ?? [])].join(' ')
    : redactUrl(t.url);
}

export function newWriter(
  path: string,
  target: ServerTarget | undefined,
  name: string | undefined,
  onError: (e: Error) => void,
): CaptureWriter {
  const source: ConstructorParameters<typeof CaptureWriter>[0]['source'] = { transport: 'client' };
  if (target?.transport === 'stdio') {
    source.command = [target.command, ...redactArgs(target.args ?? [])];
    source.cwd = target.cwd ?? process.cwd();
  } else if (target) source.url = redactUrl(target.url);
  if (name !== undefined) source.name = name;
  return new CaptureWriter({ path, source, onError });
}

export class ConnectionManager {
  private readonly conns = new Map<string, Connection>();
  private readonly listeners = new Map<keyof ClientEvents, Set<(e: never) => void>>();
  private shared: CaptureWriter | undefined;
  private counter = 0;

  constructor(readonly options: ConnectionManagerOptions = {}) {}

  on<K extends keyof ClientEvents>(event: K, l: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(l as (e: never) => void);
    return () => set.delete(l as (e: never) => void);
  }

  private emit<K extends keyof ClientEvents>(event: K, payload: ClientEvents[K]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        (l as Listener<K>)(payload);
      } catch {
        // A listener's bug must not break the session.
      }
    }
  }

  private hasListener(event: keyof ClientEvents): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  /**
   * Open a connection and run the handshake. Resolves with the open connection; rejects with a
   * ConnectError (the connection stays listed with status `failed` and its capture kept).
   */
  async open(target: ServerTarget, opts: ConnectOptions = {}): Promise<Connection> {
    const o: ConnectOptions = { ...this.options.defaults, ...opts };
    const id = `c${++this.counter}`;
    const onError = (path: string) => (e: Error) => this.options.onCaptureError?.(e, path);
    let writer: CaptureWriter;
    let owns = false;
    if (this.options.sharedCapturePath !== undefined) {
      this.shared ??= newWriter(
        this.options.sharedCapturePath,
        undefined,
        'mcpscope client session',
        onError(this.options.sharedCapturePath),
      );
      writer = this.shared;
    } else {
      const path =
        o.capturePath ??
        defaultCapturePath(
          o.name ?? (target.transport === 'stdio' ? target.command : new URL(target.url).host),
        );
      writer = newWriter(path, target, o.name, onError(path));
      owns = true;
    }
    // The recorder exists before the connection it reports to (the transport needs it).
    const ref: { conn?: Connection } = {};
    const rec = new ConnRecorder(writer, this.shared ? id : undefined, (r) =>
      ref.conn?.onRecord(r),
    );
    if (this.shared) rec.note(`connection ${id} opens ${targetLabel(target)}`);
    const conn = new Connection(id, target, o, rec, {
      emit: (e, p) => this.emit(e, p),
      hasListener: (e) => this.hasListener(e),
      onEnd: (_c, reason) => {
        if (owns) writer.close(reason);
        else rec.note(`connection ${id} ended: ${reason}`);
      },
    });
    ref.conn = conn;
    this.conns.set(id, conn);
    await conn.open();
    return conn;
  }

  get(id: string): Connection | undefined {
    return this.conns.get(id);
  }

  /** A connection by id, or an error naming the known ids. */
  require(id: string): Connection {
    const c = this.conns.get(id);
    if (!c)
      throw new Error(
        `no connection "${id}" (open: ${[...this.conns.keys()].join(', ') || 'none'})`,
      );
    return c;
  }

  list(): ConnectionState[] {
    return [...this.conns.values()].map((c) => c.info);
  }

  async close(id: string): Promise<void> {
    await this.require(id).close();
  }

  /** Forget a closed or failed connection. */
  remove(id: string): boolean {
    const c = this.conns.get(id);
    if (!c || c.status === 'open' || c.status === 'connecting') return false;
    return this.conns.delete(id);
  }

  answer(connId: string, key: string, result: JsonObject): boolean {
    return this.require(connId).answerServerRequest(key, result);
  }

  reject(
    connId: string,
    key: string,
    error: { code: number; message: string; data?: unknown },
  ): boolean {
    return this.require(connId).rejectServerRequest(key, error);
  }

  /** Close every connection, then the shared capture file if any. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.conns.values()].map((c) => c.close()));
    this.shared?.close('all connections closed');
  }
}
