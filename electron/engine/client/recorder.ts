// One connection's view of a capture file. Several connections may share one CaptureWriter
// (then every record carries `conn`); each record is also handed to the connection's listener
// (the app's live timeline) right after it is on disk.

import type { Channel, EventRecord, NewRecord, Payload } from '../../../shared/capture/index.js';
import type { Direction } from '../../../shared/protocol/index.js';
import type { CaptureWriter } from '../capture/writer.js';
import { isSecretHeader, maskHeaderValue } from '../../../shared/http/headers.js';

/** Headers for the record: names lower-cased, secrets masked by the same rules as the proxy's. */
export function maskHeaders(h: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = h instanceof Headers ? [...h.entries()] : Object.entries(h);
  for (const [k, v] of entries) {
    const name = k.toLowerCase();
    out[name] = isSecretHeader(name) ? maskHeaderValue(name, v) : v;
  }
  return out;
}

export function textPayload(text: string): Payload {
  return { text };
}

export class ConnRecorder {
  private streams = 0;

  constructor(
    readonly writer: CaptureWriter,
    /** Set when the file is shared by several connections. */
    readonly conn: string | undefined,
    private readonly onRecord: (r: EventRecord) => void,
  ) {}

  append(rec: NewRecord): void {
    const withConn =
      this.conn !== undefined && !('conn' in rec)
        ? ({ ...rec, conn: this.conn } as NewRecord)
        : rec;
    const full = this.writer.append(withConn);
    try {
      this.onRecord(full);
    } catch {
      // A listener's bug must not break the connection.
    }
  }

  /** A fresh id for an HTTP request/stream, unique within this connection. */
  nextStream(): string {
    this.streams++;
    return this.conn !== undefined ? `${this.conn}.h${this.streams}` : `h${this.streams}`;
  }

  frame(
    dir: Direction,
    channel: Channel,
    payload: Payload,
    extra: { stream?: string; eventId?: string } = {},
  ): void {
    this.append({ type: 'frame', dir, channel, ...payload, ...extra });
  }

  error(where: string, message: string, extra: { code?: string; stream?: string } = {}): void {
    this.append({ type: 'error', where, message, ...extra });
  }

  note(text: string): void {
    this.append({ type: 'note', text });
  }
}
