// `mcpscope ui` end to end without a browser: the built CLI prints one URL line, refuses requests
// without the token, opens on the live demo session, and drives it through the real WebSocket API
// (tool call, sampling request answered from the "UI", live records). `ui FILE` imports captures.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HostEvents } from '../../shared/host-api.js';
import {
  createHostClient,
  webSocketTransport,
  type HostClient,
  type WebSocketLike,
} from '../../shared/host-client.js';
import { runCli } from '../helpers/cli.js';
import { CLI, ROOT, scratchDir } from '../helpers/paths.js';

interface Ui {
  child: ChildProcess;
  url: URL;
  stdout: () => string;
}

const running: ChildProcess[] = [];

/** Start `mcpscope ui`, resolve on its first stdout line (the URL). */
function startUi(args: string[], home: string): Promise<Ui> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'ui', '--no-open', ...args], {
      env: { ...process.env, MCPSCOPE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`mcpscope ui printed no URL in 30 s; stderr: ${err}`)),
      30_000,
    );
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve({ child, url: new URL(out.slice(0, nl)), stdout: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`mcpscope ui exited with ${code}: ${err}`)));
  });
}

function status(url: URL, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** What the page does: trade the URL's single-use ticket for a session, then open the API with it. */
async function connectApi(ui: Ui): Promise<HostClient> {
  const ticket = ui.url.hash.replace(/^#ticket=/, '');
  const res = await fetch(`http://${ui.url.host}/api/session`, {
    method: 'POST',
    headers: { authorization: `Ticket ${ticket}` },
  });
  const { session } = (await res.json()) as { session: string };
  const ws = new WebSocket(`ws://${ui.url.host}/api`, ['mcpscope', `mcpscope.session.${session}`], {
    origin: `http://${ui.url.host}`,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return createHostClient(webSocketTransport(ws as unknown as WebSocketLike));
}

function waitEvent<K extends keyof HostEvents>(
  api: HostClient,
  name: K,
  pred: (p: HostEvents[K]) => boolean,
  ms = 20_000,
): Promise<HostEvents[K]> {
  return new Promise((resolve, reject) => {
    let off: () => void = () => undefined;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching ${name} in ${ms} ms`));
    }, ms);
    off = (api[name] as (l: (p: HostEvents[K]) => void) => () => void)((p) => {
      if (!pred(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

afterAll(async () => {
  await Promise.all(
    running.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 5000).unref();
        }),
    ),
  );
});

describe('mcpscope ui (no files): the demo', () => {
  let ui: Ui;
  let api: HostClient;
  beforeAll(async () => {
    ui = await startUi([], scratchDir('mcpscope-ui-'));
    api = await connectApi(ui);
  });

  it('prints exactly one line: the loopback URL with a single-use ticket', () => {
    expect(ui.stdout()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#ticket=[A-Za-z0-9_-]{32}\n$/);
  });

  it('serves the page only to its own Host (403 otherwise); the ticket was spent', async () => {
    const host = { host: ui.url.host };
    expect(await status(ui.url, '/', host)).toBe(200);
    expect(await status(ui.url, '/', { host: `rebind.example:${ui.url.port}` })).toBe(403);
    const again = await fetch(`http://${ui.url.host}/api/session`, {
      method: 'POST',
      headers: { authorization: `Ticket ${ui.url.hash.slice(8)}` },
    });
    expect(again.status).toBe(403);
  });

  it('opens on a connected demo session with a populated timeline', async () => {
    const info = await api.appInfo();
    expect(info.mode).toBe('browser');
    expect(info.demoConnectionId).toBeTruthy();
    const conns = await api.listConnections();
    const demo = conns.find((c) => c.id === info.demoConnectionId)!;
    expect(demo.status).toBe('open');
    expect(demo.handshake?.serverInfo?.name).toBe('mcpscope-demo');
    const session = await api.getSession({ sessionId: demo.sessionId });
    expect(session).toMatchObject({ origin: 'client', live: true, transport: 'stdio' });
    expect(session.frameCount).toBeGreaterThanOrEqual(15);
    const { records } = await api.readRecords({ sessionId: demo.sessionId });
    const texts = records.flatMap((r) => (r.type === 'frame' && r.text ? [r.text] : []));
    expect(texts.some((t) => t.includes('<IMPORTANT>'))).toBe(true); // the poisoned description
    expect(texts.some((t) => t.includes('ghp_'))).toBe(true); // the fake leaked key
    const tools = await api.listTools({ connectionId: demo.id });
    expect(tools.tools.map((t) => t.name).sort()).toEqual([
      'add',
      'ask-model',
      'echo',
      'get-weather',
      'read-config',
      'slow-count',
    ]);
  });

  it('a tool call shows up as live records; a sampling request is answered from the UI side', async () => {
    const { demoConnectionId: connectionId } = await api.appInfo();
    const demo = (await api.listConnections()).find((c) => c.id === connectionId)!;
    // Like the page showing it: a session's live records come only after subscribing to it.
    await api.subscribeSessions({ sessionIds: [demo.sessionId] });
    const seen = waitEvent(
      api,
      'onRecords',
      (p) =>
        p.sessionId === demo.sessionId &&
        p.records.some((r) => r.type === 'frame' && (r.text ?? '').includes('"live echo"')),
    );
    await api.callTool({
      connectionId: connectionId!,
      name: 'echo',
      arguments: { message: 'live echo' },
    });
    await seen;

    const asked = waitEvent(api, 'onServerRequest', (r) => r.method === 'sampling/createMessage');
    const call = api.callTool({
      connectionId: connectionId!,
      name: 'ask-model',
      arguments: { question: 'ping?' },
    });
    const req = await asked;
    expect(req.params).toMatchObject({ maxTokens: 200 });
    expect((await api.listServerRequests()).map((r) => r.id)).toContain(req.id);
    await api.answerServerRequest({
      id: req.id,
      result: { role: 'assistant', content: { type: 'text', text: 'pong!' }, model: 'test-model' },
    });
    const { result } = await call;
    expect(JSON.stringify(result)).toContain('The model said: pong!');
    expect(await api.listServerRequests()).toEqual([]);
  });

  it('bad arguments are refused with a message, not a crash', async () => {
    await expect(api.callTool({ connectionId: 'nope', name: 'echo' })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(
      (api.readRecords as (a: unknown) => Promise<unknown>)({ sessionId: 5 }),
    ).rejects.toMatchObject({
      code: 'bad-request',
      message: 'readRecords: "sessionId" must be a string',
    });
    await expect(
      api.importCapture({ name: 'x.jsonl', text: 'not a capture' }),
    ).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('gives the exact wrapper command for a host config', async () => {
    const r = await api.recorderInstructions({
      transport: 'stdio',
      name: 'fs',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
    });
    expect(r.argv.slice(2)).toEqual([
      'record',
      '--',
      'npx',
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '/tmp',
    ]);
    expect(r.argv[0]).toBe(process.execPath);
    expect(r.hostConfig).toEqual({
      mcpServers: { fs: { command: r.argv[0], args: r.argv.slice(1) } },
    });
    expect(r.argv[1]).toBe(join(ROOT, 'bin', 'mcpscope.js'));
  });
});

describe('mcpscope ui FILE', () => {
  it('imports the given capture and does not start the demo', async () => {
    const file = join(ROOT, 'test', 'fixtures', 'captures', 'v1-everything-stdio.mcpscope.jsonl');
    const ui = await startUi([file], scratchDir('mcpscope-ui-file-'));
    const api = await connectApi(ui);
    const sessions = await api.listSessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ origin: 'imported', live: false, path: file });
    expect((await api.appInfo()).demoConnectionId).toBeUndefined();
    const exported = await api.exportCapture({ sessionId: sessions[0]!.id });
    expect(exported.text).toBe(readFileSync(file, 'utf8'));
  });

  it('a bad --port is a usage error; a port in use says so and exits 1', async () => {
    const bad = await runCli(['ui', '--no-open', '--port', 'http'], {
      env: { MCPSCOPE_HOME: scratchDir() },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a number');
    const first = await startUi([], scratchDir('mcpscope-ui-port-'));
    const busy = await runCli(['ui', '--no-open', '--port', first.url.port], {
      env: { MCPSCOPE_HOME: scratchDir() },
    });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`port ${first.url.port} is in use`);
    expect(busy.stdout).toBe('');
  });

  it('a file that is not a capture is a usage error (exit 2) before anything listens', async () => {
    const child = spawn(process.execPath, [CLI, 'ui', '--no-open', join(ROOT, 'package.json')], {
      env: { ...process.env, MCPSCOPE_HOME: scratchDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('not an mcpscope capture');
  });
});
