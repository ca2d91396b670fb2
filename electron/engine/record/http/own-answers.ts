// The state of one client connection through the HTTP recorder, the answers the proxy gives of
// its own (an upstream failure, a timeout, malformed HTTP, shutdown) and how the connection ends.
// Forwarding and recording live in connection.ts (ClientConnection extends this class); these
// are the exits of an exchange that do not come from the target's bytes.

import type { Socket } from 'node:net';
import type { NewRecord } from '../../../../shared/capture/index.js';
import { proxyErrorBody } from '../../../../shared/http/index.js';
import { endTap, record, type Exchange, type ProxyContext } from './exchange.js';
import { Outbox, ownResponse } from './send.js';
import {
  awaitingResponse,
  final,
  nextPhase,
  responseOver,
  streaming,
  type ExchangeEvent,
} from './phase.js';
import { describeUpstreamError, UpstreamTimeout } from './upstream.js';
import { LAST_CHUNK, type WireParser } from './wire.js';

export function errno(e: unknown): NodeJS.ErrnoException {
  return e instanceof Error ? (e as NodeJS.ErrnoException) : new Error(String(e));
}

/**
 * The connection as a whole: HTTP exchanges one after another, an opaque tunnel after
 * 101 Switching Protocols, or over (no more bytes are forwarded either way).
 */
export type WireMode = 'http' | 'tunnel' | 'over';

export abstract class ConnectionCore {
  protected up: Socket | undefined;
  protected upParser: WireParser | undefined;
  /** The exchange in progress (one at a time: further requests wait). Its phase: phase.ts. */
  protected ex: Exchange | undefined;
  protected mode: WireMode = 'http';
  protected headTimer: NodeJS.Timeout | undefined;
  protected readonly out: Outbox;

  constructor(
    protected readonly ctx: ProxyContext,
    protected readonly client: Socket,
  ) {
    client.setNoDelay(true);
    this.out = new Outbox(client);
  }

  /** Close the target connection and forget it. */
  protected abstract dropTarget(): void;
  /** Both halves of the current exchange may be done: continue with the next one. */
  protected abstract exchangeOver(): void;
  /** The client socket closed: tell the proxy. */
  protected abstract notifyClosed(): void;

  /** Move `ex` on by `event` (phase.ts); an event its phase does not allow is a bug (thrown). */
  protected advance(ex: Exchange, event: ExchangeEvent): void {
    ex.phase = nextPhase(ex.phase, event);
  }

  /** No more bytes are forwarded on this connection. */
  protected get over(): boolean {
    return this.mode === 'over';
  }

  /** Record later (from the queue), stamped with the time of the event. */
  protected rec(r: NewRecord): void {
    record(this.ctx, r);
  }

  // ── answers of the proxy's own ─────────────────────────────────────────────────────────────

  /** Answer the current exchange with an error of the proxy's (the target gave none). */
  protected answer(ex: Exchange, status: number, message: string): void {
    clearTimeout(ex.timer);
    ex.closeAfter = true;
    if (streaming(ex.phase) || this.out.passed) {
      // Bytes of the target's already reached the client: it must see the exchange fail.
      this.advance(ex, 'fail');
      this.mode = 'over';
      this.client.destroy();
      return;
    }
    this.advance(ex, 'response-end');
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
    if (ex.phase === 'done') this.exchangeOver();
    // else: the rest of the request is still read (and recorded), then the connection closes.
  }

  /** Refuse a request before it reaches the target, and close the connection. */
  protected refuse(status: number, text: string): void {
    this.mode = 'over';
    this.out.endClient(ownResponse(status, 'text/plain', text));
    this.dropTarget();
  }

  protected timedOut(ex: Exchange): void {
    if (!awaitingResponse(ex.phase) || this.ex !== ex) return;
    this.upstreamFailed(ex, new UpstreamTimeout(this.ctx.timeoutMs));
  }

  /**
   * The target failed before its response started (refused, reset, timed out): record why, drop
   * its connection (a late answer must not reach the next request) and answer in its place.
   */
  protected upstreamFailed(ex: Exchange, err: NodeJS.ErrnoException): void {
    const f = describeUpstreamError(err, this.ctx.target);
    this.rec({
      type: 'error',
      where: 'upstream',
      message: f.message,
      code: f.code,
      stream: ex.stream,
    });
    this.dropTarget();
    this.answer(ex, f.status, f.message);
  }

  protected badRequest(message: string): void {
    const ex = this.ex;
    this.rec({
      type: 'error',
      where: 'client',
      message: `the client sent malformed HTTP: ${message}`,
      code: 'EPROTO',
      ...(ex ? { stream: ex.stream } : {}),
    });
    if (ex && streaming(ex.phase)) {
      // The target's answer is under way: cut it (recorded as abandoned when the socket closes).
      this.mode = 'over';
      this.client.destroy();
      this.dropTarget();
      return;
    }
    if (ex && !final(ex.phase)) this.advance(ex, 'fail');
    this.refuse(400, `mcpscope: malformed HTTP request: ${message}\n`);
  }

  protected badResponse(message: string): void {
    const ex = this.ex;
    const text = `the target sent malformed HTTP: ${message}`;
    this.dropTarget();
    if (!ex || responseOver(ex.phase)) {
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
    if (streaming(ex.phase)) endTap(this.ctx, ex, true);
    this.answer(ex, 502, text);
  }

  // ── the client side ending ─────────────────────────────────────────────────────────────────

  /**
   * The client sent FIN. Like Node's own http server (without httpAllowHalfOpen), that means it is
   * gone: an answer still owed cannot be delivered, so the target's side is closed at once and the
   * exchange is recorded as abandoned when the socket closes.
   */
  protected clientEnd(): void {
    this.mode = 'over';
    this.out.endClient();
    this.dropTarget();
  }

  protected clientClosed(): void {
    if (this.headTimer) clearTimeout(this.headTimer);
    const ex = this.ex;
    if (ex) clearTimeout(ex.timer);
    if (ex && !responseOver(ex.phase) && !this.ctx.closing) {
      if (ex.isSse && streaming(ex.phase)) {
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
      this.advance(ex, 'fail');
    }
    this.mode = 'over';
    this.dropTarget();
    this.notifyClosed();
  }

  /**
   * Shutdown: answer a request still waiting with 503, end an open stream cleanly where its framing
   * allows (between chunks, or a body delimited by the close), and close both connections.
   */
  shutdown(): void {
    const ex = this.ex;
    if (ex && !responseOver(ex.phase)) {
      if (awaitingResponse(ex.phase)) {
        this.answer(
          ex,
          503,
          'mcpscope is shutting down; the request got no answer from the target.',
        );
      } else {
        endTap(this.ctx, ex, true);
        this.advance(ex, 'fail');
        if (ex.rechunk || (ex.framing === 'chunked' && this.upParser?.atChunkBoundary === true))
          this.out.toClient(LAST_CHUNK);
        else if (ex.framing !== 'close') {
          this.client.destroy();
        }
      }
    }
    this.mode = 'over';
    this.out.endClient();
    this.dropTarget();
  }

  /**
   * A bug of mcpscope's while handling this connection: it must not take the other connections (or
   * the capture) down with it. The connection is cut, the error recorded and reported.
   */
  protected failed(e: unknown): void {
    const err = errno(e);
    this.out.passed = false;
    this.mode = 'over'; // the exchange keeps its phase: the close records it as abandoned
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
