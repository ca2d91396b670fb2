// Records an SSE response as it streams: each event carrying data becomes one frame with its
// channel, stream id and event id, at the moment it completes (the bytes were already forwarded).

import type { Channel } from '../../../../shared/capture/index.js';
import {
  recordPath,
  rewriteEndpoint,
  SseParser,
  type EventLedger,
  type SseEvent,
} from '../../../../shared/http/index.js';
import type { CaptureWriter } from '../../capture/writer.js';

export class SseTap {
  private readonly parser = new SseParser();
  private ended = false;
  /** When the bytes being parsed arrived: the time stamped on the frames they complete. */
  arrivedAt: number | undefined;

  constructor(
    private readonly writer: CaptureWriter,
    private readonly stream: string,
    private channel: Channel,
    private readonly ledger: EventLedger,
    private readonly targetUrl: string,
    private readonly proxyOrigin: string,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.ended) return;
    for (const ev of this.parser.push(chunk)) this.event(ev);
  }

  /** The stream is over; `cut` when it did not end normally. Safe to call twice. */
  end(cut: boolean): void {
    if (this.ended) return;
    this.ended = true;
    const rest = this.parser.end();
    if (rest.trim() !== '') {
      this.writer.append({
        type: 'note',
        ...this.stamp(),
        text: `${this.stream}: the SSE stream ${cut ? 'was cut' : 'ended'} in the middle of an event; ${rest.length} characters never formed a complete event, so the client did not receive them as a message`,
      });
    }
  }

  private event(ev: SseEvent): void {
    if (ev.id !== undefined) this.ledger.see(this.stream, ev.id);
    if (ev.event === 'endpoint') {
      // Legacy HTTP+SSE: the server names the URL to POST to. Not a JSON-RPC message.
      this.channel = 'legacy-sse';
      const r = rewriteEndpoint(ev.data, this.targetUrl, this.proxyOrigin);
      const where = recordPath(ev.data.trim());
      const text = r.rewritten
        ? `${this.stream}: legacy endpoint event ${where}, rewritten to ${recordPath(r.data.trim())} so the client keeps posting through the proxy`
        : r.foreign
          ? `${this.stream}: legacy endpoint event ${where} points at another origin than the target: the client will POST there directly and those messages are not recorded`
          : `${this.stream}: legacy endpoint event ${where}`;
      this.writer.append({ type: 'note', ...this.stamp(), text });
      return;
    }
    // No message: e.g. the SDK's priming event, which only sets an id for resumption.
    if (!ev.hasData || ev.data === '') return;
    this.writer.append({
      type: 'frame',
      ...this.stamp(),
      dir: 's2c',
      channel: this.channel,
      stream: this.stream,
      ...(ev.id !== undefined ? { eventId: ev.id } : {}),
      text: ev.data,
    });
  }

  private stamp(): { ts?: number } {
    return this.arrivedAt === undefined ? {} : { ts: this.arrivedAt };
  }
}
