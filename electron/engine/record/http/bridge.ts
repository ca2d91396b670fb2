// `mcpscope record --listen HOST:PORT -- CMD …`: exposes a stdio MCP server over Streamable HTTP,
// so browser-based and HTTP-only clients can reach it. The stdio side is recorded by the same
// recorder as `record -- CMD` (recordStdio), so the capture holds the server's exact bytes; the
// HTTP side adds `http` records (method, path, status, masked headers).
//
// One stdio process serves one MCP session: when the client ends the session (DELETE), the
// server's stdin is closed and the bridge stops.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
// eslint-disable-next-line no-restricted-imports -- the SDK's server transport; the rule targets mcpscope's own electron/server/
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { LineFramer } from '../../../../shared/capture/index.js';
import { recordHeaders, recordPath } from '../../../../shared/http/index.js';
import type { CaptureWriter } from '../../capture/writer.js';
import { recordStdio, type StdioRecordResult } from '../stdio.js';
import { checkListenHost, isLoopback, originOf } from './listen.js';
import { hostAllowed } from './guard.js';
import { RequestRouter } from './router.js';

export interface BridgeOptions {
  command: string;
  args: string[];
  out: string;
  host?: string;
  port?: number;
  allowRemote?: boolean;
  path?: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called once the capture writer exists, e.g. to attach a live feed. */
  onWriter?: (writer: CaptureWriter) => void;
}

export interface StdioBridge {
  url: string;
  /** Resolves with a reason when the bridge stops by itself (server exited, session ended). */
  exited: Promise<string>;
  result: Promise<StdioRecordResult>;
  close: (reason: string) => Promise<StdioRecordResult>;
}

/** Flattens the header forms `writeHead` accepts into a raw [name, value, …] list. */
function rawFromWriteHead(args: unknown[]): string[] {
  const h = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null);
  const raw: string[] = [];
  const add = (k: unknown, v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) raw.push(String(k), String(x));
    else if (v !== undefined) raw.push(String(k), String(v));
  };
  if (Array.isArray(h)) {
    if (h.length > 0 && Array.isArray(h[0]))
      for (const pair of h as unknown[][]) add(pair[0], pair[1]);
    else for (let i = 0; i + 1 < h.length; i += 2) add(h[i], h[i + 1]);
  } else if (h) {
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) add(k, v);
  }
  return raw;
}

export async function startStdioBridge(opts: BridgeOptions): Promise<StdioBridge> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const warning = checkListenHost(host, opts.allowRemote ?? false);
  if (warning) log(warning);
  const path = opts.path ?? '/mcp';

  const toServer = new PassThrough();
  const router = new RequestRouter();
  let writer: CaptureWriter | undefined;
  const framer = new LineFramer();
  // Set once the HTTP transport exists; the server may print before that (it is not asked anything yet).
  const transportRef: { current?: StreamableHTTPServerTransport } = {};
  let pid: number | undefined;
  const dec = new TextDecoder();

  const MAX_PENDING = 1000;
  const pending: JSONRPCMessage[] = [];
  let getStreamOpen = false;
  const deliver = (
    t: StreamableHTTPServerTransport,
    msg: JSONRPCMessage,
    related?: string | number,
  ): void => {
    t.send(msg, related !== undefined ? { relatedRequestId: related } : undefined).catch(
      (e: unknown) => {
        writer?.append({
          type: 'error',
          where: 'downstream',
          message: `bridge: cannot deliver a server message to the HTTP client: ${(e as Error).message}`,
        });
      },
    );
  };

  // Server → client: each stdout line is parsed and handed to the HTTP transport.
  const fromServer = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const f of framer.push(chunk)) {
        const text = dec.decode(f.bytes).trim();
        if (text === '') continue;
        let msg: unknown;
        try {
          msg = JSON.parse(text);
        } catch {
          writer?.append({
            type: 'note',
            text: 'bridge: a server stdout line is not JSON, so it cannot be sent over HTTP (recorded above as an invalid frame)',
          });
          continue;
        }
        const t = transportRef.current;
        if (!t || typeof msg !== 'object' || msg === null) continue;
        const related = router.fromServer(msg);
        const isResponse = !('method' in msg);
        if (related === undefined && !isResponse && !getStreamOpen) {
          // Unrelated messages travel on the GET stream; the SDK transport drops them while no
          // GET stream is open, so hold them until the client opens one.
          if (pending.length < MAX_PENDING) pending.push(msg as JSONRPCMessage);
          else
            writer?.append({
              type: 'note',
              text: `bridge: no GET stream open and ${MAX_PENDING} messages waiting; a server message was not delivered`,
            });
          continue;
        }
        deliver(t, msg as JSONRPCMessage, related);
      }
      cb();
    },
  });

  const result = recordStdio({
    command: opts.command,
    args: opts.args,
    out: opts.out,
    input: toServer,
    output: fromServer,
    log,
    forwardSignals: false,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    onWriter: (w) => {
      writer = w;
      opts.onWriter?.(w);
      // The spawn record carries the pid: the bridge needs it to stop a server that ignores EOF.
      const off = w.subscribe((rec) => {
        if (rec.type === 'spawn') {
          pid = rec.pid;
          off();
        }
      });
    },
  });

  let sessionEnded: (reason: string) => void = () => undefined;
  const sessionDone = new Promise<string>((r) => (sessionEnded = r));
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessionclosed: () => sessionEnded('session terminated by the client (DELETE)'),
  });
  transport.onmessage = (msg) => {
    router.fromClient(msg);
    toServer.write(`${JSON.stringify(msg)}\n`);
  };
  await transport.start();
  transportRef.current = transport;
  let port = 0;
  const sockets = new Set<Socket>();
  let n = 0;
  const server = createServer({ noDelay: true }, (req: IncomingMessage, res: ServerResponse) => {
    const stream = `h${++n}`;
    const w = writer;
    w?.append({
      type: 'http',
      dir: 'c2s',
      stream,
      method: req.method ?? 'GET',
      path: recordPath(req.url ?? '/'),
      headers: recordHeaders(req.rawHeaders),
    });
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
    (res as unknown as { writeHead: (...a: unknown[]) => ServerResponse }).writeHead = (
      ...a: unknown[]
    ) => {
      const status = typeof a[0] === 'number' ? a[0] : res.statusCode;
      // Headers set earlier with setHeader plus those passed to writeHead itself.
      const set = rawFromWriteHead([0, res.getHeaders()]);
      w?.append({
        type: 'http',
        dir: 's2c',
        stream,
        status,
        headers: recordHeaders([...set, ...rawFromWriteHead(a)]),
      });
      const r = writeHead(...a);
      if (req.method === 'GET' && status === 200) {
        getStreamOpen = true;
        res.on('close', () => (getStreamOpen = false));
        // The transport registers the stream before its headers go out: flush what waited.
        setImmediate(() => {
          const t = transportRef.current;
          if (!t) return;
          for (const m of pending.splice(0)) deliver(t, m);
        });
      }
      return r;
    };
    if (isLoopback(host) && !hostAllowed(req.headers.host, port)) {
      res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end(
          'mcpscope: foreign Host header refused (DNS rebinding protection). Use the URL mcpscope printed.\n',
        );
      return;
    }
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== path) {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`mcpscope bridge: the MCP endpoint is ${path}\n`);
      return;
    }
    transport.handleRequest(req, res).catch((e: unknown) => {
      w?.append({
        type: 'error',
        where: 'bridge',
        message: `handling ${req.method} failed: ${(e as Error).message}`,
        stream,
      });
      if (!res.headersSent)
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end('mcpscope bridge: internal error\n');
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      const a = server.address();
      port = typeof a === 'object' && a ? a.port : (opts.port ?? 0);
      resolve();
    });
  });
  const url = `${originOf(host, port)}${path}`;
  writer?.append({
    type: 'note',
    text: `bridge: serving the stdio server over Streamable HTTP at ${url}`,
  });

  let closing: Promise<StdioRecordResult> | undefined;
  const close = (reason: string): Promise<StdioRecordResult> => {
    closing ??= (async () => {
      writer?.append({ type: 'note', text: `bridge: stopping (${reason})` });
      await transport.close().catch(() => undefined);
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeIdleConnections();
        setImmediate(() => sockets.forEach((s) => s.destroy()));
      });
      // Closing stdin is how a stdio server is told to stop; the recorder writes its exit.
      toServer.end();
      // A server that ignores EOF gets SIGTERM, then SIGKILL: the capture must end either way.
      const escalate = (sig: NodeJS.Signals, ms: number): NodeJS.Timeout =>
        setTimeout(() => {
          if (pid === undefined) return;
          try {
            process.kill(pid, sig);
          } catch {
            /* already gone */
          }
        }, ms);
      const timers = [escalate('SIGTERM', 3000), escalate('SIGKILL', 6000)];
      const r = await result;
      timers.forEach(clearTimeout);
      return r;
    })();
    return closing;
  };

  const exited = Promise.race([
    result.then((r) => `server exited (${r.signal ?? `code ${r.code}`})`),
    sessionDone,
  ]);
  return { url, exited, result, close };
}
