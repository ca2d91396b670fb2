// The browser-mode server over real HTTP and WebSocket on 127.0.0.1: ticket, session, Host and Origin
// refusals, static files with CSP, and the API round trip.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { COMMAND_NAMES, HostApiError, type HostCommandsApi } from '../../shared/host-api.js';
import { createHostClient, webSocketTransport } from '../../shared/host-client.js';
import type { EngineListener } from '../../electron/engine/app/engine.js';
import { startUiServer, type UiServer } from '../../electron/server/server.js';
import { httpRequest } from '../helpers/net.js';
import { scratchDir } from '../helpers/paths.js';

function fakeCommands(): HostCommandsApi {
  const api: Record<string, unknown> = {};
  for (const n of COMMAND_NAMES)
    api[n] = async () => {
      throw new HostApiError('unavailable', n);
    };
  api.listSessions = async () => [];
  return api as HostCommandsApi;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to the UI server on 127.0.0.1 (with its own Host header); the whole reply. */
const send = async (
  method: 'GET' | 'POST',
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<Reply> => {
  const r = await httpRequest(port, path, { method, headers });
  return { ...r, body: r.body.toString() };
};
const get = (port: number, path: string, headers?: Record<string, string>) =>
  send('GET', port, path, headers);
const post = (port: number, path: string, headers?: Record<string, string>) =>
  send('POST', port, path, headers);

/** Open a WebSocket; resolves 'open' or the HTTP status of the refusal. */
function wsOutcome(
  url: string,
  opts: WebSocket.ClientOptions = {},
): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, opts);
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ status: -1 }));
  });
}

let server: UiServer;
const listeners = new Set<EngineListener>();
let root: string;

beforeAll(async () => {
  root = join(scratchDir(), 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><title>mcpscope</title><script src="/assets/app.js"></script>',
  );
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  server = await startUiServer({
    attach: (l) => {
      listeners.add(l);
      return { commands: fakeCommands(), detach: () => void listeners.delete(l) };
    },
    rendererDir: root,
  });
});
afterAll(async () => {
  await server.close();
});

const ticketOf = (url: string): string => new URL(url).hash.replace(/^#ticket=/, '');

describe('HTTP', () => {
  it('listens on 127.0.0.1 with a single-use ticket in the URL fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#ticket=[A-Za-z0-9_-]{32}$/);
  });

  it('serves index.html with a CSP and no-referrer, and never sets a cookie', async () => {
    const r = await get(server.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>mcpscope</title>');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['set-cookie']).toBeUndefined();
    expect((await get(server.port, '/assets/app.js')).headers['set-cookie']).toBeUndefined();
  });

  it('a ticket buys one session, once; a wrong or reused ticket is refused', async () => {
    const t = ticketOf(server.ticketUrl());
    const r = await post(server.port, '/api/session', {
      authorization: `Ticket ${t}`,
      origin: `http://127.0.0.1:${server.port}`,
    });
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(r.body)).toMatchObject({
      session: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect((await post(server.port, '/api/session', { authorization: `Ticket ${t}` })).status).toBe(
      403,
    );
    expect((await post(server.port, '/api/session', { authorization: 'Ticket nope' })).status).toBe(
      403,
    );
    expect((await post(server.port, '/api/session')).status).toBe(403);
  });

  it('403 for a rebinding Host or a foreign Origin', async () => {
    expect((await get(server.port, '/', { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(server.port, '/', { origin: 'http://evil.example' })).status).toBe(403);
    const t = ticketOf(server.ticketUrl());
    expect(
      (
        await post(server.port, '/api/session', {
          authorization: `Ticket ${t}`,
          origin: 'http://evil.example',
        })
      ).status,
    ).toBe(403);
  });

  it('no path escapes out of the renderer folder', async () => {
    const r = await get(server.port, '/..%2f..%2fpackage.json');
    expect(r.status).toBe(404);
  });
});

describe('WebSocket /api', () => {
  const base = (): string => `ws://127.0.0.1:${server.port}/api`;
  const origin = (): string => `http://127.0.0.1:${server.port}`;

  it('refuses a missing session (401), a wrong one or a ticket (403), a foreign Origin or Host (403)', async () => {
    const session = server.auth.newSession();
    expect((await wsOutcome(base(), { origin: origin() })).status).toBe(401);
    expect(
      (
        await wsOutcome(base(), {
          origin: origin(),
          headers: { 'sec-websocket-protocol': 'mcpscope, mcpscope.session.nope' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await wsOutcome(base(), {
          origin: origin(),
          headers: {
            'sec-websocket-protocol': `mcpscope, mcpscope.session.${ticketOf(server.ticketUrl())}`,
          },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await wsOutcome(base(), {
          origin: 'http://evil.example',
          headers: { authorization: `Bearer ${session}` },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await wsOutcome(base(), {
          headers: { host: `attacker.test:${server.port}`, authorization: `Bearer ${session}` },
        })
      ).status,
    ).toBe(403);
  });

  it('accepts the session as a subprotocol (no cookie, no URL) and carries calls and events', async () => {
    const t = ticketOf(server.ticketUrl());
    const { session } = JSON.parse(
      (await post(server.port, '/api/session', { authorization: `Ticket ${t}` })).body,
    ) as { session: string };
    const { ws } = await new Promise<{ ws?: WebSocket }>((resolve) => {
      const w = new WebSocket(base(), ['mcpscope', `mcpscope.session.${session}`], {
        origin: `http://localhost:${server.port}`,
      });
      w.once('open', () => resolve({ ws: w }));
      w.once('error', () => resolve({}));
    });
    expect(ws).toBeDefined();
    expect(ws!.protocol).toBe('mcpscope');
    const client = createHostClient(
      webSocketTransport(ws as unknown as Parameters<typeof webSocketTransport>[0]),
    );
    expect(await client.listSessions()).toEqual([]);
    await expect(client.appInfo()).rejects.toMatchObject({
      code: 'unavailable',
      message: 'appInfo',
    });
    const got = new Promise<string>((resolve) =>
      client.onSessionRemoved((p) => resolve(p.sessionId)),
    );
    for (const l of listeners) l('onSessionRemoved', { sessionId: 's1' });
    expect(await got).toBe('s1');
    ws!.close();
  });
});
