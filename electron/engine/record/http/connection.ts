// One client connection through the HTTP recorder, forwarded at the TCP level. Each client
// connection gets its own connection to the target; bytes pass in both directions as they arrive,
// and a passive HTTP/1.1 parser on each side only finds where messages start and end, so each
// exchange (one request and its response) can be recorded. Only the Host value of a request head
// changes, to name the target; response bytes reach the client exactly as the target sent them
// (except a legacy `endpoint` event, rewritten so the client keeps posting through the proxy), and
// all but the head of a GET's response leave before they are parsed.
//
// Forwarding always comes first: recording reads copies, runs later from one queue (RecordQueue)
// and never throws into the forwarding path. The exchanges of one connection are
// answered in order: a further request waits (the client socket paused) until the current one
// is answered, so answers the proxy writes itself can never overtake the target's.

import { stripOwnCookies } from './own-cookies.js';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { NewRecord } from '../../../../shared/capture/index.js';
import { bodyKind, FirstEventRewriter, proxyErrorBody } from '../../../../shared/http/index.js';
import {
  endTap,
  newExchange,
  record,
  recordRequest,
  recordRequestBody,
  recordResponse,
  recordResponseBody,
  type Exchange,
  type ProxyContext,
} from './exchange.js';
import { NOT_ACCEPTING, Outbox, ownResponse } from './send.js';
import { describeUpstreamError, UpstreamTimeout } from './upstream.js';
import { chunkOf, LAST_CHUNK, WireParser, type Head } from './wire.js';

export type { ProxyContext } from './exchange.js';

function errno(e: unknown): NodeJS.ErrnoException {
  return e instanceof Error ? (e as NodeJS.ErrnoException) : new Error(String(e));
}

export class ClientConnection {
  private up: Socket | undefined;
  private upParser: WireParser | undefined;
  private readonly requests = new WireParser('request');
  private ex: Exchange | undefined;
  /** Client bytes of a further request, waiting until the current exchange is answered. */
  private stash: Buffer | undefined;
  private tunnel = false;
  private over = false;
  private headTimer: NodeJS.Timeout | undefined;
  private readonly out: Outbox;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly client: Socket,
    private readonly onClose: (c: ClientConnection) => void,
  ) {
    client.setNoDelay(true);
    this.out = new Outbox(client);
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

  /** The stream id of an exchange still in progress, if any. */
  get openStream(): string | undefined {
    const ex = this.ex;
    return ex && !(ex.requestDone && ex.responseDone) ? ex.stream : undefined;
  }

  /** Record later (from the queue), stamped with the time of the event. */
  private rec(r: NewRecord): void {
    record(this.ctx, r);
  }

  // ── client → target ────────────────────────────────────────────────────────────────────────

  private fromClient(chunk: Buffer): void {
    if (this.over) return;
    if (this.tunnel) {
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
      if (this.over || this.tunnel) {
        if (this.tunnel && at < chunk.length && this.up)
          this.out.toTarget(this.up, chunk.subarray(at));
        return;
      }
      const ex = this.ex;
      if (ex && this.requests.idle && !ex.responseDone) {
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
    this.sendHead(up, head);
    ex.timer = setTimeout(() => this.timedOut(ex), ctx.timeoutMs);
    ex.timer.unref();

    recordRequest(ctx, ex, head);
  }

  /**
   * The request head as the target should see it: the same bytes, except that the Host value
   * names the target (added after the request line when the client sent none).
   */
  private sendHead(up: Socket, head: Head): void {
    const raw = head.raw;
    const r = head.hosts[0];
    const stripped = stripOwnCookies(raw);
    if (stripped !== raw) {
      // Rare (a stale mcpscope UI cookie): rebuild the head without it, Host renamed as below.
      const text = stripped.toString('latin1').replace(/\r\nhost:[^\r]*/i, '');
      const sl = text.indexOf('\r\n') + 2;
      this.out.toTarget(up, Buffer.from(`${text.slice(0, sl)}Host:${this.ctx.hostValue.toString('latin1')}\r\n${text.slice(sl)}`, 'latin1'));
      return;
    }
    if (r) {
      this.out.toTarget(up, raw.subarray(0, r[0]));
      this.out.toTarget(up, this.ctx.hostValue);
      this.out.toTarget(up, raw.subarray(r[1]));
    } else {
      const sl = head.startLine.length + 2;
      this.out.toTarget(up, raw.subarray(0, sl));
      this.out.toTarget(
        up,
        Buffer.from(`Host:${this.ctx.hostValue.toString('latin1')}\r\n`, 'latin1'),
      );
      this.out.toTarget(up, raw.subarray(sl));
    }
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
    ex.requestDone = true;
    recordRequestBody(this.ctx, ex);
    if (ex.responseDone) this.exchangeOver();
  }

  // ── the target connection ──────────────────────────────────────────────────────────────────

  private upstream(): Socket {
    if (this.up && !this.up.destroyed) return this.up;
    const t = this.ctx.target;
    const https = t.protocol === 'https:';
    const host = t.hostname.replace(/^\[|\]$/g, '');
    const port = t.port === '' ? (https ? 443 : 80) : Number(t.port);
    // TLS verifies the certificate against the target's name (SNI too, unless it is an address).
    const sock = https
      ? tlsConnect({
          host,
          port,
          servername: isIP(host) ? undefined : host,
          ALPNProtocols: ['http/1.1'],
        })
      : netConnect({ host, port, noDelay: true });
    sock.setNoDelay(true);
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
  private dropTarget(): void {
    const s = this.up;
    this.up = undefined;
    this.upParser = undefined;
    s?.destroy();
  }

  private fromTarget(sock: Socket, parser: WireParser, chunk: Buffer): void {
    if (sock !== this.up || this.over) return;
    if (this.tunnel) {
      if (!this.client.write(chunk)) this.waitForClient(sock);
      return;
    }
    // Bytes pass on untouched unless they may hold the head of a GET's response (only a GET's SSE
    // stream can need its first event rewritten, which its head decides): they leave before they
    // are parsed, as through a plain pipe, and the parsing that follows only finds the messages
    // to record.
    const ex = this.ex;
    if (ex && !ex.responseDone && (ex.method !== 'GET' || (ex.responseStarted && !ex.rewriter))) {
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
      else if (this.ex && !this.ex.responseDone) this.responseDone(this.ex);
      at = s.next;
      if (this.tunnel) {
        if (at < chunk.length) this.out.toClient(chunk.subarray(at));
        break;
      }
      if (sock !== this.up || this.over) break;
    }
  }

  private responseHead(head: Head): void {
    const ex = this.ex;
    if (!ex || ex.responseStarted || ex.responseDone) {
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
    ex.responseStarted = true;
    ex.framing = head.framing;
    if (head.close) ex.closeAfter = true;
    this.out.toClient(head.raw);
    const { ctx } = this;
    recordResponse(ctx, ex, head);
    if (head.framing === 'tunnel') {
      // 101 Switching Protocols: from here on the connection is opaque bytes both ways.
      this.tunnel = true;
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
    ex.responseDone = true;
    endTap(this.ctx, ex, false);
    this.exchangeOver();
  }

  /** Both halves of the current exchange are done: close if asked to, else take the next request. */
  private exchangeOver(): void {
    const ex = this.ex;
    if (!ex || !ex.requestDone || !ex.responseDone) return;
    clearTimeout(ex.timer);
    if (ex.closeAfter) {
      this.over = true;
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
    if (this.tunnel) {
      this.out.endClient();
      return;
    }
    const ex = this.ex;
    if (!ex || ex.responseDone || this.over) return; // an idle keep-alive connection closed: the next request opens another
    if (!ex.responseStarted) {
      const f = describeUpstreamError(
        err ?? Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }),
        this.ctx.target,
      );
      this.rec({
        type: 'error',
        where: 'upstream',
        message: f.message,
        code: f.code,
        stream: ex.stream,
      });
      this.answer(ex, f.status, f.message);
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
    ex.responseDone = true;
    endTap(this.ctx, ex, true);
    this.over = true;
    this.client.destroy(); // the client must see the response fail, not end cleanly
  }

  // ── answers of the proxy's own ─────────────────────────────────────────────────────────────

  /** Answer the current exchange with an error of the proxy's (the target gave none). */
  private answer(ex: Exchange, status: number, message: string): void {
    clearTimeout(ex.timer);
    ex.responseDone = true;
    ex.closeAfter = true;
    if (ex.responseStarted || this.out.passed) {
      // Bytes of the target's already reached the client: it must see the exchange fail.
      this.over = true;
      this.client.destroy();
      return;
    }
    this.out.toClient(
      ownResponse(
        status,
        'application/json',
        proxyErrorBody(`mcpscope: ${message}`),
        'x-mcpscope-error: 1\r\n',
      ),
    );
    this.rec({
      type: 'http',
      dir: 's2c',
      stream: ex.stream,
      status,
      headers: { 'content-type': 'application/json', 'x-mcpscope-error': '1' },
    });
    if (ex.requestDone) this.exchangeOver();
    // else: the rest of the request is still read (and recorded), then the connection closes.
  }

  /** Refuse a request before it reaches the target, and close the connection. */
  private refuse(status: number, text: string): void {
    this.over = true;
    this.out.endClient(ownResponse(status, 'text/plain', text));
    this.dropTarget();
  }

  private timedOut(ex: Exchange): void {
    if (ex.responseStarted || ex.responseDone || this.ex !== ex) return;
    const f = describeUpstreamError(new UpstreamTimeout(this.ctx.timeoutMs), this.ctx.target);
    this.rec({
      type: 'error',
      where: 'upstream',
      message: f.message,
      code: f.code,
      stream: ex.stream,
    });
    this.dropTarget(); // it may still answer later; that answer must not reach the next request
    this.answer(ex, f.status, f.message);
  }

  private badRequest(message: string): void {
    const ex = this.ex;
    this.rec({
      type: 'error',
      where: 'client',
      message: `the client sent malformed HTTP: ${message}`,
      code: 'EPROTO',
      ...(ex ? { stream: ex.stream } : {}),
    });
    if (ex && !ex.responseDone && ex.responseStarted) {
      this.over = true;
      this.client.destroy();
      this.dropTarget();
      return;
    }
    if (ex) {
      ex.responseDone = true;
      ex.requestDone = true;
    }
    this.refuse(400, `mcpscope: malformed HTTP request: ${message}\n`);
  }

  private badResponse(message: string): void {
    const ex = this.ex;
    const text = `the target sent malformed HTTP: ${message}`;
    this.dropTarget();
    if (!ex || ex.responseDone) {
      this.rec({ type: 'error', where: 'upstream', message: text, code: 'EPROTO' });
      return;
    }
    this.rec({
      type: 'error',
      where: 'upstream',
      message: text,
      code: 'EPROTO',
      stream: ex.stream,
    });
    if (ex.responseStarted) endTap(this.ctx, ex, true);
    this.answer(ex, 502, text);
  }

  // ── the client side ending ─────────────────────────────────────────────────────────────────

  /**
   * The client sent FIN. Like Node's own http server (without httpAllowHalfOpen), that means it is
   * gone: an answer still owed cannot be delivered, so the target's side is closed at once and the
   * exchange is recorded as abandoned when the socket closes.
   */
  private clientEnd(): void {
    this.over = true;
    this.out.endClient();
    this.dropTarget();
  }

  private clientClosed(): void {
    if (this.headTimer) clearTimeout(this.headTimer);
    const ex = this.ex;
    if (ex) clearTimeout(ex.timer);
    if (ex && !ex.responseDone && !this.ctx.closing) {
      if (ex.isSse && ex.responseStarted) {
        this.rec({ type: 'note', text: `${ex.stream}: the client closed the SSE stream` });
        endTap(this.ctx, ex, true);
      } else {
        this.rec({
          type: 'error',
          where: 'client',
          message: 'the client disconnected before the response was complete',
          code: 'ECONNRESET',
          stream: ex.stream,
        });
      }
      ex.responseDone = true;
    }
    this.over = true;
    this.dropTarget();
    this.onClose(this);
  }

  /**
   * Shutdown: answer a request still waiting with 503, end an open stream cleanly where its framing
   * allows (between chunks, or a body delimited by the close), and close both connections.
   */
  shutdown(): void {
    const ex = this.ex;
    if (ex && !ex.responseDone) {
      if (!ex.responseStarted) {
        this.answer(
          ex,
          503,
          'mcpscope is shutting down; the request got no answer from the target.',
        );
      } else {
        endTap(this.ctx, ex, true);
        ex.responseDone = true;
        if (ex.rechunk || (ex.framing === 'chunked' && this.upParser?.atChunkBoundary === true))
          this.out.toClient(LAST_CHUNK);
        else if (ex.framing !== 'close') {
          this.client.destroy();
        }
      }
    }
    this.over = true;
    this.out.endClient();
    this.dropTarget();
  }

  /**
   * A bug of mcpscope's while handling this connection: it must not take the other connections (or
   * the capture) down with it. The connection is cut, the error recorded and reported.
   */
  private failed(e: unknown): void {
    const err = errno(e);
    this.out.passed = false;
    this.over = true;
    const ex = this.ex;
    this.rec({
      type: 'error',
      where: 'proxy',
      message: `mcpscope failed while forwarding this connection and closed it: ${err.message}`,
      code: 'EINTERNAL',
      ...(ex ? { stream: ex.stream } : {}),
    });
    this.ctx.onError(err);
    this.client.destroy();
    this.dropTarget();
  }

  /** Last resort at shutdown. */
  destroy(): void {
    this.client.destroy();
    this.dropTarget();
  }
}
