// Recording work, deferred: forwarding never waits for it. Everything goes through one queue, so
// records keep the order of the events they describe, and each record carries the time its event
// happened (taken when it happened, not when the queue runs). The queue runs a few milliseconds
// after the first item arrives (or at once when many pile up), so the records of several
// exchanges are built back to back and reach the file in one write: on a machine where the client,
// the server and the recorder compete for the cores, recording in batches costs them less than
// recording after every chunk.

export interface RecordQueueOptions {
  /** Reports a task that threw (recording bugs never reach the forwarding path). */
  onError?: (e: Error) => void;
  /** Wraps each run (the HTTP recorder passes the capture writer's `batch`: one write per run). */
  around?: (work: () => void) => void;
  /** How long the first queued item may wait (0: the end of the current event-loop turn). */
  delayMs?: number;
  /** Past this many queued items the queue runs at the end of the turn, whatever the delay. */
  maxQueued?: number;
}

export class RecordQueue {
  private work: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate = false;
  private readonly onError: (e: Error) => void;
  private readonly around: (work: () => void) => void;
  private readonly delayMs: number;
  private readonly maxQueued: number;

  constructor(opts: RecordQueueOptions = {}) {
    this.onError = opts.onError ?? (() => undefined);
    this.around = opts.around ?? ((work) => work());
    this.delayMs = opts.delayMs ?? 0;
    this.maxQueued = opts.maxQueued ?? 1024;
  }

  /** Queue a task; it runs after everything queued before it. */
  later(fn: () => void): void {
    this.work.push(fn);
    if (this.immediate) return;
    if (this.delayMs === 0 || this.work.length >= this.maxQueued) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate = true;
      setImmediate(() => this.drain());
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.drain(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Run everything queued now (also used at shutdown). Tasks queued by tasks run too. */
  drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.immediate = false;
    for (let rounds = 0; rounds < 1000 && this.work.length > 0; rounds++) {
      const work = this.work;
      this.work = [];
      this.around(() => {
        for (const f of work) this.run(f);
      });
    }
  }

  private run(f: () => void): void {
    try {
      f();
    } catch (e) {
      // A recording bug must never break forwarding.
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
