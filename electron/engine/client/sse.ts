// A small incremental Server-Sent Events parser (WHATWG rules: lines end with CRLF, LF or CR;
// `data:` lines joined with "\n"; a blank line dispatches). Used beside the SDK's own parser to
// record each event exactly as it arrived, without delaying the stream.

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder();
  private buf = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private sawField = false;

  constructor(private readonly onEvent: (e: SseEvent) => void) {}

  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    this.feed(this.decoder.decode());
    // An event without its blank line at stream end is discarded by browsers; we still keep it
    // only if it carried data, because for a recorder losing a frame is worse.
    if (this.buf.length) this.line(this.buf);
    this.buf = '';
    if (this.data.length) this.dispatch();
  }

  private feed(s: string): void {
    this.buf += s;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buf);
      if (!m) break;
      // A lone CR at the very end may be the first half of CRLF: wait for more.
      if (m[0] === '\r' && m.index === this.buf.length - 1) break;
      const line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.sawField) this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.sawField = true;
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  private dispatch(): void {
    const e: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
    if (this.id !== undefined) e.id = this.id;
    this.data = [];
    this.event = '';
    this.sawField = false;
    // Record only the id an event carried itself (the browser's "last event id" persists).
    this.id = undefined;
    this.onEvent(e);
  }
}
