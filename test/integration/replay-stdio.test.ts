// Record server-everything over stdio with the SDK client, then: replay against the live server
// (no differences), serve the recording with `mcpscope mock` (the client sees what it saw live),
// an unrecorded request (the closest recorded one is named), --strict, and targets that die,
// hang or write garbage (reported differences, never a crash).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/index.js';
import { loadCapture } from '../../electron/engine/capture/load.js';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, ROOT, scratchDir } from '../helpers/paths.js';
import {
  everythingSession,
  mockTransport,
  recordingTransport,
  replayJson,
} from './replay-harness.js';

const DIES = join(ROOT, 'test', 'fixtures', 'servers', 'dies-midway.mjs');

describe('replay and mock of a server-everything stdio recording', () => {
  const dir = scratchDir('mcpscope-replay-');
  const capture = join(dir, 'everything.mcpscope.jsonl');
  let live: Record<string, unknown> = {};

  beforeAll(async () => {
    live = await everythingSession(
      recordingTransport(capture, [process.execPath, EVERYTHING, 'stdio']),
    );
    expect(existsSync(capture)).toBe(true);
  });

  it('replays against the recorded server with no differences, and records the replay', async () => {
    const out = join(dir, 'the-replay.mcpscope.jsonl');
    const r = await runCli(['replay', capture, '--json', '--out', out], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as {
      exchanges: number;
      same: number;
      differences: unknown[];
    };
    expect(json.exchanges).toBeGreaterThanOrEqual(14);
    expect(json).toEqual({ exchanges: json.exchanges, same: json.exchanges, differences: [] });
    expect(r.stderr).toContain(`replay recorded to ${out}`);
    const replayed = loadCapture(out);
    expect(replayed.records.some((x) => x.type === 'note' && x.text.includes(capture))).toBe(true);
    // The server's sampling request was answered from the recording.
    const text = replayed.records.map((x) => (x.type === 'frame' ? (x.text ?? '') : '')).join('\n');
    expect(text).toContain('sampled by the test');
  });

  it('prints a readable report without --json', async () => {
    const r = await runCli(['replay', capture, '--out', join(dir, 'text.mcpscope.jsonl')], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^same {2}seq \d+ tools\/call echo$/m);
    expect(r.stdout).toMatch(/\d+ exchanges replayed: \d+ same, 0 different/);
  });

  it('--only replays the handshake and the chosen requests', async () => {
    const plan = readCapture(readFileSync(capture, 'utf8'));
    const echoSeq = plan.records.find(
      (x) => x.type === 'frame' && x.dir === 'c2s' && x.text?.includes('"hello ✓"'),
    )!.seq;
    const only = await replayJson(capture, dir, ['--only', String(echoSeq)]);
    expect(only.code).toBe(0);
    expect(only.json.exchanges).toBe(2); // the handshake and the one request
  });

  it('a client against `mcpscope mock` (stdio) sees exactly what it saw live', async () => {
    const mocked = await everythingSession(mockTransport(capture));
    // Live, the SDK client may drop the last progress notification when the answer arrives in the
    // same read (it handles notifications a tick later); the mock delivers every recorded one.
    const recordedProgress = loadCapture(capture)
      .records.filter(
        (x) => x.type === 'frame' && x.dir === 's2c' && x.text?.includes('notifications/progress'),
      )
      .map(
        (x) =>
          (JSON.parse((x as { text: string }).text) as { params: { progress: number } }).params
            .progress,
      );
    expect(recordedProgress.length).toBeGreaterThan(0);
    expect(mocked.progress).toEqual(recordedProgress);
    expect(recordedProgress.slice(0, (live.progress as number[]).length)).toEqual(live.progress);
    expect(JSON.stringify({ ...mocked, progress: [] }, null, 1)).toBe(
      JSON.stringify({ ...live, progress: [] }, null, 1),
    );
  });

  it('an unrecorded request gets an error naming the closest recorded request', async () => {
    const c = new Client({ name: 'probe', version: '1' }, { capabilities: {} });
    await c.connect(mockTransport(capture));
    try {
      const err = await c
        .callTool({ name: 'echo', arguments: { message: 'never sent' } })
        .catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(
        /no recorded answer for tools\/call \{"arguments":\{"message":"never sent"\},"name":"echo"\}\. Closest recorded request: seq \d+ tools\/call \{"arguments":\{"message":"(hello ✓|second)"\},"name":"echo"\}/,
      );
      const unknown = await c
        .complete({
          ref: { type: 'ref/prompt', name: 'simple-prompt' },
          argument: { name: 'x', value: 'y' },
        })
        .catch((e: Error) => e);
      expect((unknown as Error).message).toMatch(/no recorded answer for completion\/complete/);
    } finally {
      await c.close();
    }
  });

  it('--strict rejects a request that comes out of recorded order', async () => {
    const c = new Client({ name: 'probe', version: '1' }, { capabilities: {} });
    await c.connect(mockTransport(capture, ['--strict']));
    try {
      const err = await c
        .callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } })
        .catch((e: Error) => e);
      expect((err as Error).message).toMatch(
        /out of order: expected seq \d+ tools\/list next, got tools\/call/,
      );
      await expect(c.listTools()).resolves.toMatchObject({ tools: expect.any(Array) as unknown });
    } finally {
      await c.close();
    }
  });

  it('a target that dies mid-replay is a reported difference, not a crash', async () => {
    const r = await replayJson(capture, dir, ['--', process.execPath, DIES]);
    expect(r.code).toBe(1);
    // The handshake worked (it differs only in what this other server says about itself)…
    expect(
      r.json.differences
        .filter((d) => d.method === 'initialize')
        .every((d) => d.pointer.startsWith('/result/')),
    ).toBe(true);
    // …then every later exchange is a whole-answer difference: the first names the exit.
    const rest = r.json.differences.filter((d) => d.method !== 'initialize');
    expect(rest.length).toBe(r.json.exchanges - 1);
    expect(rest.every((d) => d.pointer === '')).toBe(true);
    expect(JSON.stringify(rest[0]!.replayed)).toContain('the target exited with code 7');
    expect(JSON.stringify(rest[0]!.replayed)).toContain('dies-midway: exiting on purpose');
  });

  it('a target that hangs or writes garbage is a reported difference', async () => {
    // The first request after the handshake, by its recorded seq (stderr lines and notifications
    // take seqs too, so the number differs from run to run).
    const firstList = readCapture(readFileSync(capture, 'utf8')).records.find(
      (x) => x.type === 'frame' && x.dir === 'c2s' && x.text?.includes('"tools/list"'),
    )!.seq;
    const hang = await replayJson(capture, dir, [
      '--timeout',
      '400',
      '--only',
      String(firstList),
      '--',
      process.execPath,
      '-e',
      'setInterval(() => {}, 1000)',
    ]);
    expect(hang.code).toBe(1);
    expect(JSON.stringify(hang.json.differences[0]!.replayed)).toContain('no answer within 400 ms');
    const garbage = await replayJson(capture, dir, [
      '--timeout',
      '3000',
      '--',
      process.execPath,
      '-e',
      "process.stdin.on('data', () => console.log('garbage, not JSON'))",
    ]);
    expect(garbage.code).toBe(1);
    expect(garbage.json.same).toBe(0);
    expect(JSON.stringify(garbage.json.differences[0]!.replayed)).toMatch(
      /no answer within 3000 ms; it sent what is not JSON-RPC: .*garbage, not JSON/,
    );
    expect(JSON.stringify(garbage.json.differences[1]!.replayed)).toContain(
      'not sent: the handshake failed',
    );
  });

  it('usage errors exit 2 with a clear message', async () => {
    const bad = await runCli(['replay', capture, '--ignore', 'result/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must start with "/"');
    const only = await runCli(['replay', capture, '--only', '99999']);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('is not the seq of a recorded request');
    const missing = await runCli(['mock', join(dir, 'nope.mcpscope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});
