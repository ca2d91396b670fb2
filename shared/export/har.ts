// HAR 1.2 from an HTTP capture (Streamable HTTP or legacy SSE): one entry per recorded HTTP
// exchange (the recorder's `stream` id ties the request's `http` record, its body frame, the
// response's `http` record and the response's frames together). SSE responses are written as
// the event-stream text their frames were carried in. Header values are already masked by the
// recorder; the export's redactor has been applied to the records before this runs.
// Streamed: HarBuilder takes one record at a time and writes each entry (pretty-printed as
// JSON.stringify(har, null, 2) would) once its exchange is complete, in request order; toHar is
// the whole-capture wrapper over it.

import type { EventRecord, FrameRecord, HeaderRecord, HttpRecord } from '../capture/types.js';
import { InOrder } from './in-order.js';

export class HarError extends Error {}

interface Exchange {
  req?: HttpRecord;
  res?: HttpRecord;
  reqBody: FrameRecord[];
  resBody: FrameRecord[];
  lastTs: number;
  error?: string;
  id: string;
  key: number;
  /** A later part of an exchange already written (its stream was still open). */
  continued?: boolean;
}

const header = (headers: Record<string, string>) =>
  Object.entries(headers).flatMap(([name, v]) => v.split('\n').map((value) => ({ name, value })));

function body(frames: FrameRecord[]): string {
  return frames.map((f) => f.text ?? `[${f.b64?.length ?? 0} bytes of base64]`).join('\n');
}

function sseText(frames: FrameRecord[]): string {
  return frames
    .map(
      (f) =>
        `${f.eventId !== undefined ? `id: ${f.eventId}\n` : ''}${(f.text ?? '')
          .split('\n')
          .map((l) => `data: ${l}`)
          .join('\n')}\n\n`,
    )
    .join('');
}

const utf8Len = (s: string) => new TextEncoder().encode(s).length;

/** HTTP exchanges held at most, and their body text at most (then the oldest is written). */
export const HAR_MAX_HELD = 1_000;
export const HAR_MAX_HELD_CHARS = 32 * 1024 * 1024;
/** Written exchanges whose heads are kept for continuations. */
const HAR_REMEMBER = 10_000;

const frameChars = (f: FrameRecord) => f.text?.length ?? f.b64?.length ?? 0;
const indent = (text: string, by: string) => `${by}${text.replace(/\n/g, `\n${by}`)}`;

/**
 * HAR built one record at a time. An exchange (one `stream` id) is written once it is complete
 * (a JSON response with its body, a 202/204 without one) and every exchange begun before it has
 * been written, so entries keep the request order; the rest (SSE streams have no end marker in a
 * capture) when the capture ends. Held: the exchanges not yet written, at most HAR_MAX_HELD of
 * them and HAR_MAX_HELD_CHARS of body text — past that the oldest is written as it stands (a
 * server that never answers, or a stream that never ends, cannot grow memory). Frames that arrive
 * for an exchange already written (a long-lived SSE stream) go into a continuation entry with the
 * same request and response heads, itself held and capped the same way; only frames for one of
 * more than 10,000 written exchanges back are left out, counted in the log's comment.
 */
export class HarBuilder {
  private readonly base: URL | undefined;
  private readonly byStream = new Map<string, Exchange>();
  private readonly queue: InOrder<Exchange>;
  /** The heads of written exchanges, for continuations (the newest HAR_REMEMBER). */
  private readonly written = new Map<string, { req?: HttpRecord; res?: HttpRecord }>();
  private next = 0;
  private entries = 0;
  private late = 0;
  private forgot = 0;

  constructor(
    header0: HeaderRecord,
    private readonly tool: string,
    private readonly out: (text: string) => void,
  ) {
    const src = header0.source;
    if (src.transport !== 'streamable-http' && src.transport !== 'sse') {
      throw new HarError(
        `HAR needs an HTTP session; this capture was recorded over ${src.transport}. Export it as jsonl, html, md, sarif or vitest instead.`,
      );
    }
    this.base = src.url !== undefined ? new URL(src.url) : undefined;
    this.queue = new InOrder((x) => this.write(x), HAR_MAX_HELD, HAR_MAX_HELD_CHARS);
    out(
      `{\n  "log": {\n    "version": "1.2",\n    "creator": {\n      "name": "mcpscope",\n      "version": ${JSON.stringify(tool)}\n    },\n    "entries": [`,
    );
  }

  private get(id: string, ts: number): Exchange {
    let x = this.byStream.get(id);
    if (!x) {
      const heads = this.written.get(id);
      x = { reqBody: [], resBody: [], lastTs: ts, id, key: this.next++ };
      if (heads) {
        if (heads.req) x.req = heads.req;
        if (heads.res) x.res = heads.res;
        x.continued = true;
      }
      this.byStream.set(id, x);
      this.queue.add(x.key, x);
    }
    x.lastTs = Math.max(x.lastTs, ts);
    return x;
  }

  add(r: EventRecord): void {
    if (r.type === 'http') {
      const x = this.get(r.stream, r.ts);
      if (r.dir === 'c2s') x.req = r;
      else {
        x.res = r;
        // No body follows (a JSON body, if any, completes it as below).
        const json = (r.headers['content-type'] ?? '').includes('application/json');
        if ((r.status === 202 || r.status === 204) && !json) this.queue.complete(x.key);
      }
    } else if (r.type === 'frame' && r.stream !== undefined) {
      const x = this.get(r.stream, r.ts);
      (r.dir === 'c2s' ? x.reqBody : x.resBody).push(r);
      this.queue.grow(x.key, frameChars(r));
      const type = x.res?.headers['content-type'] ?? '';
      if (r.dir === 's2c' && x.res && type.includes('application/json')) this.queue.complete(x.key);
    } else if (r.type === 'error' && r.stream !== undefined) {
      this.get(r.stream, r.ts).error = `${r.where}: ${r.message}`;
    }
  }

  private write(x: Exchange): void {
    this.byStream.delete(x.id);
    if (!x.req) {
      // Without a request head there is no entry; once heads have been forgotten, these may be
      // the late frames of an exchange written long ago: counted for the log's comment.
      if (this.forgot > 0) this.late += x.reqBody.length + x.resBody.length;
      return;
    }
    this.written.set(x.id, { req: x.req, ...(x.res ? { res: x.res } : {}) });
    if (this.written.size > HAR_REMEMBER) {
      this.written.delete(this.written.keys().next().value!);
      this.forgot++;
    }
    const entry = entryOf(x, this.base);
    if (x.continued)
      entry.comment =
        'continued: more of an exchange written earlier with the same request (its stream was still open when that entry was written)';
    this.out(
      `${this.entries++ === 0 ? '\n' : ',\n'}${indent(JSON.stringify(entry, null, 2), '      ')}`,
    );
  }

  /** The end of the capture: the exchanges still held, then the end of the document. */
  finish(): void {
    this.queue.finish();
    const comment =
      this.late > 0
        ? `,\n    "comment": ${JSON.stringify(`${this.late} frames without a recorded request are not in this file (they may belong to exchanges written more than 10,000 exchanges earlier).`)}`
        : '';
    this.out(`${this.entries > 0 ? '\n    ]' : ']'}${comment}\n  }\n}`);
  }
}

function entryOf(x: Exchange, base: URL | undefined): Record<string, unknown> {
  const req = x.req!;
  const url = base ? new URL(req.path ?? '/', base).toString() : `http://unknown${req.path ?? '/'}`;
  const reqText = body(x.reqBody);
  const contentType = x.res?.headers['content-type'] ?? '';
  const isSse = contentType.includes('text/event-stream');
  const resText = isSse ? sseText(x.resBody) : body(x.resBody);
  const wait = x.res ? Math.max(0, x.res.ts - req.ts) : 0;
  const receive = Math.max(0, x.lastTs - (x.res?.ts ?? req.ts));
  const entry: Record<string, unknown> = {
    startedDateTime: new Date(req.ts).toISOString(),
    time: wait + receive,
    request: {
      method: req.method ?? 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: header(req.headers),
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
      ...(x.reqBody.length
        ? {
            postData: {
              mimeType: req.headers['content-type'] ?? 'application/json',
              text: reqText,
            },
          }
        : {}),
      headersSize: -1,
      bodySize: x.reqBody.length ? utf8Len(reqText) : 0,
    },
    response: {
      status: x.res?.status ?? 0,
      statusText: x.res ? '' : (x.error ?? 'no response recorded'),
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: x.res ? header(x.res.headers) : [],
      content: { size: utf8Len(resText), mimeType: contentType || 'x-unknown', text: resText },
      redirectURL: '',
      headersSize: -1,
      bodySize: utf8Len(resText),
    },
    cache: {},
    timings: { send: 0, wait, receive },
  };
  if (x.error !== undefined) entry._error = x.error;
  return entry;
}

/** The whole HAR of a capture at once (the text toHar's object is parsed from). */
export function toHar(header0: HeaderRecord, records: Iterable<EventRecord>, tool: string): object {
  const parts: string[] = [];
  const b = new HarBuilder(header0, tool, (t) => parts.push(t));
  for (const r of records) b.add(r);
  b.finish();
  return JSON.parse(parts.join('')) as object;
}
