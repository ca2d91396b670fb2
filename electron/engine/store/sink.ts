// The live team-store sink of `mcpscope record … --sink postgres://…`. The recorder's capture
// writer hands every line to `enqueue`, which only pushes the string onto an in-memory queue: no
// parsing, no copying, no I/O on the traffic's path. A drain loop stores the queue in batches,
// each ONE text parameter (the lines joined by "\n", split again by PostgreSQL) through one
// prepared statement, so the client does no per-line escaping and the server plans it once.
// Batches are adaptive: every `flushMs` when the traffic is light, at once when `batchLines` or
// 1 MiB are waiting. Memory is bounded: a queue over `maxQueuedBytes` is dropped (the lines are
// still in the file). The session row is created as soon as the database answers, so a recorder
// killed later leaves an incomplete session that `sessions` lists and `push FILE` completes.
// `close` pushes the capture file (push.ts): the lines the sink did not store, the derived data
// (messages, findings, data flows: all computed only then), and `complete = true`, in one
// transaction. If the database is unreachable or goes away, recording goes on, and one warning
// says how to catch up later (`mcpscope push FILE --to URL`).

import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { HeaderRecord } from '../../../shared/capture/index.js';
import type { CaptureWriter } from '../capture/writer.js';
import { openStore, safeStoreUrl } from './pg.js';
import { pushCapture } from './push.js';

export interface StoreSinkOptions {
  url: string;
  /** One line for the user (stderr). */
  warn: (line: string) => void;
  /** Queue bound in bytes of line text (default 32 MiB). */
  maxQueuedBytes?: number;
  /** Most lines per batch; this many waiting are stored at once (default 5000). */
  batchLines?: number;
  /** How long lines may wait when the traffic is light (default 1000 ms: few, large batches). */
  flushMs?: number;
}

export interface SinkResult {
  /** The session is complete in the store. */
  complete: boolean;
  /** Lines inserted live (before the final push). */
  liveLines: number;
}

/** Lines waiting this many bytes are stored at once, whatever `flushMs` says. */
const EAGER_BYTES = 1024 * 1024;
/** The most line text in one statement. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

const INSERT_LINES = {
  name: 'mcpscope_sink_lines_v1',
  text: `WITH ins AS (INSERT INTO mcpscope_records (session_id, line_no, line)
           SELECT $1, $2::int + t.n::int - 1, t.l
           FROM unnest(string_to_array($3::text, E'\\n')) WITH ORDINALITY AS t (l, n)
           ON CONFLICT DO NOTHING RETURNING 1)
         UPDATE mcpscope_sessions SET records = records + (SELECT count(*) FROM ins), pushed_at = now()
         WHERE id = $1 AND NOT complete
         RETURNING (SELECT count(*) FROM ins) AS inserted`,
};

export class StoreSink {
  private client: pg.Client | undefined;
  private readonly ready: Promise<void>;
  private down = false;
  private warned = false;
  private header: HeaderRecord | undefined;
  private path: string | undefined;
  private sessionRow = false;
  private queue: string[] = [];
  /** Line number of queue[0]: the queue always holds consecutive lines. */
  private queueFirst = 0;
  private queuedBytes = 0;
  private nextNo = 0;
  private overflowed = false;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private liveLines = 0;
  /** Lines 0..storedPrefix-1 are in the store, inserted by this sink (the final push skips them). */
  private storedPrefix = 0;
  private readonly maxBytes: number;
  private readonly batch: number;
  private readonly flushMs: number;
  /** Closing: the deadline timer, and how to end the wait early. */
  private closeTimer: NodeJS.Timeout | undefined;
  private closeDeadline = Infinity;
  private cutShort: ((why: string) => void) | undefined;
  private pendingGraceMs: number | undefined;

  constructor(private readonly opts: StoreSinkOptions) {
    this.maxBytes = opts.maxQueuedBytes ?? 32 * 1024 * 1024;
    this.batch = opts.batchLines ?? 5000;
    this.flushMs = opts.flushMs ?? 1000;
    this.ready = openStore(opts.url, { connectTimeoutMs: 15_000, queryTimeoutMs: 30_000 }).then(
      (c) => {
        if (this.down) {
          void c.end().catch(() => undefined);
          return;
        }
        this.client = c;
        // At once: the session row exists from the start (a killed recorder leaves it incomplete).
        this.startDrain();
      },
      (e: Error) => this.lose(e),
    );
  }

  /** Follows `writer` from its first line (already-written lines are read back from its file). */
  attach(writer: CaptureWriter): void {
    this.header = writer.header;
    this.path = writer.path;
    try {
      const text = readFileSync(writer.path, 'utf8');
      for (const line of text.split('\n').slice(0, writer.records)) this.enqueue(line);
    } catch (e) {
      this.lose(e as Error);
    }
    writer.subscribe((_rec, line) => this.enqueue(line));
    if (this.client && !this.draining) this.startDrain();
  }

  /** Called for every line as the writer writes it: O(1), never waits, never throws. */
  enqueue(line: string): void {
    this.nextNo++;
    if (this.down || this.overflowed) return;
    if (this.queuedBytes + line.length > this.maxBytes) {
      // Falling behind: stop queueing; the final push stores the rest from the file.
      this.overflowed = true;
      this.queue = [];
      this.queuedBytes = 0;
      this.opts.warn(
        `mcpscope: the team store is slower than the traffic; live storing paused (the capture file is complete and is stored when recording ends).`,
      );
      return;
    }
    if (this.queue.length === 0) this.queueFirst = this.nextNo - 1;
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (!this.timer && !this.draining) this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.draining || !this.client || this.down || !this.queue.length) return;
    const eager = this.queue.length >= this.batch || this.queuedBytes >= EAGER_BYTES;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.startDrain();
      },
      eager ? 0 : this.flushMs,
    );
    this.timer.unref();
  }

  private startDrain(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      this.schedule();
    });
  }

  private async drain(): Promise<void> {
    const c = this.client;
    if (!c || this.down || !this.header) return;
    try {
      if (!this.sessionRow) {
        const h = this.header;
        await c.query(
          `INSERT INTO mcpscope_sessions (id, created, transport, server, source, records, final_hash, bytes, trailing_newline, complete)
           VALUES ($1, $2, $3, $4, $5, 0, '', 0, true, false) ON CONFLICT (id) DO NOTHING`,
          [h.id, h.created, h.source.transport, h.source.name ?? null, JSON.stringify(h.source)],
        );
        this.sessionRow = true;
      }
      while (this.queue.length && !this.down) {
        let n = 0;
        let bytes = 0;
        while (n < this.queue.length && n < this.batch && bytes < MAX_BATCH_BYTES)
          bytes += this.queue[n++]!.length;
        const first = this.queueFirst;
        const lines = this.queue.splice(0, n);
        this.queueFirst += n;
        this.queuedBytes -= bytes;
        const r = await c.query<{ inserted: string }>({
          ...INSERT_LINES,
          values: [this.header.id, first, lines.join('\n')],
        });
        this.liveLines += n;
        // Only lines this sink inserted itself, from line 0 on, count as known to the final push.
        if (first === this.storedPrefix && Number(r.rows[0]?.inserted ?? 0) === n)
          this.storedPrefix += n;
      }
    } catch (e) {
      this.lose(e as Error);
    }
  }

  private lose(e: Error, message?: string): void {
    if (this.down) return;
    this.down = true;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const c = this.client;
    this.client = undefined;
    void c?.end().catch(() => undefined);
    if (this.warned) return;
    this.warned = true;
    this.opts.warn(
      message ??
        `mcpscope: the team store ${safeStoreUrl(this.opts.url)} is unreachable (${e.message.split('\n')[0]}); recording continues to the capture file${this.path ? ` ${this.path}` : ''}. Store it later with: mcpscope push ${this.path ?? 'FILE'} --to URL`,
    );
  }

  /**
   * A stop signal arrived: the final push gets at most `graceMs` from now (or from when `close`
   * starts). Whatever is not done by then is rolled back and the session stays incomplete.
   */
  hurry(graceMs: number): void {
    if (this.cutShort) this.setDeadline(Math.min(this.closeDeadline, Date.now() + graceMs));
    else this.pendingGraceMs = Math.min(this.pendingGraceMs ?? Infinity, graceMs);
  }

  /** Stops now (a second stop signal): the session stays incomplete in the store. */
  abort(why: string): void {
    if (this.cutShort) this.cutShort(why);
    else this.cut(why);
  }

  private cut(why: string): void {
    this.lose(
      new Error(why),
      `mcpscope: the final push to the team store was cut short (${why}); the session stays incomplete there. Complete it with: mcpscope push ${this.path ?? 'FILE'} --to URL`,
    );
  }

  private setDeadline(at: number): void {
    this.closeDeadline = at;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    const cut = this.cutShort;
    if (!cut) return;
    this.closeTimer = setTimeout(
      () => cut(`not finished within ${Math.round((at - this.closeStarted) / 1000)} s`),
      Math.max(0, at - Date.now()),
    );
  }

  private closeStarted = 0;

  /**
   * After the recording ended (the capture file is complete): stores what is still queued, then
   * pushes the file, which completes the session. Never throws; bounded by `timeoutMs` (or the
   * grace `hurry` gave).
   */
  async close(timeoutMs = 60_000): Promise<SinkResult> {
    const work = (async (): Promise<boolean> => {
      await this.ready;
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      await this.draining;
      if (!this.down) await this.drain();
      const c = this.client;
      if (this.down || !c || !this.path) return false;
      try {
        await pushCapture(c, this.path, { storedLines: this.storedPrefix });
        return !this.down;
      } catch (e) {
        this.lose(e as Error);
        return false;
      }
    })();
    const cutShort = new Promise<boolean>((resolve) => {
      this.cutShort = (why: string) => {
        this.cut(why);
        resolve(false);
      };
    });
    this.closeStarted = Date.now();
    this.setDeadline(this.closeStarted + Math.min(timeoutMs, this.pendingGraceMs ?? Infinity));
    const complete = await Promise.race([work, cutShort]);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.cutShort = undefined;
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
    return { complete, liveLines: this.liveLines };
  }
}
