// The load probe's judgements: memory growth vs. a heap that levels off, when a remote server
// counts as not rate limiting, a crash, the ramp's knee, and the summary note round trip.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../shared/detect/registry.js';
import { toSarif } from '../../shared/detect/sarif.js';
import { loadFindings, memoryGrowth, rampKnee } from '../../shared/load/findings.js';
import {
  loadSummaryNote,
  parseLoadSummaryNote,
  type LoadSummary,
  type ProcessSample,
} from '../../shared/load/types.js';

const MiB = 1048576;

function makeSummary(over: Partial<LoadSummary> = {}): LoadSummary {
  return {
    target: { transport: 'streamable-http', label: 'https://mcp.example.com/mcp', remote: true },
    operation: { method: 'ping' },
    mode: { kind: 'rate', rate: 200 },
    bounds: { durationMs: 10_000, requests: 1e7, timeoutMs: 10_000 },
    stopped: 'duration',
    startedAt: '2026-12-04T00:00:00.000Z',
    durationMs: 10_000,
    sent: 2000,
    ok: 2000,
    errorCount: 0,
    throughput: 200,
    sendRate: 200,
    latency: { p50: 1, p90: 2, p99: 3, p999: 4, max: 5, mean: 1.2, count: 2000 },
    errors: {},
    rateLimit: { count: 0, withRetryAfter: 0, retryAfter: [] },
    intervals: [],
    recorded: 10,
    ...over,
  };
}

const series = (n: number, f: (i: number) => number): ProcessSample[] =>
  Array.from({ length: n }, (_, i) => ({ t: i * 250, rss: f(i), cpu: 10 }));

describe('memoryGrowth', () => {
  it('reports steady growth far above the start as a leak', () => {
    const m = memoryGrowth(series(40, (i) => 60 * MiB + i * 4 * MiB))!;
    expect(m.leaking).toBe(true);
    expect(m.growth).toBeGreaterThan(120 * MiB);
    expect(m.fit).toBeGreaterThan(0.99);
  });

  it('does not report a heap that grows and levels off', () => {
    const m = memoryGrowth(series(40, (i) => 60 * MiB + Math.min(i, 8) * 10 * MiB))!;
    expect(m.growth).toBeGreaterThanOrEqual(64 * MiB);
    expect(m.leaking).toBe(false);
  });

  it('does not report small growth, noise, or too few samples', () => {
    expect(memoryGrowth(series(40, (i) => 60 * MiB + i * 0.5 * MiB))!.leaking).toBe(false);
    expect(memoryGrowth(series(40, (i) => 60 * MiB + ((i * 7919) % 13) * 8 * MiB))!.leaking).toBe(
      false,
    );
    expect(memoryGrowth(series(5, (i) => 60 * MiB + i * 100 * MiB))).toBeUndefined();
  });
});

describe('loadFindings', () => {
  it('flags a remote server that never pushed back', () => {
    const f = loadFindings(makeSummary());
    expect(f.map((x) => x.rule)).toEqual(['transport.no-rate-limit']);
    expect(f[0]!.severity).toBe('medium');
    expect(f[0]!.target).toEqual({ kind: 'server', server: 'https://mcp.example.com/mcp' });
  });

  it('does not flag a server that answered 429, 503 or many errors, a loopback one, or a slow or short run', () => {
    expect(
      loadFindings(makeSummary({ rateLimit: { count: 3, withRetryAfter: 3, retryAfter: ['1'] } })),
    ).toEqual([]);
    expect(loadFindings(makeSummary({ errors: { 'http:503': 1 }, errorCount: 1 }))).toEqual([]);
    expect(
      loadFindings(makeSummary({ errors: { 'jsonrpc:-32000': 100 }, errorCount: 100, ok: 1900 })),
    ).toEqual([]);
    expect(
      loadFindings(
        makeSummary({ target: { transport: 'streamable-http', label: 'x', remote: false } }),
      ),
    ).toEqual([]);
    expect(loadFindings(makeSummary({ throughput: 10 }))).toEqual([]);
    expect(loadFindings(makeSummary({ durationMs: 1000 }))).toEqual([]);
  });

  it('takes lowered thresholds', () => {
    expect(
      loadFindings(makeSummary({ durationMs: 1000 }), {
        noLimit: { minRate: 50, minDurationMs: 500, maxErrorRate: 0.01 },
      }),
    ).toHaveLength(1);
  });

  it('reports memory growth and a crash', () => {
    const s = makeSummary({
      target: { transport: 'stdio', label: 'node leak.js', remote: false },
      process: { pid: 1, samples: series(40, (i) => 60 * MiB + i * 4 * MiB) },
      died: { afterMs: 2500, reason: 'exited with code 3' },
    });
    const f = loadFindings(s);
    expect(f.map((x) => x.rule).sort()).toEqual([
      'server.crash-under-load',
      'server.memory-growth',
    ]);
    expect(f.find((x) => x.rule === 'server.crash-under-load')!.severity).toBe('high');
    expect(f.find((x) => x.rule === 'server.memory-growth')!.message).toMatch(
      /KiB per answered request/,
    );
  });

  it('are registered rules that SARIF describes', () => {
    const ids = RULES.map((r) => r.id);
    for (const id of ['transport.no-rate-limit', 'server.memory-growth', 'server.crash-under-load'])
      expect(ids).toContain(id);
    const log = toSarif(loadFindings(makeSummary()), {
      toolVersion: '0',
      origin: 'https://mcp.example.com/mcp',
    });
    const r = log.runs[0]!.results![0]!;
    expect(r.ruleId).toBe('transport.no-rate-limit');
    expect(r.level).toBe('warning');
    expect(log.runs[0]!.tool.driver.rules![r.ruleIndex!]!.id).toBe('transport.no-rate-limit');
  });
});

describe('rampKnee', () => {
  it('is the last step under the thresholds', () => {
    const step = (rate: number, over: boolean) => ({
      rate,
      sent: 1,
      achieved: rate,
      errorRate: 0,
      over,
    });
    expect(rampKnee([step(100, false), step(150, false), step(225, true)])).toBe(150);
    expect(rampKnee([step(100, true)])).toBeUndefined();
    expect(rampKnee([step(100, false), step(150, false)])).toBe(150);
  });
});

describe('summary note', () => {
  it('round-trips and rejects other notes', () => {
    const s = makeSummary({
      intervals: [{ t: 0, ms: 100, sent: 5, ok: 5, errors: 0, p50: 1, p99: 2, max: 2 }],
    });
    expect(parseLoadSummaryNote(loadSummaryNote(s))).toEqual(s);
    expect(parseLoadSummaryNote('hello')).toBeUndefined();
    expect(parseLoadSummaryNote('mcpscope-load-summary/1 {not json')).toBeUndefined();
    expect(parseLoadSummaryNote('mcpscope-load-summary/1 {"sent":1}')).toBeUndefined();
  });
});
