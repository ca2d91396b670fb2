// The load probe over Streamable HTTP: server-everything (then a real SDK client still works),
// percentiles against a known delay distribution, a 429-limiting server recognised as limiting
// while one without limits gets transport.no-rate-limit, and the ramp's knee.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import { startEverything } from './client-harness.js';
import { load, startHttpFixture, type Fixture } from './load-harness.js';

const started: { stop: () => Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});
async function fixture(args: string[]): Promise<Fixture> {
  const f = await startHttpFixture(args);
  started.push(f);
  return f;
}
// Judge 127.0.0.1 as remote, with a run short enough for a test (the defaults want 50/s for 5 s).
const REMOTE = {
  treatAsRemote: true,
  findings: { noLimit: { minRate: 50, minDurationMs: 1500, maxErrorRate: 0.01 } },
};

describe('load over Streamable HTTP', () => {
  it('drives server-everything at a fixed rate; every request answered, the server still usable', async () => {
    const ev = await startEverything('streamableHttp');
    started.push(ev);
    const url = (ev.target as { url: string }).url;
    const { summary, findings } = await load({
      target: { transport: 'streamable-http', url },
      mode: { kind: 'rate', rate: 60 },
      durationMs: 2000,
      timeoutMs: 20_000,
    });
    expect(summary.target.transport).toBe('streamable-http');
    expect(summary.stopped).toBe('duration');
    expect(summary.sent).toBeGreaterThanOrEqual(110);
    expect(summary.sent).toBeLessThanOrEqual(121);
    expect(summary.ok).toBe(summary.sent);
    expect(summary.errorCount).toBe(0);
    expect(summary.latency.count).toBe(summary.ok);
    expect(summary.latency.p50).toBeGreaterThan(0);
    expect(summary.latency.p50).toBeLessThanOrEqual(summary.latency.p99);
    expect(summary.process).toBeUndefined();
    expect(findings).toEqual([]); // loopback: never judged for rate limiting
    const c = new Client({ name: 'after-load', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(url)));
    await expect(c.ping()).resolves.toBeDefined();
    await c.close();
  });

  it('computes percentiles that match a known delay distribution', async () => {
    // 55 % 50 ms, 40 % 200 ms, 4.5 % 500 ms, 0.5 % 1250 ms in every 1000 requests: p50 = 50,
    // p90 = 200, p99 = 500, p99.9 = 1250, each with a margin from the next class.
    const f = await fixture(['--delays']);
    const { summary } = await load({
      target: { transport: 'streamable-http', url: f.url },
      mode: { kind: 'concurrency', concurrency: 10 },
      requests: 1000,
      durationMs: 60_000,
    });
    expect(summary.stopped).toBe('requests');
    expect(summary.ok).toBe(1000);
    const l = summary.latency;
    // Timers never fire early (1 ms rounding aside); a busy machine adds some delay.
    expect(l.p50).toBeGreaterThanOrEqual(49);
    expect(l.p50).toBeLessThan(150);
    expect(l.p90).toBeGreaterThanOrEqual(199);
    expect(l.p90).toBeLessThan(350);
    expect(l.p99).toBeGreaterThanOrEqual(499);
    expect(l.p99).toBeLessThan(800);
    expect(l.p999).toBeGreaterThanOrEqual(1249);
    expect(l.max).toBeGreaterThanOrEqual(1249);
    expect(l.max).toBeLessThan(2500);
    expect(l.mean).toBeGreaterThan(135); // the distribution's exact mean: 136.25 ms
  }, 90_000);

  it('recognises a server that answers 429 with Retry-After as limiting', async () => {
    const f = await fixture(['--limit', '40']);
    const { summary, findings } = await load({
      target: { transport: 'streamable-http', url: f.url },
      mode: { kind: 'rate', rate: 200 },
      durationMs: 2000,
      // No warm-up: the fixture's first window then admits exactly the first 40 load requests.
      warmup: 0,
      ...REMOTE,
    });
    expect(summary.rateLimit.count).toBeGreaterThan(100);
    expect(summary.rateLimit.withRetryAfter).toBe(summary.rateLimit.count);
    expect(summary.rateLimit.retryAfter[0]).toBe('1');
    expect(summary.rateLimit.firstAt).toBeGreaterThanOrEqual(41);
    expect(summary.errors['http:429']).toBe(summary.rateLimit.count);
    expect(summary.ok + summary.errorCount).toBe(summary.sent);
    expect(findings.map((x) => x.rule)).not.toContain('transport.no-rate-limit');
  });

  it('gives transport.no-rate-limit to a remote server that accepts everything', async () => {
    const f = await fixture(['--sse']);
    const { summary, findings } = await load({
      target: { transport: 'streamable-http', url: f.url },
      mode: { kind: 'rate', rate: 200 },
      durationMs: 2000,
      ...REMOTE,
    });
    expect(summary.errorCount).toBe(0);
    expect(summary.ok).toBe(summary.sent);
    expect(findings.map((x) => x.rule)).toEqual(['transport.no-rate-limit']);
    // The same run against the same server, judged as the loopback server it is: no finding.
    const local = await load({
      target: { transport: 'streamable-http', url: f.url },
      mode: { kind: 'rate', rate: 200 },
      durationMs: 2000,
      findings: REMOTE.findings,
    });
    expect(local.findings).toEqual([]);
  });

  it('gives server.crash-under-load to an HTTP server that goes away, and stops early', async () => {
    const f = await fixture(['--die-after', '150']);
    const t = performance.now();
    const { summary, findings } = await load({
      target: { transport: 'streamable-http', url: f.url },
      mode: { kind: 'rate', rate: 200 },
      durationMs: 20_000,
      warmup: 0,
    });
    expect(performance.now() - t).toBeLessThan(15_000);
    expect(summary.stopped).toBe('server-exited');
    expect(summary.died?.reason).toMatch(/ECONNREFUSED/);
    expect(summary.ok).toBeLessThanOrEqual(149); // answers written just before exit(3) may be lost
    expect(summary.ok).toBeGreaterThan(100);
    expect(summary.errors.disconnect).toBeGreaterThanOrEqual(20);
    expect(summary.ok + summary.errorCount).toBe(summary.sent);
    expect(findings.map((x) => x.rule)).toEqual(['server.crash-under-load']);
  });

  it('ramps the rate up until p99 crosses the threshold and reports the knee', async () => {
    // One request at a time, 10 ms each: about 100/s of capacity.
    const f = await fixture(['--service', '10']);
    const { summary } = await load({
      target: { transport: 'streamable-http', url: f.url },
      mode: { kind: 'rate', rate: 10 },
      durationMs: 30_000,
      // Past ~100/s the queue grows by tens of requests a second: p99 passes 150 ms within a step.
      ramp: { stepMs: 1000, factor: 1.5, p99Ms: 150, errorRate: 0.01 },
    });
    expect(summary.stopped).toBe('ramp-knee');
    const steps = summary.ramp!.steps;
    expect(steps.at(-1)!.over).toBe(true);
    expect(steps.slice(0, -1).every((s) => !s.over)).toBe(true);
    expect(summary.ramp!.knee).toBeGreaterThanOrEqual(10);
    expect(summary.ramp!.knee).toBeLessThan(200);
    expect(steps.at(-1)!.rate).toBeGreaterThan(summary.ramp!.knee!);
  });
});
