// One client request through the proxy: forward it to the target, stream the answer back chunk by
// chunk, and record both sides. Forwarding always comes first: recording reads copies, runs at
// the end of the event-loop turn (TurnQueue), and never throws into the forwarding path.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Channel, NewRecord } from '../../../../shared/capture/index.js';
import { bodyKind, EventLedger, FirstEventRewriter, lastEventIdOf, proxyErrorBody, rawHeader, recordHeaders, recordPath } from '../../../../shared/http/index.js';
import type { CaptureWriter } from '../../capture/writer.js';
import { nowMs } from '../../clock.js';
import { BodyCollector, DecodedTap } from './body.js';
import { SseTap } from './sse-tap.js';
import type { TurnQueue } from './turn.js';
import { contentTypeOf, describeUpstreamError, UpstreamTimeout, type Upstream } from './upstream.js';

export interface ProxyContext {
  writer: CaptureWriter;
  turn: TurnQueue;
  upstream: Upstream;
  targetUrl: string;
  proxyOrigin: string;
  /** The target speaks legacy HTTP+SSE (2024-11-05): GET streams are `legacy-sse`. */
  legacy: boolean;
  ledger: EventLedger;
  /** How long the target may take to send response headers. */
  timeoutMs: number;
  maxBodyBytes: number;
  nextStream: () => string;
  /** Open exchanges, closed on shutdown. */
  open: Set<Exchange>;
  closing: boolean;
}

export interface Exchange {
  stream: string;
  /** Shutdown: end the client's response (cleanly when possible) and drop the upstream request. */
  shutdown: () => void;
}

function errno(e: unknown): NodeJS.ErrnoException {
  return e instanceof Error ? (e as NodeJS.ErrnoException) : new Error(String(e));
}

const HOP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection']);

export function handleExchange(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): void {
  const { writer, turn } = ctx;
  const stream = ctx.nextStream();
  const method = req.method ?? 'GET';
  const path = req.url ?? '/';
  /** Record at the end of the turn, stamped with the time of the event. */
  const rec = (r: NewRecord): void => {
    const ts = nowMs();
    turn.later(() => void writer.append({ ...r, ts } as NewRecord));
  };

  const reqHeaders = req.rawHeaders;
  rec({ type: 'http', dir: 'c2s', stream, method, path: recordPath(path), headers: recordHeaders(reqHeaders) });
  const lastEventId = lastEventIdOf(req.headers);
  if (lastEventId !== undefined) {
    const ts = nowMs();
    // Resolved in the queue: the ledger is filled by SSE taps that run there too.
    turn.later(() => {
      const from = ctx.ledger.resumeOf(lastEventId);
      writer.append({
        type: 'note',
        ts,
        text: from
          ? `${stream} resumes stream ${from.stream} after event ${lastEventId} (Last-Event-ID)`
          : `${stream} asks to resume after event ${lastEventId} (Last-Event-ID), an event this recorder did not see`,
      });
    });
  }

  let finished = false; // the exchange is over (either side): no more records about it
  let responseStarted = false;
  let sseTap: SseTap | undefined;
  const endTap = (cut: boolean): void => {
    const t = sseTap;
    const ts = nowMs();
    if (t)
      turn.later(() => {
        t.arrivedAt = ts;
        t.end(cut);
      });
  };
  const exchange: Exchange = {
    stream,
    shutdown: () => {
      finished = true;
      endTap(true);
      upReq.destroy();
      if (!res.headersSent) answerError(503, 'mcpscope is shutting down; the request was not forwarded.');
      else res.end();
    },
  };
  ctx.open.add(exchange);
  const done = (): void => {
    finished = true;
    ctx.open.delete(exchange);
  };

  const answerError = (status: number, message: string): void => {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const body = proxyErrorBody(`mcpscope: ${message}`);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-mcpscope-error': '1' });
    res.end(body);
    rec({ type: 'http', dir: 's2c', stream, status, headers: { 'content-type': 'application/json', 'x-mcpscope-error': '1' } });
  };

  const upReq = ctx.upstream.request(method, path, reqHeaders);
  const timer = setTimeout(() => upReq.destroy(new UpstreamTimeout(ctx.timeoutMs)), ctx.timeoutMs);
  timer.unref();

  upReq.on('error', (e) => {
    clearTimeout(timer);
    if (finished) return;
    const err = errno(e);
    const f = describeUpstreamError(err, ctx.upstream.target);
    if (!responseStarted) {
      rec({ type: 'error', where: 'upstream', message: f.message, code: f.code, stream });
      answerError(f.status, f.message);
    } else {
      rec({ type: 'error', where: 'upstream', message: `the target broke off the response mid-stream: ${err.message}`, code: f.code, stream });
      endTap(true);
      res.destroy(); // the client must see the stream fail, not end cleanly
    }
    done();
  });

  // Client → target body, forwarded chunk by chunk; a copy is kept for the record.
  const reqBody = new BodyCollector(ctx.maxBodyBytes);
  req.on('data', (chunk: Buffer) => {
    if (!upReq.write(chunk)) {
      req.pause();
      upReq.once('drain', () => req.resume());
    }
    reqBody.push(chunk);
  });
  req.on('end', () => {
    upReq.end();
    const ts = nowMs();
    turn.later(() => {
      const p = reqBody.payload();
      if (p) writer.append({ type: 'frame', ts, dir: 'c2s', channel: 'http-post', stream, ...p });
    });
  });

  upReq.on('response', (up) => {
    clearTimeout(timer);
    responseStarted = true;
    if (finished) {
      up.destroy();
      return;
    }
    const status = up.statusCode ?? 502;
    const headers: string[] = [];
    for (let i = 0; i + 1 < up.rawHeaders.length; i += 2) {
      if (!HOP_RESPONSE.has(up.rawHeaders[i]!.toLowerCase())) headers.push(up.rawHeaders[i]!, up.rawHeaders[i + 1]!);
    }
    res.sendDate = false; // Node would add a Date header the target did not send
    res.writeHead(status, up.statusMessage, headers);
    // The headers leave at the end of this turn: with the first body bytes when those came in the
    // same read (one write), else on their own, so the client learns the answer has started (and,
    // for SSE, that the stream is open) while the target is still producing the body. The client
    // overlaps its own response handling with the target's work, as it does without the proxy.
    // (`res.headersSent` cannot tell: it turns true at writeHead, before anything is written.)
    let bodyWritten = false;
    turn.network(() => {
      if (!bodyWritten && !res.destroyed) res.flushHeaders();
    });
    rec({ type: 'http', dir: 's2c', stream, status, headers: recordHeaders(up.rawHeaders) });
    if (status >= 500) {
      rec({ type: 'error', where: 'upstream', message: `the target answered ${status} ${up.statusMessage ?? ''}`.trim(), code: `HTTP_${status}`, stream });
    }

    const kind = bodyKind(contentTypeOf(up));
    let arrivedAt: number | undefined;
    const at = (): { ts?: number } => (arrivedAt === undefined ? {} : { ts: arrivedAt });
    const encoding = rawHeader(up.rawHeaders, 'content-encoding');
    const recordError = (e: Error): void =>
      void writer.append({ type: 'error', ...at(), where: 'record', message: `cannot decode the response body for the record: ${e.message}`, stream });

    let tap: DecodedTap;
    let rewriter: FirstEventRewriter | undefined;
    if (kind === 'sse') {
      const channel: Channel = method === 'POST' ? 'post-sse' : ctx.legacy ? 'legacy-sse' : 'get-sse';
      const s = new SseTap(writer, stream, channel, ctx.ledger, ctx.targetUrl, ctx.proxyOrigin);
      sseTap = s;
      tap = new DecodedTap(encoding, (c) => s.push(c), () => s.end(false), recordError);
      // Only an identity-encoded GET stream can carry a legacy endpoint event we can rewrite.
      if (method === 'GET' && !encoding) rewriter = new FirstEventRewriter(ctx.targetUrl, ctx.proxyOrigin);
    } else {
      const body = new BodyCollector(ctx.maxBodyBytes);
      tap = new DecodedTap(
        encoding,
        (c) => body.push(c),
        () => {
          const p = body.payload();
          if (!p) return;
          // A 202 carries no JSON-RPC (legacy servers say "Accepted"): note it rather than log an invalid frame.
          if (status === 202 && kind !== 'json') writer.append({ type: 'note', ...at(), text: `${stream}: 202 body ${JSON.stringify(p.text ?? '(binary)').slice(0, 200)}` });
          else writer.append({ type: 'frame', ...at(), dir: 's2c', channel: 'http-response', stream, ...p });
        },
        recordError,
      );
    }

    // Writes made in one turn (an event and the end of the body, typically) leave in one syscall.
    let corked = false;
    const send = (chunk: Buffer | Uint8Array): void => {
      bodyWritten = true;
      if (!corked) {
        corked = true;
        res.cork();
        turn.network(() => {
          corked = false;
          res.uncork();
        });
      }
      if (!res.write(chunk)) {
        up.pause();
        res.once('drain', () => up.resume());
      }
    };
    up.on('data', (chunk: Buffer) => {
      if (rewriter) for (const part of rewriter.push(chunk).out) send(part);
      else send(chunk);
      // Frames are stamped with the time their last chunk arrived, not when the queue ran.
      const ts = nowMs();
      turn.later(() => {
        arrivedAt = ts;
        if (sseTap) sseTap.arrivedAt = ts;
        tap.push(chunk);
      });
    });
    up.on('end', () => {
      if (rewriter) for (const part of rewriter.flush()) send(part);
      bodyWritten = true;
      res.end();
      const ts = nowMs();
      turn.later(() => {
        arrivedAt = ts;
        if (sseTap) sseTap.arrivedAt = ts;
        tap.end();
      });
      done();
    });
    // The target reset the connection mid-body: pass the failure on instead of a clean end.
    up.on('close', () => {
      if (finished || up.complete) return;
      rec({ type: 'error', where: 'upstream', message: 'the target broke off the response mid-stream (connection closed before the body was complete)', code: 'ECONNRESET', stream });
      endTap(true);
      done();
      res.destroy();
    });
    up.on('error', () => undefined); // reported by 'close' above
  });

  // The client went away. For SSE this is how streams normally end; for anything else the answer was lost.
  res.on('close', () => {
    if (finished || res.writableFinished) {
      done();
      return;
    }
    if (ctx.closing) return;
    if (sseTap) {
      rec({ type: 'note', text: `${stream}: the client closed the SSE stream` });
      endTap(true);
    } else {
      rec({ type: 'error', where: 'client', message: 'the client disconnected before the response was complete', code: 'ECONNRESET', stream });
    }
    done();
    upReq.destroy();
  });
  req.on('error', (e) => {
    if (finished) return;
    rec({ type: 'error', where: 'client', message: `reading the client's request failed: ${e.message}`, stream });
  });
}
