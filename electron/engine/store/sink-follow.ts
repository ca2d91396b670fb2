// The live half of `record --sink`: follows the capture FILE (the writer's lines are in the OS's
// page cache) and stores what was appended, every `flushMs`, in batches. Nothing happens on the
// traffic's path: no line is seen, copied or decoded as it is recorded. Each look is one async
// read (on libuv's thread pool) and, per batch, one parameter holding the file's bytes as they are
// (complete lines joined by newlines), sent as a Buffer (binary format: never decoded or
// re-encoded here) and split into rows by PostgreSQL. The cost on the recorder's thread is a few
// calls per look, whatever the number of lines; the database's is one plain INSERT per batch.
//
// A batch is one transaction: a plain INSERT (no per-row conflict check), then the session row is
// updated and so locked, which proves the session still exists and is not complete (the records
// table has no per-row foreign key: migration 3). A batch that some other pusher already stored
// part of falls back to ON CONFLICT DO NOTHING.

import { open, type FileHandle } from 'node:fs/promises';
import type pg from 'pg';

export interface FollowOptions {
  /** How often to look for new lines. */
  flushMs: number;
  /** Most lines per statement. */
  batchLines: number;
  /** Most bytes read (and stored) at once. */
  batchBytes: number;
  /** A longer line pauses live storing (the final push stores it). */
  maxLineBytes: number;
}

/** What the follower reports: live storing paused (the final push will do the rest), or the database is gone. */
export type FollowEvent = { type: 'paused'; message: string } | { type: 'down'; error: Error };

export interface FollowResult {
  /** Lines 0..storedPrefix-1 are in the store, inserted by this follower (the final push skips them). */
  storedPrefix: number;
  /** Lines inserted live. */
  liveLines: number;
}

const ROWS = `SELECT $1::text, $2::int + t.n::int - 1, t.l
  FROM unnest(string_to_array($3::text, E'\\n')) WITH ORDINALITY AS t (l, n)`;
const INSERT = {
  name: 'mcpscope_sink_insert_v2',
  text: `INSERT INTO mcpscope_records (session_id, line_no, line) ${ROWS}`,
};
const INSERT_SOME = {
  name: 'mcpscope_sink_insert_some_v2',
  text: `INSERT INTO mcpscope_records (session_id, line_no, line) ${ROWS} ON CONFLICT DO NOTHING`,
};
const COUNT = {
  name: 'mcpscope_sink_count_v2',
  text: `UPDATE mcpscope_sessions SET records = records + $2, pushed_at = now()
    WHERE id = $1 AND NOT complete RETURNING 1`,
};

export class FileFollower {
  private fh: FileHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private offset = 0;
  private lineNo = 0;
  private storedPrefix = 0;
  private liveLines = 0;
  private stopping = false;
  private paused = false;

  constructor(
    private readonly c: pg.Client,
    private readonly path: string,
    private readonly id: string,
    private readonly opts: FollowOptions,
    private readonly on: (e: FollowEvent) => void,
  ) {}

  /** Starts following: a first look now, then one every `flushMs`. */
  start(): void {
    this.busy = open(this.path, 'r').then(
      (fh) => {
        this.fh = fh;
        return this.look();
      },
      (e: Error) => this.fail(e),
    );
  }

  /** Stops after the current batch; what was stored. */
  async stop(): Promise<FollowResult> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.busy;
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    return { storedPrefix: this.storedPrefix, liveLines: this.liveLines };
  }

  private async look(): Promise<void> {
    try {
      await this.tick();
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    if (this.stopping || this.paused) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.busy = this.look();
    }, this.opts.flushMs);
    this.timer.unref();
  }

  private pause(message: string): void {
    this.paused = true;
    this.on({ type: 'paused', message });
  }

  private fail(e: Error): void {
    // What the database refused in the data (SQLSTATE classes 22 and 23): live storing pauses and
    // the final push, which checks everything, decides. Anything else: the database is gone.
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23]/.test(code))
      this.pause(`the database refused a batch: ${e.message.split('\n')[0]}`);
    else {
      this.stopping = true;
      this.on({ type: 'down', error: e });
    }
  }

  private async read(at: number, n: number): Promise<Buffer> {
    const b = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh!.read(b, got, n - got, at + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return b.subarray(0, got);
  }

  /**
   * One look: what the file holds NOW, in batches. Lines appended meanwhile wait for the next look
   * (looping until the file stops growing would, under steady traffic, turn into a stream of tiny
   * batches, each costing the database a transaction).
   */
  private async tick(): Promise<void> {
    if (!this.fh) return;
    const size = (await this.fh.stat()).size;
    while (!this.stopping && !this.paused && this.fh) {
      if (size <= this.offset) return;
      let want = Math.min(size - this.offset, this.opts.batchBytes);
      let chunk = await this.read(this.offset, want);
      let nl = chunk.lastIndexOf(10);
      while (nl < 0 && want < size - this.offset && want < this.opts.maxLineBytes) {
        want = Math.min(size - this.offset, this.opts.maxLineBytes, want * 4);
        chunk = await this.read(this.offset, want);
        nl = chunk.lastIndexOf(10);
      }
      if (nl < 0) {
        if (want >= this.opts.maxLineBytes)
          this.pause(`a line over ${Math.round(this.opts.maxLineBytes / 1048576)} MiB`);
        return;
      }
      await this.storeLines(chunk.subarray(0, nl));
      if (this.paused) return;
      this.offset += nl + 1;
    }
  }

  /** Stores `chunk` (complete lines joined by newlines, none after the last), `batchLines` a statement. */
  private async storeLines(chunk: Buffer): Promise<void> {
    let at = 0;
    while (at <= chunk.length && !this.paused) {
      let end = at - 1;
      let lines = 0;
      do {
        end = chunk.indexOf(10, end + 1);
        lines++;
      } while (end >= 0 && lines < this.opts.batchLines);
      if (end < 0) end = chunk.length;
      const first = this.lineNo;
      const n = await this.insertBatch(chunk.subarray(at, end), first, lines);
      if (n < 0) {
        this.pause('the session was completed or removed in the store meanwhile');
        return;
      }
      this.lineNo += lines;
      this.liveLines += lines;
      // Only lines this follower inserted itself, from line 0 on, count as stored for the final push.
      if (first === this.storedPrefix && n === lines) this.storedPrefix += lines;
      at = end + 1;
    }
  }

  /** One batch in one transaction: how many rows it added, or -1 (the session is complete or gone). */
  private async insertBatch(bytes: Buffer, first: number, lines: number): Promise<number> {
    const c = this.c;
    await c.query('BEGIN');
    try {
      let n = lines;
      try {
        await c.query({ ...INSERT, values: [this.id, first, bytes] });
      } catch (e) {
        if ((e as { code?: unknown }).code !== '23505') throw e;
        await c.query('ROLLBACK');
        await c.query('BEGIN');
        n = (await c.query({ ...INSERT_SOME, values: [this.id, first, bytes] })).rowCount ?? 0;
      }
      const r = await c.query({ ...COUNT, values: [this.id, n] });
      if (r.rowCount !== 1) {
        await c.query('ROLLBACK');
        return -1;
      }
      await c.query('COMMIT');
      return n;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
}
