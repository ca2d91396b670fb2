// A recorder started by a host (`mcpscope record`, here driven by the real SDK client as the host)
// streams its session into a running app engine over the live feed, and recording is unaffected
// whether or not the app is there.
import { readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCapture, type EventRecord } from '../../shared/capture/index.js';
import type { HostEvents, SessionSummary } from '../../shared/host-api.js';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { liveInfoPath } from '../../electron/engine/live/endpoint.js';
import { engineEvent } from '../helpers/engine.js';
import { CLI, EVERYTHING, scratchDir } from '../helpers/paths.js';

const home = scratchDir('mcpscope-live-');
let engine: AppEngine;
const clients: Client[] = [];

/** Resolve when `pred` holds for an engine event; bounded. */
const waitFor = <K extends keyof HostEvents>(
  name: K,
  pred: (p: HostEvents[K]) => boolean,
  ms?: number,
): Promise<HostEvents[K]> => engineEvent(engine, name, pred, ms);

async function hostSession(out: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'record', '--out', out, '--', process.execPath, EVERYTHING, 'stdio'],
    env: { ...(process.env as Record<string, string>), MCPSCOPE_HOME: home },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'test-host', version: '1.0.0' });
  clients.push(client);
  await client.connect(transport);
  return client;
}

beforeAll(async () => {
  engine = new AppEngine({ mode: 'browser', dataDir: home, scan: false });
  await engine.start();
  expect(engine.liveFeedError).toBeUndefined();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
});
afterAll(async () => {
  await engine.dispose();
});

describe('live feed', () => {
  it('publishes live.json readable only by the user', async () => {
    const { statSync } = await import('node:fs');
    if (process.platform !== 'win32') expect(statSync(liveInfoPath(home)).mode & 0o077).toBe(0);
  });

  it("a recorder's session appears live, record for record, and ends when the recorder does", async () => {
    const out = join(home, 'rec1.mcpscope.jsonl');
    const started = waitFor(
      'onSession',
      (s) => s.origin === 'recorder' && s.live && s.path === out,
    );
    const client = await hostSession(out);
    const session: SessionSummary = await started;

    const live: EventRecord[] = [];
    const off = engine.subscribe((n, p) => {
      if (n === 'onRecords' && (p as HostEvents['onRecords']).sessionId === session.id)
        live.push(...(p as HostEvents['onRecords']).records);
    });
    const listed = waitFor(
      'onRecords',
      (p) =>
        p.sessionId === session.id &&
        p.records.some(
          (r) => r.type === 'frame' && r.dir === 's2c' && (r.text ?? '').includes('"tools"'),
        ),
    );
    const tools = await client.listTools();
    expect(tools.tools.length).toBeGreaterThan(0);
    await listed; // the tools/list answer reached the app while the session was running

    const ended = waitFor('onSession', (s) => s.id === session.id && !s.live);
    await client.close();
    const final = await ended;
    off();

    const file = readCapture(readFileSync(out, 'utf8'));
    expect(final.closed).toBe(true);
    expect(final.recordCount).toBe(file.records.length + 1);
    const { records } = await engine.commands.readRecords({ sessionId: session.id, limit: 50_000 });
    expect(records).toEqual(file.records);
    expect(live.map((r) => r.seq)).toEqual(file.records.map((r) => r.seq).slice(live[0]!.seq - 1));
    expect(final.frameCount).toBe(file.records.filter((r) => r.type === 'frame').length);
    expect(final.server?.name).toBeTruthy();
    // Export returns the recorder's file byte for byte.
    expect((await engine.commands.exportCapture({ sessionId: session.id })).text).toBe(
      readFileSync(out, 'utf8'),
    );
  });

  it('refuses a peer without the right token, accepts the same lines with it', async () => {
    const info = JSON.parse(readFileSync(liveInfoPath(home), 'utf8')) as {
      endpoint: string;
      token: string;
    };
    const path = join(home, 'handmade.mcpscope.jsonl');
    const w = new CaptureWriter({ path, source: { transport: 'stdio', command: ['x'] } });
    w.append({ type: 'note', text: 'hello' });
    w.close('done');
    const lines = readFileSync(path, 'utf8');
    const feed = (token: string): Promise<void> =>
      new Promise<void>((resolve) => {
        const s = createConnection(info.endpoint, () =>
          s.end(`{"t":"hello","v":1,"token":${JSON.stringify(token)}}\n${lines}`),
        );
        s.on('close', () => resolve());
        s.on('error', () => resolve());
      });
    await feed('wrong');
    await feed(info.token.slice(0, -1));
    expect(engine.registry.has(w.header.id)).toBe(false);
    const appeared = waitFor('onSession', (s) => s.id === w.header.id && !s.live);
    await feed(info.token);
    expect((await appeared).recordCount).toBe(3);
  });

  it('a peer that sends junk instead of a hello is cut off, and the app keeps serving', async () => {
    const info = JSON.parse(readFileSync(liveInfoPath(home), 'utf8')) as { endpoint: string };
    const closed = await new Promise<boolean>((resolve) => {
      const s = createConnection(info.endpoint, () => s.write('x'.repeat(64 * 1024)));
      s.on('close', () => resolve(true));
      s.on('error', () => undefined);
      setTimeout(() => resolve(false), 10_000).unref();
    });
    expect(closed).toBe(true);
    expect((await engine.commands.appInfo(undefined)).liveFeed?.endpoint).toBe(info.endpoint);
  });

  it('recording is unaffected when the app disappears mid-session', async () => {
    const out = join(home, 'rec2.mcpscope.jsonl');
    const started = waitFor('onSession', (s) => s.origin === 'recorder' && s.path === out);
    const client = await hostSession(out);
    await started;
    await engine.dispose(); // the app quits while the host keeps working
    for (let i = 0; i < 5; i++)
      await client.callTool({ name: 'echo', arguments: { message: `after ${i}` } });
    await client.close();
    const file = readCapture(readFileSync(out, 'utf8'));
    expect(file.closed).toBe(true);
    expect(
      file.records.filter((r) => r.type === 'frame' && (r.text ?? '').includes('after 4')).length,
    ).toBe(2);
    // Restart for later tests in this file.
    engine = new AppEngine({ mode: 'browser', dataDir: home, scan: false });
    await engine.start();
  });

  it('a recorder started before the app joins when the app starts, history first', async () => {
    await engine.dispose();
    const out = join(home, 'late.mcpscope.jsonl');
    const client = await hostSession(out);
    await client.callTool({ name: 'echo', arguments: { message: 'before the app' } });
    engine = new AppEngine({ mode: 'browser', dataDir: home, scan: false });
    const joined = new Promise<SessionSummary>((resolve) => {
      const off = engine.subscribe((n, p) => {
        const s = p as SessionSummary;
        if ((n as string) === 'onSession' && s.path === out && s.live && s.frameCount >= 4) {
          off();
          resolve(s);
        }
      });
    });
    await engine.start();
    const session = await joined; // within the recorder's 2 s poll
    await client.callTool({ name: 'echo', arguments: { message: 'after the app' } });
    const ended = waitFor('onSession', (s) => s.id === session.id && !s.live);
    await client.close();
    await ended;
    const file = readCapture(readFileSync(out, 'utf8'));
    const { records } = await engine.commands.readRecords({ sessionId: session.id, limit: 50_000 });
    expect(records).toEqual(file.records);
    expect(
      records.some((r) => r.type === 'frame' && (r.text ?? '').includes('before the app')),
    ).toBe(true);
  });

  it('a stale live.json (app crashed) costs the recorder nothing', async () => {
    await engine.dispose();
    writeFileSync(
      liveInfoPath(home),
      JSON.stringify({ v: 1, endpoint: join(home, 'gone.sock'), token: 'x', pid: 999_999_99 }),
      { mode: 0o600 },
    );
    const out = join(home, 'rec3.mcpscope.jsonl');
    const client = await hostSession(out);
    await client.callTool({ name: 'echo', arguments: { message: 'no app' } });
    await client.close();
    expect(readCapture(readFileSync(out, 'utf8')).closed).toBe(true);
    engine = new AppEngine({ mode: 'browser', dataDir: home, scan: false });
    await engine.start();
  });
});
