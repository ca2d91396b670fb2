// A host's server wrapped by `mcpscope wrap` streams into a running app: the app's engine wraps a
// fake home's Windsurf config (remote server → bridge), a host starts the wrapped entry, and the
// session appears live in the app with the remote's answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvents } from '../../shared/host-api.js';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { hostsCommands } from '../../electron/engine/app/hosts.js';
import { makeFakeHome } from '../helpers/fake-home.js';
import { engineEvent } from '../helpers/engine.js';
import { CLI, EVERYTHING, scratchDir } from '../helpers/paths.js';
import { startEverything, type Proc } from './record-http-harness.js';

const root = scratchDir('mcpscope-hosts-live-');
const data = join(root, 'data');
let engine: AppEngine;
let http: Proc & { port: number };

beforeAll(async () => {
  http = await startEverything('streamableHttp');
  engine = new AppEngine({ mode: 'browser', dataDir: data, scan: false });
  await engine.start();
  expect(engine.liveFeedError).toBeUndefined();
});
afterAll(async () => {
  await engine?.dispose();
  await http?.stop();
});

/** Resolve when `pred` holds for an engine event; bounded. */
const waitFor = <K extends keyof HostEvents>(
  name: K,
  pred: (p: HostEvents[K]) => boolean,
  ms?: number,
): Promise<HostEvents[K]> => engineEvent(engine, name, pred, ms);

describe('wrapped servers stream live into a running app', () => {
  it('a bridged remote entry shows up as a live recorder session', async () => {
    const fake = makeFakeHome(root, {
      stdio: [process.execPath, EVERYTHING, 'stdio'],
      url: `http://127.0.0.1:${http.port}/mcp`,
    });
    const api = hostsCommands(data, () => ({
      hostEnv: { home: fake.home, platform: 'linux', env: fake.env, cwd: fake.project },
      dataDir: data,
      launcher: { command: process.execPath, args: [CLI] },
    }));
    const r = await api.wrapHosts({ hosts: ['windsurf'] });
    expect(r.changes[0]?.written).toBe(true);
    const entry = (
      JSON.parse(readFileSync(fake.files.windsurf!, 'utf8')) as {
        mcpServers: Record<string, { command: string; args: string[] }>;
      }
    ).mcpServers.remote!;

    const started = waitFor(
      'onSession',
      (s) => s.origin === 'recorder' && s.live && s.transport === 'streamable-http',
    );
    const client = new Client({ name: 'windsurf-like', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: entry.command,
        args: entry.args,
        env: { PATH: process.env.PATH ?? '', MCPSCOPE_HOME: data },
        stderr: 'ignore',
      }),
    );
    const session = await started;
    const answered = waitFor(
      'onRecords',
      (p) =>
        p.sessionId === session.id &&
        p.records.some(
          (x) => x.type === 'frame' && x.dir === 's2c' && (x.text ?? '').includes('"tools"'),
        ),
    );
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await answered;
    const ended = waitFor('onSession', (s) => s.id === session.id && !s.live);
    await client.close();
    expect((await ended).closed).toBe(true);
  });
});
