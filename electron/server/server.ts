// Browser mode: an HTTP server for the built renderer and a WebSocket (/api) carrying HostApi,
// bound to 127.0.0.1 only. Every HTTP request and WebSocket upgrade passes checkRequest (token,
// Host, Origin) first; nothing is served, and no engine code runs, for a refused request.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostCommandsApi } from '../../shared/host-api.js';
import { dispatchCall, type HostMessage } from '../../shared/host-client.js';
import type { EngineListener } from '../engine/app/engine.js';
import { buildCsp, SECURITY_HEADERS } from '../shell/csp.js';
import { checkRequest, cookieName } from './auth.js';
import { defaultRendererDir, resolveStatic } from './static.js';

export interface UiServerOptions {
  commands: HostCommandsApi;
  subscribe: (l: EngineListener) => () => void;
  /** 0 (default) picks a free port. */
  port?: number;
  rendererDir?: string;
  /** Fixed token (tests); default: 32 random bytes, new per launch. */
  token?: string;
}

export interface UiServer {
  port: number;
  token: string;
  /** The URL to open, token included. */
  url: string;
  close(): Promise<void>;
}

const API_PATH = '/api';
/** A single import can be a large capture; beyond this the UI should split it. */
const MAX_MESSAGE = 1024 * 1024 * 1024;
/** A UI that stops reading is cut off rather than growing our memory without bound. */
const MAX_BUFFERED = 512 * 1024 * 1024;

function authInput(req: IncomingMessage) {
  return { host: req.headers.host, origin: req.headers.origin, url: req.url, cookie: req.headers.cookie, authorization: req.headers.authorization };
}

function refuseUpgrade(socket: Duplex, status: 401 | 403, reason: string): void {
  const text = status === 401 ? 'Unauthorized' : 'Forbidden';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`);
}

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const root = opts.rendererDir ?? defaultRendererDir();
  let port = 0;
  let csp = '';

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const auth = checkRequest(authInput(req), { token, port });
    if (!auth.ok) {
      res.writeHead(auth.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`${auth.reason}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('only GET and HEAD\n');
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === API_PATH) {
      res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('the API is a WebSocket\n');
      return;
    }
    const file = resolveStatic(root, pathname);
    const headers: Record<string, string> = { 'content-type': file.type, 'content-length': String(file.body.length) };
    if (file.html) {
      headers['content-security-policy'] = csp;
      headers['cache-control'] = 'no-store';
    }
    if (auth.setCookie) headers['set-cookie'] = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(file.status, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server: Server = createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const auth = checkRequest(authInput(req), { token, port });
    if (!auth.ok) return refuseUpgrade(socket, auth.status, auth.reason);
    if (new URL(req.url ?? '/', 'http://x').pathname !== API_PATH) return refuseUpgrade(socket, 403, 'no WebSocket here; the API is at /api');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const serveSocket = (ws: WebSocket): void => {
    const send = (msg: HostMessage): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        ws.close(1013, 'the UI is not reading its messages; reload it');
        return;
      }
      ws.send(JSON.stringify(msg));
    };
    const off = opts.subscribe((name, payload) => send({ t: 'event', name, payload } as HostMessage));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return;
      }
      void dispatchCall(opts.commands, raw).then((answer) => answer && send(answer));
    });
    ws.on('close', off);
    ws.on('error', off);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  csp = buildCsp({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
