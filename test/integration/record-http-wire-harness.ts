// Harness of the wire-level HTTP recorder tests (record-http-wire*.test.ts): the recorder runs
// in-process in front of a scripted raw TCP server (exact response bytes), and a raw TCP client
// sends exact request bytes, so byte transparency, HTTP/1.1 framing edge cases and the records
// they leave can be asserted precisely.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startHttpRecorder, type HttpRecorder } from '../../electron/engine/record/http/proxy.js';
import { scratchDir } from '../helpers/paths.js';
import { readRecords, type Rec } from './record-http-harness.js';

export type { Rec };

export const dir = scratchDir('mcpscope-http-wire-');
const WAIT_MS = 5_000;

/** Everything a socket received, and whether it ended or closed; `until` waits (bounded) for a condition. */
export class Tap {
  /** Chunks as received; joined only when read (joining per chunk is quadratic for 32 MB bodies). */
  private chunks: Buffer[] = [];
  /** Bytes received so far (cheap to poll while waiting). */
  size = 0;
  ended = false;
  closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly sock: Socket) {
    sock.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.size += c.length;
      this.poke();
    });
    sock.on('end', () => {
      this.ended = true;
      this.poke();
    });
    sock.on('close', () => {
      this.closed = true;
      this.poke();
    });
    sock.on('error', () => undefined);
  }

  get buf(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0]!;
  }

  set buf(b: Buffer) {
    this.chunks = [b];
    this.size = b.length;
  }

  get text(): string {
    return this.buf.toString('latin1');
  }

  private poke(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolve once `pred` holds; fail after WAIT_MS with what was received. */
  until(pred: (t: Tap) => boolean, what: string, ms = WAIT_MS): Promise<void> {
    if (pred(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pred(this)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out after ${ms} ms waiting for ${what}; received ${JSON.stringify(this.text)} (ended=${this.ended}, closed=${this.closed})`,
          ),
        );
      }, ms);
      this.waiters.add(check);
    });
  }

  /** Wait until `s` was received (at or after `from` characters). */
  has(s: string, from = 0): Promise<void> {
    return this.until((t) => t.text.indexOf(s, from) >= 0, JSON.stringify(s));
  }

  /** Wait until at least `n` bytes were received. */
  bytes(n: number): Promise<void> {
    return this.until((t) => t.size >= n, `${n} bytes`);
  }
}

export interface Target {
  port: number;
  /** One tap per accepted connection, in order. */
  conns: Tap[];
  server: Server;
}

export const servers: Server[] = [];
export const recorders: HttpRecorder[] = [];
export const clients: Socket[] = [];

/** Run after each test (afterEach): closes every client, recorder and target it started. */
export async function cleanupWire(): Promise<void> {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(recorders.splice(0).map((r) => r.close('test')));
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
        }),
    ),
  );
}

/** A raw TCP target; `script` runs for each connection with a tap on it. */
export async function scriptedTarget(
  script: (tap: Tap, index: number) => void | Promise<void>,
): Promise<Target> {
  const conns: Tap[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    const tap = new Tap(sock);
    conns.push(tap);
    void Promise.resolve(script(tap, conns.length - 1)).catch(() => sock.destroy());
  });
  const close = server.close.bind(server);
  // Closing the target also cuts connections the proxy still holds.
  server.close = (cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  const a = server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, conns, server };
}

export async function recorder(
  target: Target,
  name: string,
  timeoutMs?: number,
): Promise<{ rec: HttpRecorder; out: string; port: number }> {
  const out = capturePath(name);
  const rec = await startHttpRecorder({
    target: `http://127.0.0.1:${target.port}/mcp`,
    out,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    log: () => undefined,
  });
  recorders.push(rec);
  return { rec, out, port: Number(new URL(rec.origin).port) };
}

export async function client(port: number): Promise<Tap> {
  const sock = connect({ host: '127.0.0.1', port });
  clients.push(sock);
  const tap = new Tap(sock);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  return tap;
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Where recorder(target, name) writes its capture. */
export const capturePath = (name: string): string => join(dir, `${name}.mcpscope.jsonl`);

/**
 * An end marker from the recorder: wait (polling, bounded) until its capture holds a record
 * matching `pred`. The records come from the recorder's queue after it handled the bytes they
 * describe, so this orders a check after that handling without a fixed sleep.
 */
export async function recorded(out: string, pred: (r: Rec) => boolean, what: string): Promise<Rec> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    let recs: Rec[] = [];
    try {
      recs = readRecords(out);
    } catch {
      // Not created yet, or a line half written: read again.
    }
    const hit = recs.find(pred);
    if (hit) return hit;
    if (Date.now() > end)
      throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what} in ${out}`);
    await delay(5);
  }
}

export function ofType(recs: Rec[], type: string, extra: Record<string, unknown> = {}): Rec[] {
  return recs.filter((r) => r.type === type && Object.entries(extra).every(([k, v]) => r[k] === v));
}

export function notes(recs: Rec[]): string[] {
  return ofType(recs, 'note').map((r) => String(r.text));
}

/** A complete JSON response with Content-Length. */
export function jsonResponse(body: string, extra = ''): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

export function recs(out: string): Rec[] {
  return readRecords(out);
}

// ── end markers ───────────────────────────────────────────────────────────────────────────────
// An absence check ("nothing more arrived") waits for a marker instead of a fixed time: a request
// the proxy must handle after the events under test, whose answer proves they were processed.

export const MARKER_RES = jsonResponse('{"marker":true}');

/** The marker request as the client sends it (`port`: the proxy) or the target sees it (its own). */
export const markerRequest = (port: number): string =>
  `GET /marker HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;

/** Target side: answer the marker request once it has fully arrived on this connection. */
export async function answerMarker(tap: Tap): Promise<void> {
  await tap.has('GET /marker ');
  await tap.has('\r\n\r\n', tap.text.indexOf('GET /marker '));
  tap.sock.write(MARKER_RES);
}

/**
 * Client side: send the marker on this connection and wait for its answer. The proxy answers a
 * connection's requests in order, so once the marker's answer is in, everything the earlier
 * exchanges could send has arrived: the client must hold exactly `before`, then the answer.
 */
export async function markerAfter(c: Tap, proxyPort: number, before: string): Promise<void> {
  c.sock.write(markerRequest(proxyPort));
  await c.until(
    (t) => t.text.endsWith(MARKER_RES) || t.ended || t.closed,
    'the answer to the end marker',
  );
  expect(c.text).toBe(before + MARKER_RES);
}
