// Client mode's SSE event reader: eventsource-parser (the parser the SDK itself reads the stream
// with, linear in the event size), fed the same bytes the SDK gets, so each event is recorded
// exactly as the client saw it without delaying the stream.
//
// The recorder keeps its own parser (shared/http/sse.ts) because it must report what the spec
// and this library drop: events with fields but no `data:` line, the persisted last event id for
// resumption, `retry:` values and an event cut off at stream end, byte-exact.

import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder();
  private readonly parser: EventSourceParser;

  constructor(onEvent: (e: SseEvent) => void) {
    this.parser = createParser({
      onEvent: (ev) => {
        const e: SseEvent = { event: ev.event || 'message', data: ev.data };
        // Only the id an event carried itself (the library does not carry ids over either).
        if (ev.id !== undefined) e.id = ev.id;
        onEvent(e);
      },
    });
  }

  push(chunk: Uint8Array): void {
    this.parser.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /**
   * The stream ended. Browsers discard an event whose blank line never came; a recorder keeps it
   * (losing a frame is worse), so the missing line ends are supplied.
   */
  end(): void {
    const rest = this.decoder.decode();
    this.parser.feed(`${rest}\n\n`);
    this.parser.reset();
  }
}
