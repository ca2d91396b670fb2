// Record server-everything over Streamable HTTP through the recording proxy, replay against the
// recorded URL (no differences), and serve the recording with `mcpscope mock --listen`: a client
// over Streamable HTTP sees what it saw live.
import { request } from 'node:http';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, scratchDir } from '../helpers/paths.js';
import { spawnUntil, startEverything, startRecorder, type Proc } from './record-http-harness.js';
import { everythingSession, replayJson } from './replay-harness.js';

describe('replay and mock of a server-everything Streamable HTTP recording', () => {
  const dir = scratchDir('mcpscope-replay-http-');
  const capture = join(dir, 'everything-http.mcpscope.jsonl');
  let server: (Proc & { port: number }) | undefined;
  let mock: (Proc & { match: RegExpExecArray }) | undefined;
  let live: Record<string, unknown> = {};

  beforeAll(async () => {
    server = await startEverything('streamableHttp');
    const rec = await startRecorder([
      '--target',
      `http://127.0.0.1:${server.port}/mcp`,
      '--listen',
      '127.0.0.1:0',
      '--out',
      capture,
    ]);
    try {
      live = await everythingSession(new StreamableHTTPClientTransport(new URL(rec.url)));
    } finally {
      expect(await rec.stop('SIGTERM')).toBe(0);
    }
  });
  afterAll(async () => {
    await mock?.stop();
    await server?.stop();
  });

  it('replays against the recorded URL with no differences', async () => {
    const r = await replayJson(capture, dir);
    expect(r.json.differences).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.json.exchanges).toBeGreaterThanOrEqual(14);
  });

  it('a client against `mcpscope mock --listen` sees what it saw live; the URL is on stderr', async () => {
    mock = await spawnUntil(
      [CLI, 'mock', capture, '--listen', '127.0.0.1:0'],
      /listening at (http:\/\/127\.0\.0\.1:\d+\/mcp)/,
    );
    const url = mock.match[1]!;
    const mocked = await everythingSession(new StreamableHTTPClientTransport(new URL(url)));
    expect((mocked.progress as number[]).length).toBeGreaterThan(0);
    expect(JSON.stringify({ ...mocked, progress: [] }, null, 1)).toBe(
      JSON.stringify({ ...live, progress: [] }, null, 1),
    );

    const c = new Client({ name: 'probe', version: '1' }, { capabilities: {} });
    await c.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const err = await c
        .getPrompt({ name: 'complex-prompt', arguments: { temperature: '1' } })
        .catch((e: Error) => e);
      expect((err as Error).message).toMatch(
        /no recorded answer for prompts\/get \{"arguments":\{"temperature":"1"\},"name":"complex-prompt"\}\. Closest recorded request: seq \d+ prompts\/get \{"name":"simple-prompt"\}/,
      );
    } finally {
      await c.close();
    }
    // A foreign Host header is refused (DNS rebinding).
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });
});
