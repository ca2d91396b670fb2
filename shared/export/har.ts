// HAR 1.2 from an HTTP capture (Streamable HTTP or legacy SSE): one entry per recorded HTTP
// exchange (the recorder's `stream` id ties the request's `http` record, its body frame, the
// response's `http` record and the response's frames together). SSE responses are written as
// the event-stream text their frames were carried in. Header values are already masked by the
// recorder; the export's redactor has been applied to the records before this runs.

import type { EventRecord, FrameRecord, HeaderRecord, HttpRecord } from '../capture/types.js';

export class HarError extends Error {}

interface Exchange {
  req?: HttpRecord;
  res?: HttpRecord;
  reqBody: FrameRecord[];
  resBody: FrameRecord[];
  lastTs: number;
  error?: string;
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

export function toHar(header0: HeaderRecord, records: Iterable<EventRecord>, tool: string): object {
  const src = header0.source;
  if (src.transport !== 'streamable-http' && src.transport !== 'sse') {
    throw new HarError(
      `HAR needs an HTTP session; this capture was recorded over ${src.transport}. Export it as jsonl, html, md, sarif or vitest instead.`,
    );
  }
  const base = src.url !== undefined ? new URL(src.url) : undefined;
  const byStream = new Map<string, Exchange>();
  const order: Exchange[] = [];
  const get = (id: string, ts: number): Exchange => {
    let x = byStream.get(id);
    if (!x) {
      x = { reqBody: [], resBody: [], lastTs: ts };
      byStream.set(id, x);
      order.push(x);
    }
    x.lastTs = Math.max(x.lastTs, ts);
    return x;
  };
  for (const r of records) {
    if (r.type === 'http') {
      const x = get(r.stream, r.ts);
      if (r.dir === 'c2s') x.req = r;
      else x.res = r;
    } else if (r.type === 'frame' && r.stream !== undefined) {
      const x = get(r.stream, r.ts);
      (r.dir === 'c2s' ? x.reqBody : x.resBody).push(r);
    } else if (r.type === 'error' && r.stream !== undefined) {
      get(r.stream, r.ts).error = `${r.where}: ${r.message}`;
    }
  }
  const entries = order
    .filter((x) => x.req)
    .map((x) => {
      const req = x.req!;
      const url = base
        ? new URL(req.path ?? '/', base).toString()
        : `http://unknown${req.path ?? '/'}`;
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
    });
  return { log: { version: '1.2', creator: { name: 'mcpscope', version: tool }, entries } };
}
