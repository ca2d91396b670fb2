// The live team-store sink of `mcpscope record … --sink postgres://…`. Nothing happens on the
// traffic's path: the recorder neither sees nor copies a line as it is recorded. A follower
// (sink-follow.ts) reads what was appended to the capture file every `flushMs` and stores it in
// batches through this sink's one connection. The session row is created as soon as the database
// answers, so a recorder killed later leaves an incomplete session that `sessions` lists and
// `push FILE` completes. `close` stops the follower and pushes the capture file (push.ts): the
// lines the follower did not store, the derived data (messages, findings, data flows: all computed
// only then), and `complete = true`, in one transaction. If the database is unreachable or goes
// away, recording goes on, and one warning says how to catch up later
// (`mcpscope push FILE --to URL`).

import type pg from 'pg';
import type { HeaderRecord } from '../../../shared/capture/index.js';
import type { CaptureWriter } from '../capture/writer.js';
import { openStore, safeStoreUrl } from './pg.js';
import { createSession, pushCapture } from './push.js';
import { FileFollower } from './sink-follow.js';

export interface StoreSinkOptions {
  url: string;
  /** One line for the user (stderr). */
  warn: (line: string) => void;
  /** Most lines per statement (default 5000). */
  batchLines?: number;
  /** How often the follower looks for new lines (default 5000 ms: few, large batches). */
  flushMs?: number;
  /** A longer line pauses live storing (default 64 MiB; the final push stores it). */
  maxLineBytes?: number;
}

export interface SinkResult {
  /** The session is complete in the store. */
  complete: boolean;
  /** Lines inserted live (before the final push). */
  liveLines: number;
}

/** The most line text in one read and one statement. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** A longer line pauses live storing; the final push stores it. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 15_000;
const QUERY_TIMEOUT_MS = 30_000;

export class StoreSink {
  private client: pg.Client | undefined;
  private readonly ready: Promise<void>;
  private down = false;
  private warned = false;
  private header: HeaderRecord | undefined;
  private path: string | undefined;
  private follower: FileFollower | undefined;
  private closing = false;
  /** The session row's insert, then the follower's start (set once both the store and the capture are known). */
  private starting: Promise<void> | undefined;
  private liveLines = 0;
  /** Lines 0..storedPrefix-1 are in the store, inserted by the follower (the final push skips them). */
  private storedPrefix = 0;
  /** Closing: the deadline timer, and how to end the wait early. */
  private closeTimer: NodeJS.Timeout | undefined;
  private closeDeadline = Infinity;
  private cutShort: ((why: string) => void) | undefined;
  private pendingGraceMs: number | undefined;

  constructor(private readonly opts: StoreSinkOptions) {
    this.ready = openStore(opts.url, {
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
    }).then(
      (c) => {
        if (this.down) {
          void c.end().catch(() => undefined);
          return;
        }
        this.client = c;
        this.startFollower();
      },
      (e: Error) => this.lose(e),
    );
  }

  /** Follows `writer`'s file from its first line (one capture per sink: later writers are ignored). */
  attach(writer: CaptureWriter): void {
    if (this.path !== undefined) return;
    this.header = writer.header;
    this.path = writer.path;
    this.startFollower();
  }

  /** Once the schema is ready and the capture known: the session row, then the follower starts. */
  private startFollower(): void {
    const c = this.client;
    if (this.starting || this.down || !c || !this.header || !this.path) return;
    const h = this.header;
    const path = this.path;
    this.starting = createSession(c, h, h.source.name ?? null).then(
      () => {
        if (this.down || this.closing) return;
        const f = new FileFollower(
          c,
          path,
          h.id,
          {
            flushMs: this.opts.flushMs ?? 5000,
            batchLines: this.opts.batchLines ?? 5000,
            batchBytes: Math.min(MAX_BATCH_BYTES, this.opts.maxLineBytes ?? MAX_BATCH_BYTES),
            maxLineBytes: this.opts.maxLineBytes ?? MAX_LINE_BYTES,
          },
          (e) => {
            if (e.type === 'down') this.lose(e.error);
            else
              this.opts.warn(
                `mcpscope: live storing into the team store paused (${e.message}); the capture file is complete and is stored when recording ends.`,
              );
          },
        );
        this.follower = f;
        f.start();
      },
      (e: Error) => this.lose(e),
    );
  }

  /** Stops the follower after its current batch; the counts of what it stored. */
  private async stopFollower(): Promise<void> {
    this.closing = true;
    await this.starting;
    const f = this.follower;
    if (!f) return;
    this.follower = undefined;
    const r = await f.stop();
    this.liveLines = r.liveLines;
    this.storedPrefix = r.storedPrefix;
  }

  private lose(e: Error, message?: string): void {
    if (this.down) return;
    this.down = true;
    const f = this.follower;
    this.follower = undefined;
    void f?.stop();
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
   * After the recording ended (the capture file is complete): stops the follower after its batch, then
   * pushes the file, which completes the session. Never throws; bounded by `timeoutMs` (or the
   * grace `hurry` gave).
   */
  async close(timeoutMs = 60_000): Promise<SinkResult> {
    const work = (async (): Promise<boolean> => {
      await this.ready;
      await this.stopFollower();
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
