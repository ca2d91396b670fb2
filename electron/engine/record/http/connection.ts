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
import { ConnectionCore, errno } from './own-answers.js';
import { NOT_ACCEPTING } from './send.js';
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
  private tunnel = false;

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
    return ex && !(ex.requestDone && ex.responseDone) ? ex.stream : undefined;
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
      this.out.toTarget(
        up,
        Buffer.from(
          `${text.slice(0, sl)}Host:${this.ctx.hostValue.toString('latin1')}\r\n${text.slice(sl)}`,
          'latin1',
        ),
      );
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
  protected dropTarget(): void {
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
  protected exchangeOver(): void {
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
    ex.responseDone = true;
    endTap(this.ctx, ex, true);
    this.over = true;
    this.client.destroy(); // the client must see the response fail, not end cleanly
  }
}
