// `mcpscope record --target URL`: a reverse proxy in front of an HTTP MCP server (Streamable HTTP
// or legacy HTTP+SSE). The client points at the local URL; every path is forwarded unchanged to
// the target's origin, and everything that passes is recorded.

import { createServer, type Server, type Socket } from 'node:net';
import { redactUrl, type Transport } from '../../../../shared/capture/index.js';
import { EventLedger } from '../../../../shared/http/index.js';
import { CaptureWriter } from '../../capture/writer.js';
import { DEFAULT_MAX_BODY_BYTES } from './body.js';
import { ClientConnection, type ProxyContext } from './connection.js';
import { hostAllowed } from './guard.js';
import { checkListenHost, isLoopback, originOf } from './listen.js';
import { RecordQueue } from './queue.js';
import { NOT_ACCEPTING, ownResponse } from './send.js';

export interface HttpRecordOptions {
  target: string;
  /** Listen host (default 127.0.0.1) and port (default 0: a free port). */
  host?: string;
  port?: number;
  /** Required to listen on a non-loopback address. */
  allowRemote?: boolean;
  out: string;
  /** Default: `sse` when the target path ends in /sse, else `streamable-http`. */
  transport?: Extract<Transport, 'streamable-http' | 'sse'>;
  /** Time the target may take to send response headers (default 5 minutes). */
  timeoutMs?: number;
  /** Time a client may take to finish a request head it has begun (default 60 s). */
  headTimeoutMs?: number;
  maxBodyBytes?: number;
  log?: (line: string) => void;
  onWriter?: (writer: CaptureWriter) => void;
}

export interface HttpRecorder {
  /** The URL clients should use: the proxy's origin with the target's path. */
  url: string;
  origin: string;
  writer: CaptureWriter;
  /** Stop: close open streams, stop listening, write the end record. */
  close: (reason: string) => Promise<void>;
}

/**
 * How long a record may wait before the queue builds and writes it. Short enough that the live
 * timeline stays well inside its 100 ms bar; long enough that the records of a few exchanges are
 * built and written together instead of after every chunk.
 */
export const RECORD_DELAY_MS = 10;

export class TargetError extends Error {}

export function parseTarget(target: string): URL {
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    throw new TargetError(
      `--target ${target}: not a URL. Give the server's full URL, e.g. http://127.0.0.1:3001/mcp`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new TargetError(`--target ${target}: only http:// and https:// targets can be proxied.`);
  }
  return u;
}

export function guessTransport(target: URL): 'streamable-http' | 'sse' {
  return /\/sse\/?$/.test(target.pathname) ? 'sse' : 'streamable-http';
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

export async function startHttpRecorder(opts: HttpRecordOptions): Promise<HttpRecorder> {
  const target = parseTarget(opts.target);
  const host = opts.host ?? '127.0.0.1';
  const warning = checkListenHost(host, opts.allowRemote ?? false);
  const log = opts.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  if (warning) log(warning);
  const transport = opts.transport ?? guessTransport(target);

  // Set once the capture exists (after listen: the header names the bound port).
  const ready: { ctx?: ProxyContext } = {};
  let boundPort = -1;
  const conns = new Set<ClientConnection>();
  // Plain TCP: each client connection is forwarded to a connection of its own to the target,
  // with HTTP/1.1 framing followed passively on both sides (connection.ts).
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (sock: Socket) => {
    const ctx = ready.ctx;
    if (!ctx || ctx.closing) {
      sock.on('error', () => undefined);
      sock.end(ownResponse(503, 'text/plain', NOT_ACCEPTING));
      return;
    }
    conns.add(new ClientConnection(ctx, sock, (c) => conns.delete(c)));
  });

  const port = await listen(server, host, opts.port ?? 0);
  boundPort = port;
  const origin = originOf(host, port);
  const writer = new CaptureWriter({
    path: opts.out,
    source: { transport, url: redactUrl(target.toString()), listen: `${host}:${port}` },
    onError: (e) =>
      log(
        `mcpscope: cannot write the capture ${opts.out}: ${e.message}. Traffic keeps flowing but is no longer recorded.`,
      ),
  });
  opts.onWriter?.(writer);

  const queue = new RecordQueue({
    onError: (e) => log(`mcpscope: recording error (traffic unaffected): ${e.message}`),
    around: (work) => writer.batch(work),
    delayMs: RECORD_DELAY_MS,
  });
  let n = 0;
  const context: ProxyContext = {
    writer,
    queue,
    target,
    targetUrl: target.toString(),
    proxyOrigin: origin,
    legacy: transport === 'sse',
    ledger: new EventLedger(),
    timeoutMs: opts.timeoutMs ?? 300_000,
    headTimeoutMs: opts.headTimeoutMs ?? 60_000,
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    nextStream: () => `h${++n}`,
    hostValue: Buffer.from(` ${target.host}`, 'latin1'),
    onError: (e) =>
      log(
        `mcpscope: internal error; one connection was closed, the proxy keeps serving: ${e.stack ?? e.message}`,
      ),
    hostOk: (h) => !isLoopback(host) || hostAllowed(h, boundPort),
    closing: false,
  };
  ready.ctx = context;

  let closing: Promise<void> | undefined;
  const close = (reason: string): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      // Records already queued go first, so timestamps stay in order.
      queue.drain();
      const open = [...conns].map((c) => c.openStream).filter((x) => x !== undefined);
      if (open.length > 0)
        writer.append({
          type: 'note',
          text: `shutting down: closing ${open.length} open request(s)/stream(s): ${open.join(', ')}`,
        });
      context.closing = true;
      for (const c of conns) c.shutdown();
      queue.drain();
      server.close(() => {
        queue.drain();
        writer.close(reason);
        resolve();
      });
      // Whatever did not close by itself (a client holding its end open) is cut.
      setImmediate(() => {
        for (const c of conns) c.destroy();
      });
    });
    return closing;
  };

  return { url: `${origin}${target.pathname}${target.search}`, origin, writer, close };
}
