// One client connection through the HTTP recorder, forwarded at the TCP level. Each client
// connection gets its own connection to the target; bytes pass in both directions as they arrive,
// and a passive HTTP/1.1 parser on each side only finds where messages start and end, so each
// exchange (one request and its response) can be recorded. Only the Host value of a request head
// changes, to name the target; response bytes reach the client exactly as the target sent them
// (except a legacy `endpoint` event, rewritten so the client keeps posting through the proxy), and
// all but the head of a GET's response leave before they are parsed.
//
// Each exchange moves through one phase at a time (phase.ts: reading-request → forwarding →
// streaming-response → done, or failed); the connection is in one mode (http, tunnel, over).
// The parts: forwarding here (the head's Host rewrite in forward-head.ts, the target socket in
// upstream.ts), recording in exchange.ts, the proxy's own answers and the exits in own-answers.ts.
//
// Forwarding always comes first: recording reads copies, runs later from one queue (RecordQueue)
// and never throws into the forwarding path. The exchanges of one connection are
// answered in order: a further request waits (the client socket paused) until the current one
// is answered, so answers the proxy writes itself can never overtake the target's.

import type { Socket } from 'node:net';
import { bodyKind, FirstEventRewriter } from '../../../../shared/http/index.js';
import {
  endTap,
  newExchange,
  recordRequest,
  recordRequestBody,
  recordResponse,
  recordResponseBody,
  type Exchange,
  type ProxyContext,
} from './exchange.js';
import { headForTarget } from './forward-head.js';
import { ConnectionCore, errno } from './own-answers.js';
import { awaitingResponse, final, responseOver, streaming } from './phase.js';
import { NOT_ACCEPTING } from './send.js';
import { connectTarget } from './upstream.js';
import { chunkOf, LAST_CHUNK, WireParser, type Head } from './wire.js';

export type { ProxyContext } from './exchange.js';

/**
 * Forwarding and the recording of each exchange. The connection's state, the answers the proxy
 * gives itself and the connection's end live in ConnectionCore (own-answers.ts).
 */
export class ClientConnection extends ConnectionCore {
  private readonly requests = new WireParser('request');
  /** Client bytes of a further request, waiting until the current exchange is answered. */
  private stash: Buffer | undefined;

  constructor(
    ctx: ProxyContext,
    client: Socket,
    private readonly onClose: (c: ClientConnection) => void,
  ) {
    super(ctx, client);
    client.on('data', (c: Buffer) => {
      try {
        this.fromClient(c);
      } catch (e) {
        this.failed(e);
      }
    });
    client.on('end', () => this.clientEnd());
    client.on('close', () => this.clientClosed());
    client.on('error', () => undefined); // 'close' follows and says what it means
  }

  protected notifyClosed(): void {
    this.onClose(this);
  }

  /** The stream id of an exchange still in progress, if any. */
  get openStream(): string | undefined {
    const ex = this.ex;
    return ex && !final(ex.phase) ? ex.stream : undefined;
  }

  // ── client → target ────────────────────────────────────────────────────────────────────────

  private fromClient(chunk: Buffer): void {
    if (this.mode === 'over') return;
    if (this.mode === 'tunnel') {
      if (this.up && !this.up.write(chunk)) this.waitForTarget(this.up);
      return;
    }
    if (!this.out.run(() => this.parseClient(chunk, 0)).target && this.out.fullTarget)
      this.waitForTarget(this.out.fullTarget);
    this.watchHead();
  }

  /** A client that starts a request head must finish it in time, or it is answered 408 and cut. */
  private watchHead(): void {
    if (!this.requests.headPending || this.over) {
      if (this.headTimer) clearTimeout(this.headTimer);
      this.headTimer = undefined;
      return;
    }
    this.headTimer ??= setTimeout(() => {
      if (!this.requests.headPending || this.over) return;
      const ms = this.ctx.headTimeoutMs;
      this.rec({
        type: 'error',
        where: 'client',
        message: `the client sent part of a request head and not the rest within ${ms} ms`,
        code: 'ETIMEDOUT',
      });
      this.refuse(408, `mcpscope: the request head did not arrive within ${ms} ms.\n`);
    }, this.ctx.headTimeoutMs);
    this.headTimer.unref();
  }

  /** The target reads slower than the client sends: stop reading the client until it drained. */
  private waitForTarget(up: Socket): void {
    if (up.destroyed) return;
    this.client.pause();
    up.once('drain', () => {
      if (!this.stash) this.client.resume();
    });
  }

  /** The client reads slower than the target sends: stop reading the target until it drained. */
  private waitForClient(sock: Socket): void {
    sock.pause();
    this.client.once('drain', () => sock.resume());
  }

  private parseClient(chunk: Buffer, from: number): void {
    let at = from;
    for (;;) {
      if (this.mode !== 'http') {
        if (this.mode === 'tunnel' && at < chunk.length && this.up)
          this.out.toTarget(this.up, chunk.subarray(at));
        return;
      }
      const ex = this.ex;
      if (ex && this.requests.idle && !responseOver(ex.phase)) {
        // A further request while this one is still being answered: it waits its turn.
        if (at < chunk.length) {
          const rest = chunk.subarray(at);
          this.stash = this.stash ? Buffer.concat([this.stash, rest]) : rest;
          this.client.pause();
        }
        return;
      }
      const s = this.requests.step(chunk, at);
      if (s.type === 'need') return;
      if (s.type === 'error') {
        this.badRequest(s.message);
        return;
      }
      if (s.type === 'head') this.requestHead(s.head);
      else if (s.type === 'body') this.requestBody(chunk, s.start, s.next, s.data);
      else this.requestDone();
      at = s.next;
    }
  }

  private requestHead(head: Head): void {
    const { ctx } = this;
    if (head.hosts.length > 1)
      return this.refuse(400, 'mcpscope: the request has more than one Host header.\n');
    if (!ctx.hostOk(head.host)) {
      return this.refuse(
        403,
        'mcpscope: foreign Host header refused (DNS rebinding protection). Use the URL mcpscope printed.\n',
      );
    }
    if (ctx.closing) return this.refuse(503, NOT_ACCEPTING);
    if (head.method === 'CONNECT')
      return this.refuse(
        405,
        'mcpscope is a reverse proxy for one target; CONNECT is not supported. Point the client at the URL mcpscope printed.\n',
      );

    const stream = ctx.nextStream();
    const up = this.upstream();
    const ex = newExchange(stream, head, up, ctx.maxBodyBytes);
    this.ex = ex;
    this.upParser!.expect(head.method);
    for (const part of headForTarget(head, this.ctx.hostValue)) this.out.toTarget(up, part);
    ex.timer = setTimeout(() => this.timedOut(ex), ctx.timeoutMs);
    ex.timer.unref();

    recordRequest(ctx, ex, head);
  }

  private requestBody(chunk: Buffer, start: number, next: number, data: Buffer[]): void {
    const ex = this.ex!;
    const up = ex.up;
    // Also after an early answer (a 413, say): the target reads the rest of the body before the next request.
    if (up && !up.destroyed && up === this.up) this.out.toTarget(up, chunk.subarray(start, next));
    for (const d of data) ex.reqBody.push(d);
  }

  private requestDone(): void {
    const ex = this.ex!;
    this.advance(ex, 'request-end');
    recordRequestBody(this.ctx, ex);
    if (ex.phase === 'done') this.exchangeOver();
  }

  // ── the target connection ──────────────────────────────────────────────────────────────────

  private upstream(): Socket {
    if (this.up && !this.up.destroyed) return this.up;
    const sock = connectTarget(this.ctx.target);
    const parser = new WireParser('response');
    this.up = sock;
    this.upParser = parser;
    sock.on('data', (c: Buffer) => {
      try {
        this.fromTarget(sock, parser, c);
      } catch (e) {
        this.failed(e);
      }
    });
    sock.on('error', (e) => this.targetGone(sock, parser, errno(e)));
    sock.on('close', () => this.targetGone(sock, parser, undefined));
    return sock;
  }

  /** Forget the target connection (it failed, or its exchange was answered by the proxy). */
  protected dropTarget(): void {
    const s = this.up;
    this.up = undefined;
    this.upParser = undefined;
    s?.destroy();
  }

  private fromTarget(sock: Socket, parser: WireParser, chunk: Buffer): void {
    if (sock !== this.up || this.mode === 'over') return;
    if (this.mode === 'tunnel') {
      if (!this.client.write(chunk)) this.waitForClient(sock);
      return;
    }
    // Bytes pass on untouched unless they may hold the head of a GET's response (only a GET's SSE
    // stream can need its first event rewritten, which its head decides): they leave before they
    // are parsed, as through a plain pipe, and the parsing that follows only finds the messages
    // to record.
    const ex = this.ex;
    if (
      ex &&
      !responseOver(ex.phase) &&
      (ex.method !== 'GET' || (streaming(ex.phase) && !ex.rewriter))
    ) {
      this.out.passed = true;
      if (!this.client.write(chunk)) this.waitForClient(sock);
    }
    const sent = this.out.run(() => this.parseTarget(sock, parser, chunk));
    this.out.passed = false;
    if (!sent.client) this.waitForClient(sock);
  }

  private parseTarget(sock: Socket, parser: WireParser, chunk: Buffer): void {
    let at = 0;
    for (;;) {
      const s = parser.step(chunk, at);
      if (s.type === 'need') break;
      if (s.type === 'error') {
        this.badResponse(s.message);
        break;
      }
      if (s.type === 'head') this.responseHead(s.head);
      else if (s.type === 'body') this.responseBody(chunk, s.start, s.next, s.data);
      else if (this.ex && !responseOver(this.ex.phase)) this.responseDone(this.ex);
      at = s.next;
      if (this.mode === 'tunnel') {
        if (at < chunk.length) this.out.toClient(chunk.subarray(at));
        break;
      }
      if (sock !== this.up || this.mode === 'over') break;
    }
  }

  private responseHead(head: Head): void {
    const ex = this.ex;
    if (!ex || !awaitingResponse(ex.phase)) {
      this.rec({
        type: 'error',
        where: 'upstream',
        message: `the target sent a response (${head.startLine}) with no request waiting for it; its connection was closed`,
        code: 'EPROTO',
      });
      this.dropTarget();
      return;
    }
    const { stream } = ex;
    if (head.interim) {
      this.out.toClient(head.raw);
      this.rec({
        type: 'note',
        text: `${stream}: interim response ${head.status} ${head.reason}`.trim(),
      });
      return;
    }
    clearTimeout(ex.timer);
    this.advance(ex, 'response-head');
    ex.framing = head.framing;
    if (head.close) ex.closeAfter = true;
    this.out.toClient(head.raw);
    const { ctx } = this;
    recordResponse(ctx, ex, head);
    if (head.framing === 'tunnel') {
      // 101 Switching Protocols: from here on the connection is opaque bytes both ways.
      this.mode = 'tunnel';
      this.requests.tunnel();
      this.rec({
        type: 'note',
        text: `${stream}: the connection switched protocols (${head.header('upgrade') ?? 'unnamed'}); later bytes are forwarded but not recorded`,
      });
      const stash = this.stash;
      this.stash = undefined;
      if (stash && this.up) this.out.toTarget(this.up, stash);
      this.client.resume();
      return;
    }
    ex.isSse = bodyKind(head.header('content-type')) === 'sse';
    // Only an identity-encoded GET stream can carry a legacy endpoint event we can rewrite, and
    // only chunked or close-delimited framing lets its length change.
    if (
      ex.isSse &&
      ex.method === 'GET' &&
      (head.framing === 'chunked' || head.framing === 'close')
    ) {
      if (!head.header('content-encoding')) {
        ex.rewriter = new FirstEventRewriter(ctx.targetUrl, ctx.proxyOrigin);
        ex.rechunk = head.framing === 'chunked';
      }
    }
  }

  private writeOut(ex: Exchange, part: Uint8Array): void {
    if (part.length === 0) return;
    if (ex.rechunk) for (const p of chunkOf(part)) this.out.toClient(p);
    else this.out.toClient(part);
  }

  private responseBody(chunk: Buffer, start: number, next: number, data: Buffer[]): void {
    const ex = this.ex;
    if (!ex) return;
    if (ex.rewriter) {
      for (const d of data) for (const part of ex.rewriter.push(d).out) this.writeOut(ex, part);
    } else this.out.toClient(chunk.subarray(start, next));
    if (data.length > 0) recordResponseBody(this.ctx, ex, data);
  }

  private responseDone(ex: Exchange): void {
    if (ex.rewriter) {
      for (const part of ex.rewriter.flush()) this.writeOut(ex, part);
      if (ex.rechunk) this.out.toClient(LAST_CHUNK);
    }
    this.advance(ex, 'response-end');
    endTap(this.ctx, ex, false);
    this.exchangeOver();
  }

  /** Both halves of the current exchange are done: close if asked to, else take the next request. */
  protected exchangeOver(): void {
    const ex = this.ex;
    if (ex?.phase !== 'done') return;
    clearTimeout(ex.timer);
    if (ex.closeAfter) {
      this.mode = 'over';
      this.out.endClient();
      this.dropTarget();
      return;
    }
    const stash = this.stash;
    this.stash = undefined;
    this.client.resume();
    if (stash) this.out.run(() => this.parseClient(stash, 0));
  }

  private targetGone(
    sock: Socket,
    parser: WireParser,
    err: NodeJS.ErrnoException | undefined,
  ): void {
    if (sock !== this.up) return;
    this.up = undefined;
    this.upParser = undefined;
    if (this.mode === 'tunnel') {
      this.out.endClient();
      return;
    }
    const ex = this.ex;
    if (!ex || responseOver(ex.phase) || this.over) return; // an idle keep-alive connection closed: the next request opens another
    if (awaitingResponse(ex.phase)) {
      this.upstreamFailed(
        ex,
        err ?? Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }),
      );
      return;
    }
    if (!err && parser.finish() === 'complete') {
      this.responseDone(ex); // a body delimited by the connection's end
      return;
    }
    const why = err ? err.message : 'connection closed before the body was complete';
    this.rec({
      type: 'error',
      where: 'upstream',
      message: `the target broke off the response mid-stream (${why})`,
      code: err?.code ?? 'ECONNRESET',
      stream: ex.stream,
    });
    this.advance(ex, 'fail');
    endTap(this.ctx, ex, true);
    this.mode = 'over';
    this.client.destroy(); // the client must see the response fail, not end cleanly
  }
}
