// The browser-mode server over real HTTP and WebSocket on 127.0.0.1: token, Host and Origin
// refusals, static files with CSP, and the API round trip.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { COMMAND_NAMES, HostApiError, type HostCommandsApi } from '../../shared/host-api.js';
import { createHostClient, webSocketTransport } from '../../shared/host-client.js';
import type { EngineListener } from '../../electron/engine/app/engine.js';
import { startUiServer, type UiServer } from '../../electron/server/server.js';
import { scratchDir } from '../helpers/paths.js';

function fakeCommands(): HostCommandsApi {
  const api: Record<string, unknown> = {};
  for (const n of COMMAND_NAMES) api[n] = async () => { throw new HostApiError('unavailable', n); };
  api.listSessions = async () => [];
  return api as HostCommandsApi;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Open a WebSocket; resolves 'open' or the HTTP status of the refusal. */
function wsOutcome(url: string, opts: WebSocket.ClientOptions = {}): Promise<{ ws?: WebSocket; status?: number }> {
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
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>mcpscope</title><script src="/assets/app.js"></script>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  server = await startUiServer({ commands: fakeCommands(), subscribe: (l) => (listeners.add(l), () => listeners.delete(l)), rendererDir: root });
});
afterAll(async () => {
  await server.close();
});

describe('HTTP', () => {
  it('listens on 127.0.0.1 with a long random token in the URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('serves index.html with the token, a CSP, no-referrer and the cookie', async () => {
    const r = await get(server.port, `/?token=${server.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>mcpscope</title>');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(String(r.headers['set-cookie'])).toContain('HttpOnly');
    expect(String(r.headers['set-cookie'])).toContain('SameSite=Strict');
  });

  it('assets work with the cookie alone', async () => {
    const r = await get(server.port, '/assets/app.js', { cookie: `mcpscope_token_${server.port}=${server.token}` });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('javascript');
  });

  it('401 without token, 403 with a wrong token', async () => {
    expect((await get(server.port, '/')).status).toBe(401);
    expect((await get(server.port, '/assets/app.js')).status).toBe(401);
    expect((await get(server.port, '/?token=wrong')).status).toBe(403);
  });

  it('403 for a rebinding Host or a foreign Origin, even with the token', async () => {
    expect((await get(server.port, `/?token=${server.token}`, { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(server.port, `/?token=${server.token}`, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('no path escapes out of the renderer folder', async () => {
    const r = await get(server.port, `/..%2f..%2fpackage.json?token=${server.token}`);
    expect(r.status).toBe(404);
  });
});

describe('WebSocket /api', () => {
  const base = (): string => `ws://127.0.0.1:${server.port}/api`;

  it('refuses a missing token (401), a wrong token (403), a foreign Origin or Host (403)', async () => {
    expect((await wsOutcome(base())).status).toBe(401);
    expect((await wsOutcome(`${base()}?token=nope`)).status).toBe(403);
    expect((await wsOutcome(`${base()}?token=${server.token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await wsOutcome(`${base()}?token=${server.token}`, { headers: { host: `attacker.test:${server.port}` } })).status).toBe(403);
  });

  it('accepts the token (query or cookie, same Origin) and carries calls and events', async () => {
    const byCookie = await wsOutcome(base(), { origin: `http://127.0.0.1:${server.port}`, headers: { cookie: `mcpscope_token_${server.port}=${server.token}` } });
    expect(byCookie.ws).toBeDefined();
    byCookie.ws!.close();

    const { ws } = await wsOutcome(`${base()}?token=${server.token}`, { origin: `http://localhost:${server.port}` });
    expect(ws).toBeDefined();
    const client = createHostClient(webSocketTransport(ws as unknown as Parameters<typeof webSocketTransport>[0]));
    expect(await client.listSessions()).toEqual([]);
    await expect(client.appInfo()).rejects.toMatchObject({ code: 'unavailable', message: 'appInfo' });
    const got = new Promise<string>((resolve) => client.onSessionRemoved((p) => resolve(p.sessionId)));
    for (const l of listeners) l('onSessionRemoved', { sessionId: 's1' });
    expect(await got).toBe('s1');
    ws!.close();
  });
});
