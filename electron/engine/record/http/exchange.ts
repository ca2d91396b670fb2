// One exchange (a request and its response) through the HTTP recorder, and everything about
// recording it. Forwarding (connection.ts) only calls in here; the records themselves are built
// later, from the recording queue, off the forwarding path. Each carries the time its event
// happened, taken when it happened.

import type { Socket } from 'node:net';
import type { Channel, NewRecord } from '../../../../shared/capture/index.js';
import {
  bodyKind,
  recordHeaders,
  recordPath,
  type EventLedger,
  type FirstEventRewriter,
} from '../../../../shared/http/index.js';
import type { CaptureWriter } from '../../capture/writer.js';
import { nowMs } from '../../clock.js';
import { BodyCollector, DecodedTap } from './body.js';
import type { ExchangePhase } from './phase.js';
import type { RecordQueue } from './queue.js';
import { SseTap } from './sse-tap.js';
import type { Head } from './wire.js';

export interface ProxyContext {
  writer: CaptureWriter;
  queue: RecordQueue;
  target: URL;
  targetUrl: string;
  proxyOrigin: string;
  /** The target speaks legacy HTTP+SSE (2024-11-05): GET streams are `legacy-sse`. */
  legacy: boolean;
  ledger: EventLedger;
  /** How long the target may take to send response headers. */
  timeoutMs: number;
  /** How long a client may take to send a request head it has begun (slow-loris guard). */
  headTimeoutMs: number;
  maxBodyBytes: number;
  nextStream: () => string;
  /** ` host[:port]` of the target: the value the Host header gets on the way. */
  hostValue: Buffer;
  /** Reports an internal error (the connection it happened on is closed; the proxy keeps serving). */
  onError: (e: Error) => void;
  /** Whether a request's Host header is acceptable (DNS-rebinding guard). */
  hostOk: (host: string | undefined) => boolean;
  closing: boolean;
}

/** One request and its response. */
export interface Exchange {
  stream: string;
  method: string;
  /** The target connection the request went to (undefined when answered without forwarding). */
  up: Socket | undefined;
  reqBody: BodyCollector;
  /** Where the exchange stands (phase.ts): the one state its forwarding decisions read. */
  phase: ExchangePhase;
  /** Close the client connection once this exchange is over. */
  closeAfter: boolean;
  timer: NodeJS.Timeout | undefined;
  framing: Head['framing'];
  /** The response is an SSE stream (known at its head; the tap is built later, in the queue). */
  isSse: boolean;
  sse: SseTap | undefined;
  tap: DecodedTap | undefined;
  /** When the bytes being recorded arrived: the time stamped on the frames they complete. */
  arrivedAt: number | undefined;
  rewriter: FirstEventRewriter | undefined;
  /** The rewritten body is re-framed as chunks (the target sent it chunked). */
  rechunk: boolean;
}

export function newExchange(
  stream: string,
  head: Head,
  up: Socket,
  maxBodyBytes: number,
): Exchange {
  return {
    stream,
    method: head.method,
    up,
    reqBody: new BodyCollector(maxBodyBytes),
    phase: 'reading-request',
    closeAfter: head.close,
    timer: undefined,
    framing: 'none',
    isSse: false,
    sse: undefined,
    tap: undefined,
    arrivedAt: undefined,
    rewriter: undefined,
    rechunk: false,
  };
}

/** Record `r` later (from the queue), stamped with the time of the call. */
export function record(ctx: ProxyContext, r: NewRecord): void {
  const ts = nowMs();
  ctx.queue.later(() => void ctx.writer.append({ ...r, ts } as NewRecord));
}

/** The request line and headers (and a note when it resumes an SSE stream by Last-Event-ID). */
export function recordRequest(ctx: ProxyContext, ex: Exchange, head: Head): void {
  const ts = nowMs();
  const { stream } = ex;
  ctx.queue.later(() => {
    ctx.writer.append({
      type: 'http',
      ts,
      dir: 'c2s',
      stream,
      method: head.method,
      path: recordPath(head.target),
      headers: recordHeaders(head.rawHeaders),
    });
    const lastEventId = head.header('last-event-id');
    if (lastEventId === undefined || lastEventId === '') return;
    // Resolved in the queue: the ledger is filled by SSE taps that run there too.
    const from = ctx.ledger.resumeOf(lastEventId);
    ctx.writer.append({
      type: 'note',
      ts,
      text: from
        ? `${stream} resumes stream ${from.stream} after event ${lastEventId} (Last-Event-ID)`
        : `${stream} asks to resume after event ${lastEventId} (Last-Event-ID), an event this recorder did not see`,
    });
  });
}

/** The request body, once complete. */
export function recordRequestBody(ctx: ProxyContext, ex: Exchange): void {
  const ts = nowMs();
  ctx.queue.later(() => {
    const p = ex.reqBody.payload();
    if (p)
      ctx.writer.append({
        type: 'frame',
        ts,
        dir: 'c2s',
        channel: 'http-post',
        stream: ex.stream,
        ...p,
      });
  });
}

/** The status and headers (an error too for 5xx), and the tap that will record the body. */
export function recordResponse(ctx: ProxyContext, ex: Exchange, head: Head): void {
  const ts = nowMs();
  const { stream } = ex;
  const { status, reason } = head;
  ctx.queue.later(() => {
    ctx.writer.append({
      type: 'http',
      ts,
      dir: 's2c',
      stream,
      status,
      headers: recordHeaders(head.rawHeaders),
    });
    if (status >= 500) {
      ctx.writer.append({
        type: 'error',
        ts,
        where: 'upstream',
        message: `the target answered ${status} ${reason}`.trim(),
        code: `HTTP_${status}`,
        stream,
      });
    }
    if (head.framing !== 'tunnel') setUpTap(ctx, ex, head);
  });
}

/** Decoded body bytes of the response; frames are stamped with the time their last bytes arrived. */
export function recordResponseBody(ctx: ProxyContext, ex: Exchange, data: Buffer[]): void {
  const ts = nowMs();
  ctx.queue.later(() => {
    ex.arrivedAt = ts;
    if (ex.sse) ex.sse.arrivedAt = ts;
    for (const d of data) ex.tap?.push(d);
  });
}

export function endTap(ctx: ProxyContext, ex: Exchange, cut: boolean): void {
  const ts = nowMs();
  ctx.queue.later(() => {
    ex.arrivedAt = ts;
    if (ex.sse) ex.sse.arrivedAt = ts;
    if (cut) ex.sse?.end(true);
    else ex.tap?.end();
  });
}

/** How the response body is recorded (run in the recording queue). */
function setUpTap(ctx: ProxyContext, ex: Exchange, head: Head): void {
  const { stream } = ex;
  const status = head.status;
  const kind = bodyKind(head.header('content-type'));
  const encoding = head.header('content-encoding');
  const at = (): { ts?: number } => (ex.arrivedAt === undefined ? {} : { ts: ex.arrivedAt });
  const recordError = (e: Error): void =>
    void ctx.writer.append({
      type: 'error',
      ...at(),
      where: 'record',
      message: `cannot decode the response body for the record: ${e.message}`,
      stream,
    });
  if (kind === 'sse') {
    const channel: Channel =
      ex.method === 'POST' ? 'post-sse' : ctx.legacy ? 'legacy-sse' : 'get-sse';
    const s = new SseTap(ctx.writer, stream, channel, ctx.ledger, ctx.targetUrl, ctx.proxyOrigin);
    ex.sse = s;
    ex.tap = new DecodedTap(
      encoding,
      (c) => s.push(c),
      () => s.end(false),
      recordError,
    );
    return;
  }
  const body = new BodyCollector(ctx.maxBodyBytes);
  ex.tap = new DecodedTap(
    encoding,
    (c) => body.push(c),
    () => {
      const p = body.payload();
      if (!p) return;
      // A 202 carries no JSON-RPC (legacy servers say "Accepted"): note it rather than log an invalid frame.
      if (status === 202 && kind !== 'json')
        ctx.writer.append({
          type: 'note',
          ...at(),
          text: `${stream}: 202 body ${JSON.stringify(p.text ?? '(binary)').slice(0, 200)}`,
        });
      else
        ctx.writer.append({
          type: 'frame',
          ...at(),
          dir: 's2c',
          channel: 'http-response',
          stream,
          ...p,
        });
    },
    recordError,
  );
}
