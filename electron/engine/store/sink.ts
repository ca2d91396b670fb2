// The live team-store sink of `mcpscope record … --sink postgres://…`. The recorder's capture
// writer hands every line to `enqueue`, which only appends to an in-memory queue: the traffic
// never waits for the database. A drain loop inserts the queue in batches. Memory is bounded: a
// queue over `maxQueuedBytes` is dropped (the lines are still in the file). When the recording
// ends, `close` pushes the capture file (push.ts), which adds whatever the queue missed, the
// derived data, and marks the session complete. If the database is unreachable or goes away,
// recording goes on, one warning says how to catch up later (`mcpscope push FILE --to URL`).

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
  /** Lines per INSERT (default 1000). */
  batchLines?: number;
  /** How long lines may wait to be batched (default 200 ms: fewer, larger inserts). */
  flushMs?: number;
}

export interface SinkResult {
  /** The session is complete in the store. */
  complete: boolean;
  /** Lines inserted live (before the final push). */
  liveLines: number;
}

export class StoreSink {
  private client: pg.Client | undefined;
  private readonly ready: Promise<void>;
  private down = false;
  private warned = false;
  private header: HeaderRecord | undefined;
  private path: string | undefined;
  private sessionRow = false;
  private queue: string[] = [];
  private queueNos: number[] = [];
  private queuedBytes = 0;
  private nextNo = 0;
  private overflowed = false;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private liveLines = 0;
  private readonly maxBytes: number;
  private readonly batch: number;
  private readonly flushMs: number;

  constructor(private readonly opts: StoreSinkOptions) {
    this.maxBytes = opts.maxQueuedBytes ?? 32 * 1024 * 1024;
    this.batch = opts.batchLines ?? 1000;
    this.flushMs = opts.flushMs ?? 200;
    this.ready = openStore(opts.url, { connectTimeoutMs: 5000, queryTimeoutMs: 20_000 }).then(
      (c) => {
        this.client = c;
        this.schedule();
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
  }

  /** Called for every line as the writer writes it: O(1), never waits, never throws. */
  enqueue(line: string): void {
    const no = this.nextNo++;
    if (this.down || this.overflowed) return;
    if (this.queuedBytes + line.length > this.maxBytes) {
      // Falling behind: stop queueing; the final push stores the rest from the file.
      this.overflowed = true;
      this.queue = [];
      this.queueNos = [];
      this.queuedBytes = 0;
      this.opts.warn(
        `mcpscope: the team store is slower than the traffic; live storing paused (the capture file is complete and is stored when recording ends).`,
      );
      return;
    }
    this.queue.push(line);
    this.queueNos.push(no);
    this.queuedBytes += line.length;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.draining || !this.client || this.down) return;
    const wait = this.queue.length >= this.batch ? 0 : this.flushMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
        if (this.queue.length) this.schedule();
      });
    }, wait);
    this.timer.unref();
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
        const lines = this.queue.splice(0, this.batch);
        const nos = this.queueNos.splice(0, lines.length);
        for (const l of lines) this.queuedBytes -= l.length;
        await c.query(
          `WITH ins AS (INSERT INTO mcpscope_records (session_id, line_no, line)
             SELECT $1, * FROM unnest($2::int[], $3::text[]) ON CONFLICT DO NOTHING RETURNING 1)
           UPDATE mcpscope_sessions SET records = records + (SELECT count(*) FROM ins)
           WHERE id = $1 AND NOT complete`,
          [this.header.id, nos, lines],
        );
        this.liveLines += lines.length;
      }
    } catch (e) {
      this.lose(e as Error);
    }
  }

  private lose(e: Error): void {
    if (this.down) return;
    this.down = true;
    this.queue = [];
    this.queueNos = [];
    this.queuedBytes = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const c = this.client;
    this.client = undefined;
    void c?.end().catch(() => undefined);
    if (this.warned) return;
    this.warned = true;
    this.opts.warn(
      `mcpscope: the team store ${safeStoreUrl(this.opts.url)} is unreachable (${e.message.split('\n')[0]}); recording continues to the capture file${this.path ? ` ${this.path}` : ''}. Store it later with: mcpscope push ${this.path ?? 'FILE'} --to URL`,
    );
  }

  /**
   * After the recording ended (the capture file is complete): stores what is still queued, then
   * pushes the file, which completes the session. Never throws; bounded by `timeoutMs`.
   */
  async close(timeoutMs = 60_000): Promise<SinkResult> {
    let timer: NodeJS.Timeout | undefined;
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
        await pushCapture(c, this.path);
        return true;
      } catch (e) {
        this.lose(e as Error);
        return false;
      }
    })();
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        this.lose(new Error(`no answer within ${timeoutMs} ms`));
        resolve(false);
      }, timeoutMs);
    });
    const complete = await Promise.race([work, timeout]);
    clearTimeout(timer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
    return { complete, liveLines: this.liveLines };
  }
}
