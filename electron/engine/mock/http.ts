// The mock over Streamable HTTP: one MockConnection (its own copy of the script's state) per MCP
// session, on the SDK's server transport. Loopback binds reject foreign Host headers (DNS
// rebinding); answers to a request go on that request's stream.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// eslint-disable-next-line no-restricted-imports -- the SDK's server transport; the rule targets mcpscope's own electron/server/
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MockScript, type ReplayPlan } from '../../../shared/replay/index.js';
import { MockConnection } from './connection.js';
import type { StdioMockOptions } from './stdio.js';

export const MOCK_PATH = '/mcp';
const MAX_BODY = 64 * 1024 * 1024;

export interface HttpMock {
  url: string;
  close: () => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(listen);
  if (!m)
    throw new Error(
      `--listen "${listen}": expected HOST:PORT, e.g. 127.0.0.1:3333 (port 0 picks a free one)`,
    );
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`--listen "${listen}": port ${port} is out of range (0–65535)`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function reply(res: ServerResponse, status: number, message: string, code = -32000): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

export async function serveHttp(
  plan: ReplayPlan,
  listen: string,
  opts: StdioMockOptions = {},
): Promise<HttpMock> {
  const { host, port } = parseListen(listen);
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const conns = new Set<MockConnection>();
  let bound = port;
  const loopback = LOOPBACK.has(host);

  const newSession = (): StreamableHTTPServerTransport => {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => void sessions.set(sid, transport),
    });
    const conn = new MockConnection(
      new MockScript(plan, opts),
      (m, related) =>
        void transport
          .send(
            m as JSONRPCMessage,
            related !== undefined ? { relatedRequestId: related } : undefined,
          )
          .catch(() => undefined),
      opts.askTimeoutMs,
      opts.onWarning,
    );
    conns.add(conn);
    transport.onmessage = (m) => conn.receive(m);
    transport.onclose = () => {
      conn.close();
      conns.delete(conn);
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    return transport;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (
      loopback &&
      ![`127.0.0.1:${bound}`, `localhost:${bound}`, `[::1]:${bound}`].includes(hostHeader)
    ) {
      reply(
        res,
        403,
        `mcpscope mock: Host "${hostHeader}" is not this loopback server (DNS rebinding protection)`,
      );
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== MOCK_PATH) {
      reply(res, 404, `mcpscope mock: no MCP endpoint at ${path}; use ${MOCK_PATH}`);
      return;
    }
    const sid = req.headers['mcp-session-id'];
    const existing = typeof sid === 'string' ? sessions.get(sid) : undefined;
    if (req.method === 'POST') {
      const text = await readBody(req);
      if (text === undefined)
        return reply(res, 413, 'mcpscope mock: request body too large or broken');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (e) {
        return reply(res, 400, `mcpscope mock: parse error: ${(e as Error).message}`, -32700);
      }
      if (typeof sid === 'string' && !existing)
        return reply(res, 404, `mcpscope mock: unknown session ${sid}; initialize again`);
      await (existing ?? newSession()).handleRequest(req, res, body);
      return;
    }
    if (!existing)
      return reply(
        res,
        400,
        'mcpscope mock: missing or unknown Mcp-Session-Id; send initialize first',
      );
    await existing.handleRequest(req, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) reply(res, 500, `mcpscope mock: ${e.message}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}${MOCK_PATH}`,
    close: async () => {
      for (const t of sessions.values()) await t.close().catch(() => undefined);
      for (const c of conns) c.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
