// Incremental parser for text/event-stream (WHATWG HTML "server-sent events"), fed raw chunks as
// they arrive from the network. Chunk boundaries may fall anywhere: inside a UTF-8 sequence,
// between "\r" and "\n", inside a field name. Pure: no Node built-ins (TextDecoder is universal).

export interface SseEvent {
  /** The `event:` field; undefined means the default type "message". */
  event?: string;
  /** The data lines joined with "\n" (the trailing newline removed, as the spec says). */
  data: string;
  /** False when the event had no `data:` line at all (browsers would not dispatch it). */
  hasData: boolean;
  /** The `id:` field of this event, when it had one. */
  id?: string;
  /** The stream's last event id after this event (ids persist across events). */
  lastEventId: string;
  /** The `retry:` field, when valid. */
  retry?: number;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private pending: string[] = [];
  /** The previous chunk ended with "\r": a "\n" starting the next one belongs to the same line end. */
  private skipLf = false;
  private started = false;
  private dataLines: string[] = [];
  private eventType: string | undefined;
  private eventId: string | undefined;
  private retry: number | undefined;
  private hasFields = false;
  private lastId = '';

  /** Feed bytes (or already-decoded text); returns the events this chunk completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLf && text.length > 0) {
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      this.skipLf = false;
    }
    // The unfinished line is kept as a list of pieces and joined once it ends: a 50 MB event
    // arriving in 64 KiB chunks is scanned once, never re-concatenated per chunk.
    const out: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const piece = text.slice(start, i);
      const line = this.pending.length === 0 ? piece : `${this.pending.join('')}${piece}`;
      this.pending = [];
      this.line(line, out);
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLf = true;
        }
      }
      start = i + 1;
    }
    if (start < text.length) this.pending.push(start === 0 ? text : text.slice(start));
    return out;
  }

  /**
   * The stream ended. The spec discards an event that was not terminated by a blank line; the
   * recorder still wants to know, so this returns the text left over (empty when none).
   */
  end(): string {
    const rest = this.pending.join('') + this.decoder.decode();
    this.pending = [];
    const pending = this.hasFields ? `${this.dataLines.join('\n')}${rest}` : rest;
    this.reset();
    return pending;
  }

  /** The last event id seen on this stream ('' when none): what a client resumes with. */
  get lastEventId(): string {
    return this.lastId;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment (keep-alives)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataLines.push(value);
        this.hasFields = true;
        break;
      case 'event':
        this.eventType = value;
        this.hasFields = true;
        break;
      case 'id':
        // An id containing NULL is ignored by the spec.
        if (!value.includes('\u0000')) {
          this.eventId = value;
          this.lastId = value;
          this.hasFields = true;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          this.retry = Number(value);
          this.hasFields = true;
        }
        break;
      default:
        // Unknown fields are ignored by the spec.
        break;
    }
  }

  private dispatch(out: SseEvent[]): void {
    if (this.hasFields) {
      const ev: SseEvent = {
        data: this.dataLines.join('\n'),
        hasData: this.dataLines.length > 0,
        lastEventId: this.lastId,
      };
      if (this.eventType !== undefined && this.eventType !== '') ev.event = this.eventType;
      if (this.eventId !== undefined) ev.id = this.eventId;
      if (this.retry !== undefined) ev.retry = this.retry;
      out.push(ev);
    }
    this.reset();
  }

  private reset(): void {
    this.dataLines = [];
    this.eventType = undefined;
    this.eventId = undefined;
    this.retry = undefined;
    this.hasFields = false;
  }
}
