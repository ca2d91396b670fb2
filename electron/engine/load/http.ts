// Load driver for a Streamable HTTP server: one POST per request over keep-alive connections
// (node:http, no fetch/undici overhead per request); the answer is read from a JSON body or the
// POST's SSE stream. 429 with Retry-After, other statuses and dropped connections are classified.

import * as http from 'node:http';
import * as https from 'node:https';
import { SseParser } from '../../../shared/http/sse.js';
import {
  classify,
  requestLine,
  SetupError,
  type LoadDriver,
  type OutcomeClass,
  type OutcomeSink,
  type SetupFrame,
} from './driver.js';
import { handshake, PendingCalls } from './setup.js';

export interface HttpLoadTarget {
  url: string;
  headers?: Record<string, string>;
  /** Most connections open at once (default 64). */
  sockets?: number;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** JSON-RPC messages in the body (JSON body or SSE events). */
  messages: { text: string; msg: Record<string, unknown> }[];
}

const DISCONNECT =
  /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|ECONNABORTED|EHOSTUNREACH|ENETUNREACH/;

export class HttpLoadDriver implements LoadDriver {
  readonly transport = 'streamable-http' as const;
  readonly pid = undefined;
  sink: OutcomeSink = { outcome: () => undefined, dead: () => undefined };
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  private readonly base: Record<string, string>;
  private frames: ((f: SetupFrame) => void) | undefined;
  private readonly calls = new PendingCalls();
  private readonly live = new Map<number, http.ClientRequest>();
  /** Consecutive requests that could not connect: the server is gone after enough of them. */
  private refusedStreak = 0;

  constructor(target: HttpLoadTarget) {
    this.url = new URL(target.url);
    this.mod = this.url.protocol === 'https:' ? https : http;
    const sockets = target.sockets ?? 64;
    this.agent = new this.mod.Agent({
      keepAlive: true,
      maxSockets: sockets,
      maxFreeSockets: sockets,
    });
    this.base = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...target.headers,
    };
  }

  async open(frames: (f: SetupFrame) => void, timeoutMs: number): Promise<void> {
    this.frames = frames;
    const version = await handshake(this, timeoutMs);
    this.base['mcp-protocol-version'] = version;
  }

  async call(
    method: string,
    params: Record<string, unknown> | undefined,
    timeoutMs: number,
  ): Promise<unknown> {
    const { id, promise } = this.calls.open(method, timeoutMs);
    const text = requestLine(method, params)(id);
    this.frames?.({ dir: 'c2s', text });
    this.post(text, (err, a) => {
      if (err)
        return this.calls.failAll(
          new SetupError(`${method}: cannot reach ${this.url.origin}: ${err.message}`),
        );
      if (a!.status === 401 || a!.status === 403)
        return this.calls.failAll(
          new SetupError(
            `HTTP ${a!.status} from ${this.url.href}: the server wants credentials; pass them with --header "Authorization: Bearer TOKEN".`,
          ),
        );
      if (a!.status >= 400)
        return this.calls.failAll(
          new SetupError(`HTTP ${a!.status} from ${this.url.href} to ${method}.`),
        );
      const sid = a!.headers['mcp-session-id'];
      if (method === 'initialize' && typeof sid === 'string') this.base['mcp-session-id'] = sid;
      for (const m of a!.messages) {
        this.frames?.({ dir: 's2c', text: m.text });
        if (typeof m.msg.id === 'string') this.calls.settle(m.msg.id, m.msg);
      }
    });
    return promise;
  }

  notify(method: string): Promise<void> {
    const text = JSON.stringify({ jsonrpc: '2.0', method });
    this.frames?.({ dir: 'c2s', text });
    return new Promise((resolve) => this.post(text, () => resolve()));
  }

  send(lines: string[], ids: number[]): void {
    for (let i = 0; i < lines.length; i++) {
      const id = ids[i]!;
      const req = this.post(lines[i]!, (err, a) => {
        this.live.delete(id);
        if (err) {
          const refused =
            /ECONNREFUSED/.test(err.message) ||
            (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
          this.refusedStreak = refused ? this.refusedStreak + 1 : 0;
          this.sink.outcome(
            id,
            DISCONNECT.test(`${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`)
              ? 'disconnect'
              : 'transport',
            undefined,
          );
          if (this.refusedStreak === 20)
            this.sink.dead('stopped accepting connections (ECONNREFUSED)');
          return;
        }
        this.refusedStreak = 0;
        this.answer(id, a!);
      });
      this.live.set(id, req);
    }
  }

  private answer(id: number, a: Answer): void {
    if (a.status < 200 || a.status > 299) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(a.headers))
        if (typeof v === 'string' && k !== 'set-cookie' && k !== 'mcp-session-id') headers[k] = v;
      this.sink.http?.(a.status, headers);
      const ra = a.headers['retry-after'];
      this.sink.outcome(
        id,
        `http:${a.status}`,
        a.messages[0]?.text,
        typeof ra === 'string' ? ra : undefined,
      );
      return;
    }
    const m = a.messages.find((x) => x.msg.id === id);
    let cls: OutcomeClass = m ? classify(m.msg) : 'no-answer';
    if (!m && a.messages.length === 0 && a.status === 202) cls = 'no-answer';
    this.sink.outcome(id, cls, m?.text);
  }

  abandon(id: number): void {
    const req = this.live.get(id);
    this.live.delete(id);
    req?.destroy();
  }

  private post(
    body: string,
    done: (err: Error | undefined, a?: Answer) => void,
  ): http.ClientRequest {
    const req = this.mod.request(this.url, {
      method: 'POST',
      agent: this.agent,
      headers: { ...this.base, 'content-length': Buffer.byteLength(body) },
    });
    let settled = false;
    const finish = (err: Error | undefined, a?: Answer) => {
      if (settled) return;
      settled = true;
      done(err, a);
    };
    req.on('error', (e) => finish(e));
    req.on('response', (res) => {
      const ct = String(res.headers['content-type'] ?? '');
      const messages: Answer['messages'] = [];
      const push = (text: string) => {
        try {
          const v = JSON.parse(text) as unknown;
          for (const m of Array.isArray(v) ? v : [v])
            if (m && typeof m === 'object')
              messages.push({
                text: Array.isArray(v) ? JSON.stringify(m) : text,
                msg: m as Record<string, unknown>,
              });
        } catch {
          // Not JSON: the body is kept out of the answer; the status still classifies it.
        }
      };
      if (ct.includes('text/event-stream')) {
        const parser = new SseParser();
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          for (const ev of parser.push(c)) if (ev.hasData && ev.data) push(ev.data);
          // The POST stream may stay open for notifications; the answer is all we wait for.
          if (messages.some((m) => m.msg.id !== undefined && typeof m.msg.method !== 'string')) {
            finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, messages });
            res.destroy();
          }
        });
      } else {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 1 << 20) text += c;
        });
        res.on('end', () => {
          if (text && ct.includes('json')) push(text);
          else if (text) messages.push({ text, msg: {} });
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, messages });
        });
      }
      res.on('error', (e) => finish(e));
      res.on('close', () =>
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, messages }),
      );
    });
    req.end(body);
    return req;
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const req of this.live.values()) req.destroy();
    this.live.clear();
    const sid = this.base['mcp-session-id'];
    if (sid !== undefined) {
      await new Promise<void>((resolve) => {
        const req = this.mod.request(this.url, {
          method: 'DELETE',
          agent: this.agent,
          headers: this.base,
          timeout: 2000,
        });
        req.on('error', () => resolve());
        req.on('timeout', () => req.destroy());
        req.on('response', (res) => {
          res.resume();
          res.on('close', () => resolve());
        });
        req.end();
      });
    }
    this.agent.destroy();
  }
}
