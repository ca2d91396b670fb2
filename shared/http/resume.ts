// Last-Event-ID resumption (Streamable HTTP): a client that lost an SSE stream reconnects with a
// GET carrying `Last-Event-ID`, and the server replays what came after that event. The recorder
// keeps a ledger of which stream carried which event id, so a resumed stream can be linked to the
// one it continues, and replayed events can be told apart from new ones.

export interface ResumePoint {
  /** The stream that carried the event the client resumes after. */
  stream: string;
  eventId: string;
}

export class EventLedger {
  // Map iteration is insertion order: the first key is the oldest.
  private readonly byId = new Map<string, string>();

  /** @param capacity ids remembered (oldest forgotten first), so a long session stays bounded. */
  constructor(private readonly capacity = 100_000) {}

  /** Note that `stream` delivered an event with `eventId`. */
  see(stream: string, eventId: string): void {
    if (eventId === '') return;
    if (!this.byId.has(eventId) && this.byId.size >= this.capacity) {
      const oldest = this.byId.keys().next();
      if (!oldest.done) this.byId.delete(oldest.value);
    }
    this.byId.set(eventId, stream);
  }

  /** Where a `Last-Event-ID` value points, or undefined when the id was never seen through the proxy. */
  resumeOf(lastEventId: string): ResumePoint | undefined {
    const stream = this.byId.get(lastEventId);
    return stream === undefined ? undefined : { stream, eventId: lastEventId };
  }

  /** True when an event id was already delivered once: a replay after resumption. */
  seen(eventId: string): boolean {
    return this.byId.has(eventId);
  }
}
