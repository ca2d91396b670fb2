// What the streamed har, vitest and otlp builders hold: the items still in flight (a request not
// yet answered, an HTTP exchange that may still get frames), released in the order they began as
// soon as the oldest is complete. Bounded: once more than `maxItems` items or `maxBytes` of their
// bodies are held, the oldest is released as it is (incomplete) — so a server that never answers
// (thousands of requests in flight) costs at most the cap, never memory that grows with the file.

export class InOrder<T> {
  /** Insertion order is release order (a Map keeps it). */
  private readonly held = new Map<number, { item: T; done: boolean; bytes: number }>();
  private bytes = 0;
  /** How many items were released before they were complete (the cap was reached). */
  forced = 0;

  constructor(
    private readonly release: (item: T, complete: boolean) => void,
    private readonly maxItems: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  add(key: number, item: T, bytes = 0, done = false): void {
    this.held.set(key, { item, done, bytes });
    this.bytes += bytes;
    this.drain();
  }

  get(key: number): T | undefined {
    return this.held.get(key)?.item;
  }

  /** More body bytes for a held item (counted towards the cap). */
  grow(key: number, bytes: number): void {
    const h = this.held.get(key);
    if (!h) return;
    h.bytes += bytes;
    this.bytes += bytes;
    this.drain();
  }

  complete(key: number): void {
    const h = this.held.get(key);
    if (!h) return;
    h.done = true;
    this.drain();
  }

  get size(): number {
    return this.held.size;
  }

  /** The end of the capture: everything still held, oldest first. */
  finish(): void {
    while (this.held.size > 0) this.shift();
  }

  private drain(): void {
    for (;;) {
      const first = this.held.values().next();
      if (first.done) return;
      if (first.value.done) this.shift();
      else if (this.held.size > this.maxItems || this.bytes > this.maxBytes) {
        this.forced++;
        this.shift();
      } else return;
    }
  }

  private shift(): void {
    const [key, h] = this.held.entries().next().value as [
      number,
      { item: T; done: boolean; bytes: number },
    ];
    this.held.delete(key);
    this.bytes -= h.bytes;
    this.release(h.item, h.done);
  }
}
