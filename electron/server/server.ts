// Browser mode: an HTTP server for the built renderer and a WebSocket (/api) carrying HostApi,
// bound to 127.0.0.1 only. Every request passes the Host/Origin check first. The static renderer
// holds no secret; the API needs a session credential (see auth.ts: ticket → session), checked
// at the upgrade, so no engine code runs for a refused request.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatchCall, type HostMessage } from '../../shared/host-client.js';
import type { AttachedUi, EngineListener } from '../engine/app/engine.js';
import { buildCsp, SECURITY_HEADERS } from '../shell/csp.js';
import { checkOrigin, offeredSession, UiAuth, WS_PROTOCOL } from './auth.js';
import { defaultRendererDir, resolveStatic } from './static.js';
import { DOWNLOAD_PREFIX, serveDownload, type RedeemDownload } from './download.js';

export interface UiServerOptions {
  /** Each socket attaches as one UI: its own commands and the events it subscribed to. */
  attach: (deliver: EngineListener) => AttachedUi;
  /** 0 (default) picks a free port. */
  port?: number;
  rendererDir?: string;
  /** Spends a download ticket of the Export menu (engine.exportFiles.redeem). */
  download?: RedeemDownload;
}

export interface UiServer {
  port: number;
  /** A URL to open, with a fresh single-use ticket in its fragment. */
  url: string;
  /** Another single-use ticket (each opened page needs one). */
  ticketUrl(): string;
  /** Tickets and sessions (in-process callers may mint a session directly). */
  auth: UiAuth;
  close(): Promise<void>;
}

const API_PATH = '/api';
const SESSION_PATH = '/api/session';
/** A single import can be a large capture; beyond this the UI should split it. */
const MAX_MESSAGE = 1024 * 1024 * 1024;
/** A UI that stops reading is cut off rather than growing our memory without bound. */
const MAX_BUFFERED = 512 * 1024 * 1024;

function authInput(req: IncomingMessage) {
  return { host: req.headers.host, origin: req.headers.origin };
}

function refuseUpgrade(socket: Duplex, status: 401 | 403, reason: string): void {
  const text = status === 401 ? 'Unauthorized' : 'Forbidden';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`,
  );
}

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const auth = new UiAuth();
  const root = opts.rendererDir ?? defaultRendererDir();
  let port = 0;
  let csp = '';

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const ok = checkOrigin(authInput(req), port);
    if (!ok.ok) {
      res.writeHead(ok.status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(`${ok.reason}\n`);
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === SESSION_PATH && req.method === 'POST') {
      // The page trades its ticket (Authorization: Ticket …) for a session credential.
      const ticket = req.headers.authorization?.match(/^Ticket\s+(\S+)$/i)?.[1];
      const session = ticket === undefined ? undefined : auth.redeem(ticket);
      req.resume();
      res.writeHead(session ? 200 : 403, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(
        JSON.stringify(
          session
            ? { session }
            : {
                error:
                  'this ticket is unknown, used or expired: run `mcpscope ui` again and open the URL it prints',
              },
        ),
      );
      return;
    }
    // The ticket in the path is the download's only credential (see download.ts).
    if (pathname.startsWith(DOWNLOAD_PREFIX))
      return serveDownload(req, res, pathname, opts.download);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('only GET and HEAD\n');
      return;
    }
    if (pathname === API_PATH) {
      res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('the API is a WebSocket\n');
      return;
    }
    const file = resolveStatic(root, pathname);
    const headers: Record<string, string> = {
      'content-type': file.type,
      'content-length': String(file.body.length),
    };
    if (file.html) {
      headers['content-security-policy'] = csp;
      headers['cache-control'] = 'no-store';
    }
    res.writeHead(file.status, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server: Server = createServer(onRequest);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE,
    // Answer with the plain protocol name: the credential subprotocol is never echoed back.
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const origin = checkOrigin(authInput(req), port);
    if (!origin.ok) return refuseUpgrade(socket, origin.status, origin.reason);
    const session = auth.checkSession(
      offeredSession(req.headers['sec-websocket-protocol'], req.headers.authorization),
    );
    if (!session.ok) return refuseUpgrade(socket, session.status, session.reason);
    if (new URL(req.url ?? '/', 'http://x').pathname !== API_PATH)
      return refuseUpgrade(socket, 403, 'no WebSocket here; the API is at /api');
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
    const ui = opts.attach((name, payload) => send({ t: 'event', name, payload } as HostMessage));
    const off = (): void => ui.detach();
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return;
      }
      void dispatchCall(ui.commands, raw).then((answer) => answer && send(answer));
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

  const ticketUrl = (): string => `http://127.0.0.1:${port}/#ticket=${auth.issueTicket()}`;
  return {
    port,
    url: ticketUrl(),
    ticketUrl,
    auth,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
