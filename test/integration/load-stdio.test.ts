// The load probe over stdio: server-everything through the real CLI (JSON report, capture that
// verifies, summary note with exact counts), a leaking server gets server.memory-growth, a dying
// one server.crash-under-load, and the bounds (time, requests, a server that never answers).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/index.js';
import { parseLoadSummaryNote, type LoadSummary } from '../../shared/load/types.js';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, scratchDir } from '../helpers/paths.js';
import { load, LOAD_STDIO, stdioTarget } from './load-harness.js';

describe('load over stdio', () => {
  it('mcpscope load --json drives server-everything and records a capture with an exact summary', async () => {
    const dir = scratchDir();
    const out = join(dir, 'load.mcpscope.jsonl');
    const r = await runCli(
      [
        'load',
        '--json',
        '--rate',
        '400',
        '--duration',
        '2',
        '--out',
        out,
        '--',
        process.execPath,
        EVERYTHING,
        'stdio',
      ],
      { env: { MCPSCOPE_HOME: dir } },
    );
    expect(r.stderr).toMatch(/load\s+\d+\.\ds\s+sent \d+\s+\d+\/s/); // live progress
    expect(r.code).toBe(0);
    const {
      load: s,
      findings,
      capture,
    } = JSON.parse(r.stdout) as { load: LoadSummary; findings: unknown[]; capture: string };
    expect(capture).toBe(out);
    expect(s.stopped).toBe('duration');
    expect(s.sent).toBeGreaterThanOrEqual(780);
    expect(s.sent).toBeLessThanOrEqual(801);
    expect(s.ok).toBe(s.sent);
    expect(s.latency.count).toBe(s.ok);
    expect(s.process!.samples.length).toBeGreaterThanOrEqual(6);
    expect(s.process!.samples[0]!.rss).toBeGreaterThan(10 * 1048576);
    expect(s.process!.exit).toEqual({ code: 0, signal: null });
    expect(findings).toEqual([]);
    const sentInIntervals = s.intervals.reduce((a, i) => a + i.sent, 0);
    expect(sentInIntervals).toBe(s.sent);
    // The capture: intact chain, the handshake, a sample of the load, and the summary note.
    expect((await runCli(['verify', out], { env: { MCPSCOPE_HOME: dir } })).code).toBe(0);
    const { records } = readCapture(readFileSync(out, 'utf8'));
    const frames = records.filter((x) => x.type === 'frame');
    expect(frames.some((x) => x.type === 'frame' && x.text?.includes('"initialize"'))).toBe(true);
    // Load requests have numeric ids; the 20 warm-up pings (string ids) are setup frames.
    const pings = frames.filter(
      (x) =>
        x.type === 'frame' &&
        x.dir === 'c2s' &&
        /^\{"jsonrpc":"2.0","id":\d+,"method":"ping"/.test(x.text ?? ''),
    ).length;
    expect(pings).toBe(s.recorded);
    expect(pings).toBeLessThan(s.sent); // sampled: at most 100 a second
    const note = records.find((x) => x.type === 'note');
    const fromCapture = note && note.type === 'note' ? parseLoadSummaryNote(note.text) : undefined;
    expect(fromCapture).toEqual(s);
  });

  it('refuses a tool not marked read-only unless --include-destructive, and a non-read-only method', async () => {
    const dir = scratchDir();
    const refused = await runCli(
      [
        'load',
        '--tool',
        'delete_everything',
        '--requests',
        '5',
        '--no-record',
        '--',
        process.execPath,
        LOAD_STDIO,
      ],
      { env: { MCPSCOPE_HOME: dir } },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not marked read-only.*--include-destructive/s);
    const allowed = await runCli(
      [
        'load',
        '--json',
        '--tool',
        'delete_everything',
        '--include-destructive',
        '--requests',
        '5',
        '--no-record',
        '--',
        process.execPath,
        LOAD_STDIO,
      ],
      { env: { MCPSCOPE_HOME: dir } },
    );
    expect(allowed.code).toBe(0);
    expect((JSON.parse(allowed.stdout) as { load: LoadSummary }).load.ok).toBe(5);
    const method = await runCli(
      ['load', '--method', 'logging/setLevel', '--no-record', '--', process.execPath, LOAD_STDIO],
      { env: { MCPSCOPE_HOME: dir } },
    );
    expect(method.code).toBe(2);
    expect(method.stderr).toMatch(/not a read-only method/);
    const remote = await runCli(['load', '--url', 'http://192.0.2.1/mcp', '--no-record'], {
      env: { MCPSCOPE_HOME: dir },
    });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/not this machine.*--i-own-this-server/s);
  });

  it('calls a read-only tool', async () => {
    const { summary } = await load({
      target: stdioTarget(),
      tool: 'echo',
      args: { text: 'hi' },
      requests: 50,
      mode: { kind: 'concurrency', concurrency: 5 },
    });
    expect(summary.operation).toEqual({ method: 'tools/call', tool: 'echo' });
    expect(summary.ok).toBe(50);
    expect(summary.stopped).toBe('requests');
  });

  it('gives server.memory-growth to a server that keeps memory per request, and not to one that does not', async () => {
    const leak = await load({
      target: stdioTarget('--leak', '64'),
      mode: { kind: 'rate', rate: 1000 },
      durationMs: 3000,
      timeoutMs: 20_000,
      processEveryMs: 100,
    });
    // 64 KiB kept per answer: ≥ 1500 answers are ≥ 94 MiB (a busy machine may not answer all 3000).
    expect(leak.summary.ok).toBeGreaterThan(1500);
    const samples = leak.summary.process!.samples;
    expect(samples.at(-1)!.rss - samples[0]!.rss).toBeGreaterThan(80 * 1048576);
    expect(leak.findings.map((f) => f.rule)).toEqual(['server.memory-growth']);
    const flat = await load({
      target: stdioTarget(),
      mode: { kind: 'rate', rate: 1500 },
      durationMs: 3000,
      processEveryMs: 100,
    });
    expect(flat.findings).toEqual([]);
  });

  it('gives server.crash-under-load to a server that dies, and stops at once', async () => {
    const t = performance.now();
    const { summary, findings } = await load({
      target: stdioTarget('--die-after', '300'),
      mode: { kind: 'rate', rate: 1000 },
      durationMs: 20_000,
    });
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(summary.stopped).toBe('server-exited');
    expect(summary.died?.reason).toBe('exited with code 3');
    expect(summary.ok).toBe(300);
    expect(summary.ok + summary.errorCount).toBe(summary.sent);
    expect(summary.process!.exit).toEqual({ code: 3, signal: null });
    expect(findings.map((f) => f.rule)).toEqual(['server.crash-under-load']);
  });

  it('always stops at the bound: requests, time, and a server that never answers', async () => {
    const byCount = await load({
      target: stdioTarget(),
      mode: { kind: 'rate', rate: 5000 },
      requests: 1234,
      durationMs: 60_000,
    });
    expect(byCount.summary.stopped).toBe('requests');
    expect(byCount.summary.sent).toBe(1234);
    expect(byCount.summary.ok).toBe(1234);

    for (const mode of [
      { kind: 'rate', rate: 200 },
      { kind: 'concurrency', concurrency: 8 },
    ] as const) {
      const t = performance.now();
      const hung = await load({
        target: stdioTarget('--hang'),
        mode,
        durationMs: 1000,
        timeoutMs: 500,
      });
      const took = performance.now() - t;
      expect(took).toBeLessThan(6000);
      expect(hung.summary.stopped).toBe('duration');
      expect(hung.summary.ok).toBe(0);
      expect(hung.summary.errors.timeout).toBe(hung.summary.sent);
      expect(hung.summary.sent).toBeGreaterThan(mode.kind === 'rate' ? 150 : 7);
    }
  });
});
