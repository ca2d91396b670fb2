// A large imported capture on the main thread: a handle on the worker that owns it
// (renderer/src/worker/) plus a bounded window of table rows. The main thread never holds the
// session: counts and progress come from the worker's progress messages, the filtered mids
// (4 bytes a row) from its filter results, rows and the detail's raw text on request.

import type { HeaderRecord } from '../../../shared/capture/types.js';
import type { Message } from '../../../shared/protocol/messages.js';
import type { FromLarge, LargeProgress, ToLarge } from '../worker/protocol.js';
import type { SessionCounts } from './session-data.js';

/** Files at least this big are opened as large sessions (about 230,000 frames of typical traffic). */
export const LARGE_SESSION_BYTES = 64 * 1024 * 1024;
/** Engine sessions with at least this many records (and a plain file) open as large sessions. */
export const LARGE_SESSION_RECORDS = 200_000;
/** Rows kept on the main thread; past this the window is dropped and refetched as needed. */
const WINDOW_ROWS = 4000;

export interface LargeDetail {
  msg: Message;
  raw: string;
  pair?: Message;
}

/** The worker as the session sees it (a fake in unit tests). */
export interface LargeWorkerPort {
  postMessage(m: ToLarge, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<FromLarge>) => void) | null;
  terminate(): void;
}

export function startLargeWorker(): LargeWorkerPort {
  return new Worker(new URL('../worker/large-session.worker.ts', import.meta.url), {
    type: 'module',
    name: 'mcpscope-large-session',
  }) as unknown as LargeWorkerPort;
}

export class LargeSession {
  progress: LargeProgress | undefined;
  error: string | undefined;
  private rows = new Map<number, Message>();
  private wanted = new Set<number>();
  private requested = new Set<number>();
  private nextId = 1;
  private waiting = new Map<number, (m: FromLarge) => void>();
  private flushQueued = false;

  private readyWait: { resolve: () => void; reject: (e: Error) => void } | undefined;
  /** Resolves with the first progress that has the header; rejects when the file cannot be read. */
  readonly ready: Promise<void>;

  constructor(
    /** The session id (set by the store once the header is known). */
    public id: string,
    private readonly worker: LargeWorkerPort,
    /** The file, or its bytes as base64 chunks from the engine (and the file's size). */
    source: Blob | { stream: ReadableStream<string>; size: number },
    /** Called when progress, rows or an error arrived (the store re-renders). */
    private readonly changed: (what: 'progress' | 'rows' | 'error') => void,
  ) {
    this.ready = new Promise((resolve, reject) => (this.readyWait = { resolve, reject }));
    worker.onmessage = (e) => this.receive(e.data);
    if (source instanceof Blob) worker.postMessage({ t: 'open', file: source });
    else
      worker.postMessage({ t: 'open-stream', stream: source.stream, size: source.size }, [
        source.stream as unknown as Transferable,
      ]);
  }

  get counts(): SessionCounts | undefined {
    return this.progress?.counts;
  }

  get header(): HeaderRecord | undefined {
    return this.progress?.header;
  }

  get done(): boolean {
    return this.progress?.done ?? false;
  }

  get startTs(): number {
    return this.progress?.header?.ts ?? 0;
  }

  private receive(m: FromLarge): void {
    if (m.t === 'progress') {
      this.progress = m;
      if (m.header || m.done) this.readyWait?.resolve();
      this.changed('progress');
    } else if (m.t === 'error') {
      this.error = m.message;
      this.readyWait?.reject(new Error(m.message));
      this.changed('error');
    } else if (m.t === 'rows') {
      for (const r of m.rows) {
        this.rows.set(r.mid, r);
        this.requested.delete(r.mid);
      }
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
      this.changed('rows');
    } else {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    }
  }

  private ask<T extends FromLarge>(m: ToLarge & { id: number }): Promise<T> {
    return new Promise((resolve) => {
      this.waiting.set(m.id, resolve as (m: FromLarge) => void);
      this.worker.postMessage(m);
    });
  }

  /** A table row if it is in the window; otherwise it is fetched (then `changed('rows')`). */
  row(mid: number): Message | undefined {
    const r = this.rows.get(mid);
    if (r) return r;
    if (!this.requested.has(mid)) this.wanted.add(mid);
    if (!this.flushQueued && this.wanted.size > 0) {
      this.flushQueued = true;
      queueMicrotask(() => this.fetchWanted());
    }
    return undefined;
  }

  /** Drop the window (except `keep`) when it grew past its bound. */
  trim(keep: readonly number[]): void {
    if (this.rows.size <= WINDOW_ROWS) return;
    const kept = new Map<number, Message>();
    for (const mid of keep) {
      const r = this.rows.get(mid);
      if (r) kept.set(mid, r);
    }
    this.rows = kept;
  }

  /** Rows currently held on the main thread (for tests and the memory report). */
  get windowSize(): number {
    return this.rows.size;
  }

  private fetchWanted(): void {
    this.flushQueued = false;
    if (this.wanted.size === 0) return;
    const mids = [...this.wanted];
    this.wanted.clear();
    for (const mid of mids) this.requested.add(mid);
    void this.ask({ t: 'rows', id: this.nextId++, mids });
  }

  async filter(query: string): Promise<{ mids: Int32Array; ms: number }> {
    const r = await this.ask<Extract<FromLarge, { t: 'filtered' }>>({
      t: 'filter',
      id: this.nextId++,
      query,
    });
    return { mids: r.mids, ms: r.ms };
  }

  async detail(mid: number): Promise<LargeDetail> {
    const r = await this.ask<Extract<FromLarge, { t: 'detail' }>>({
      t: 'detail',
      id: this.nextId++,
      mid,
    });
    if (r.error !== undefined || !r.msg || r.raw === undefined)
      throw new Error(r.error ?? 'no detail');
    return { msg: r.msg, raw: r.raw, ...(r.pair ? { pair: r.pair } : {}) };
  }

  close(): void {
    this.worker.terminate();
    this.waiting.clear();
  }
}

/** The open large sessions, by session id (beside `sessionData`, which holds the small ones). */
export const largeSessions = new Map<string, LargeSession>();
