// The stdio recorder between the real SDK client and server-everything: every byte each side
// sent arrives unchanged at the other, and the capture holds every frame, classified and paired.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture, payloadBytes, type FrameRecord } from '../../shared/capture/index.js';
import { runCli } from '../helpers/cli.js';
import { CLI, EVERYTHING, ROOT, scratchDir } from '../helpers/paths.js';
import { TapTransport } from '../helpers/tap-transport.js';

const TEE = join(ROOT, 'test', 'fixtures', 'tee.mjs');

function rebuild(frames: FrameRecord[]): Buffer {
  return Buffer.concat(
    frames.flatMap((f) => [Buffer.from(payloadBytes(f)), Buffer.from(f.eol === false ? '' : '\n')]),
  );
}

describe('mcpscope record -- server-everything stdio, with the SDK client', () => {
  const dir = scratchDir();
  const capture = join(dir, 'everything.mcpscope.jsonl');
  const serverIn = join(dir, 'server-in.bin');
  const serverOut = join(dir, 'server-out.bin');
  const tap = new TapTransport(process.execPath, [
    CLI,
    'record',
    '--out',
    capture,
    '--',
    process.execPath,
    TEE,
    serverIn,
    serverOut,
    '--',
    process.execPath,
    EVERYTHING,
    'stdio',
  ]);
  const client = new Client({ name: 'mcpscope-it', version: '1.0.0' }, { capabilities: {} });
  const progress: number[] = [];
  let toolCount = 0;
  let exit: { code: number | null } = { code: null };

  beforeAll(async () => {
    await client.connect(tap);
    toolCount = (await client.listTools()).tools.length;
    await client.listResources();
    await client.listPrompts();
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'hello ✓' } });
    expect(JSON.stringify(echo)).toContain('hello ✓');
    await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    await client.close();
    exit = await tap.exit!;
  });
  afterAll(() => tap.kill('SIGKILL'));

  it('exits with the server exit code', () => {
    expect(exit.code).toBe(0);
    expect(tap.stderr).toContain(`recording to ${capture}`);
  });

  it('delivers exactly the bytes each side sent', () => {
    const clientSent = Buffer.concat(tap.sent);
    const clientReceived = Buffer.concat(tap.received);
    expect(clientSent.length).toBeGreaterThan(0);
    expect(readFileSync(serverIn).equals(clientSent)).toBe(true);
    expect(readFileSync(serverOut).equals(clientReceived)).toBe(true);
  });

  it('records every frame each side saw', () => {
    const read = readCapture(readFileSync(capture, 'utf8'));
    expect(read.problems).toEqual([]);
    expect(read.closed).toBe(true);
    const frames = read.records.filter((r): r is FrameRecord => r.type === 'frame');
    expect(rebuild(frames.filter((f) => f.dir === 'c2s')).equals(Buffer.concat(tap.sent))).toBe(
      true,
    );
    expect(rebuild(frames.filter((f) => f.dir === 's2c')).equals(Buffer.concat(tap.received))).toBe(
      true,
    );
    const types = read.records.map((r) => r.type);
    expect(types[0]).toBe('spawn');
    expect(types).toContain('stderr');
    expect(types.slice(-2)).toEqual(['exit', 'end']);
  });

  it('classifies and pairs the messages (show --json)', async () => {
    const r = await runCli(['show', capture, '--json']);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as {
      handshake: { protocolVersion: string; serverInfo: { name: string } };
      messages: {
        seq: number;
        dir: string;
        kind: string;
        method?: string;
        id?: number;
        latencyMs?: number;
      }[];
      lists: { tools: number };
    };
    expect(shown.handshake.serverInfo.name).toContain('everything');
    expect(shown.handshake.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(shown.lists.tools).toBe(toolCount);
    const requests = shown.messages.filter((m) => m.kind === 'request' && m.dir === 'c2s');
    expect(requests.map((m) => m.method)).toEqual([
      'initialize',
      'tools/list',
      'resources/list',
      'prompts/list',
      'tools/call',
      'tools/call',
    ]);
    for (const q of requests) {
      expect(q.latencyMs).toBeGreaterThanOrEqual(0);
      const answers = shown.messages.filter(
        (m) => m.dir === 's2c' && m.id === q.id && (m.kind === 'response' || m.kind === 'error'),
      );
      expect(answers).toHaveLength(1);
      expect(answers[0]!.method).toBe(q.method);
      expect(answers[0]!.seq).toBeGreaterThan(q.seq);
    }
    // Three steps → three progress notifications on the wire, all before the call's response.
    // (The SDK client may drop the last one when the response follows at once; the wire has all.)
    const progressNotes = shown.messages.filter((m) => m.method === 'notifications/progress');
    expect(progressNotes).toHaveLength(3);
    expect(progressNotes.every((m) => m.dir === 's2c' && m.kind === 'notification')).toBe(true);
    const longCall = requests[requests.length - 1]!;
    const longAnswer = shown.messages.find(
      (m) => m.dir === 's2c' && m.id === longCall.id && m.kind === 'response',
    )!;
    expect(progressNotes.every((m) => m.seq > longCall.seq && m.seq < longAnswer.seq)).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(
      shown.messages.some(
        (m) => m.method === 'notifications/initialized' && m.kind === 'notification',
      ),
    ).toBe(true);
  });

  it('verifies', async () => {
    const r = await runCli(['verify', capture]);
    expect(r.stdout).toContain('intact');
    expect(r.code).toBe(0);
  });
});
