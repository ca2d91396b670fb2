// Work deferred to the end of the current event-loop turn, network first: bytes that arrived in
// this turn are forwarded (uncorked, one syscall) before any recording work runs, so recording
// never sits between a chunk's arrival and its delivery. Recording keeps event order because it
// all goes through one queue, and each record carries the time its event happened.

export class TurnQueue {
  private net: (() => void)[] = [];
  private work: (() => void)[] = [];
  private scheduled = false;

  /**
   * `around` wraps each round of recording work (the HTTP recorder passes the capture writer's
   * `batch`, so a turn's records leave in one write).
   */
  constructor(
    private readonly onError: (e: Error) => void = () => undefined,
    private readonly around: (work: () => void) => void = (work) => work(),
  ) {}

  /** Run at the end of this turn, before any recording work (e.g. uncork a response). */
  network(fn: () => void): void {
    this.net.push(fn);
    this.schedule();
  }

  /** Run at the end of this turn, after the network work, in call order. */
  later(fn: () => void): void {
    this.work.push(fn);
    this.schedule();
  }

  /** Run everything queued now (also used at shutdown). */
  drain(): void {
    this.scheduled = false;
    for (let rounds = 0; rounds < 1000 && (this.net.length > 0 || this.work.length > 0); rounds++) {
      for (const f of this.net.splice(0)) this.run(f);
      const work = this.work.splice(0);
      if (work.length > 0) this.around(() => work.forEach((f) => this.run(f)));
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
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
