// The stdio→HTTP bridge: server-everything's stdio mode reached by the SDK's Streamable HTTP client.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, scratchDir } from '../helpers/paths.js';
import {
  frameSet,
  logTransport,
  messageSet,
  readRecords,
  startRecorder,
  type Proc,
} from './record-http-harness.js';

const dir = scratchDir('mcpscope-bridge-');
const procs: Proc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
});

describe('record --listen -- CMD (stdio bridge)', () => {
  it('serves a stdio server over Streamable HTTP and records both sides', async () => {
    const out = join(dir, 'bridge.mcpscope.jsonl');
    const rec = await startRecorder([
      '--listen',
      '127.0.0.1:0',
      '--out',
      out,
      '--',
      process.execPath,
      EVERYTHING,
      'stdio',
    ]);
    procs.push(rec);
    expect(rec.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const { transport, log } = logTransport(new StreamableHTTPClientTransport(new URL(rec.url)));
    const client = new Client(
      { name: 'bridge-test', version: '1.0.0' },
      { capabilities: { sampling: {} } },
    );
    client.setRequestHandler(CreateMessageRequestSchema, () => ({
      model: 'm',
      role: 'assistant' as const,
      content: { type: 'text' as const, text: 'bridged sample' },
    }));
    await client.connect(transport);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo');
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'via bridge' } });
    expect(JSON.stringify(echo.content)).toContain('via bridge');

    const progressAt: number[] = [];
    const t0 = performance.now();
    await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 1.6, steps: 4 } },
      undefined,
      {
        onprogress: () => progressAt.push(performance.now()),
      },
    );
    const done = performance.now();
    expect(progressAt.length).toBeGreaterThanOrEqual(3);
    expect(progressAt[0]! - t0).toBeLessThan(1000);
    expect(done - progressAt[0]!).toBeGreaterThan(800);

    const sampled = await client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'x', maxTokens: 3 },
    });
    expect(JSON.stringify(sampled.content)).toContain('bridged sample');

    // Ending the session ends the bridge (one stdio process serves one session).
    await transport.terminateSession();
    await client.close();
    expect(await rec.exited).toBe(0);

    const recs = readRecords(out);
    expect(recs[0]).toMatchObject({ type: 'header', source: { transport: 'stdio' } });
    // The stdio side: exactly the messages the HTTP client exchanged, as the server's own lines.
    const frames = recs.filter((r) => r.type === 'frame');
    expect(new Set(frames.map((f) => f.channel))).toEqual(new Set(['stdio']));
    expect(log.sent.length).toBeGreaterThan(4);
    expect(frameSet(recs, 'c2s')).toEqual(messageSet(log.sent));
    expect(frameSet(recs, 's2c')).toEqual(messageSet(log.received));
    // The HTTP side as metadata, including the session termination.
    expect(recs.some((r) => r.type === 'http' && r.method === 'DELETE')).toBe(true);
    expect(recs.some((r) => r.type === 'spawn')).toBe(true);
    expect(recs.some((r) => r.type === 'exit')).toBe(true);
    expect(recs.at(-1)!.type).toBe('end');
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('passes on the exit code of a server that dies by itself, with a complete capture', async () => {
    const out = join(dir, 'dies.mcpscope.jsonl');
    const r = await runCli([
      'record',
      '--listen',
      '127.0.0.1:0',
      '--out',
      out,
      '--',
      process.execPath,
      '-e',
      'setTimeout(() => process.exit(3), 300)',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('server exited');
    const recs = readRecords(out);
    expect(recs.find((x) => x.type === 'exit')).toMatchObject({ code: 3 });
    expect(recs.at(-1)!.type).toBe('end');
  });

  it('refuses a non-loopback listen address without --allow-remote', async () => {
    const r = await runCli([
      'record',
      '--listen',
      '0.0.0.0:0',
      '--',
      process.execPath,
      EVERYTHING,
      'stdio',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--allow-remote');
  });
});
