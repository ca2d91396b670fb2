// Turns a load run's measurements into findings: no rate limiting on a remote server, memory that
// grows with the requests, a server that died under load. Pure, so the thresholds are unit-tested.

import { LOAD_RULES } from '../detect/load.js';
import type { Finding } from '../detect/types.js';
import type { LoadSummary, ProcessSample, RampStep } from './types.js';

const rule = (id: string) => LOAD_RULES.find((r) => r.id === id)!;

export interface NoLimitThresholds {
  /** Successful responses per second that count as "far above normal use". */
  minRate: number;
  /** …sustained at least this long. */
  minDurationMs: number;
  /** Error rate at or above which the server is taken to be pushing back. */
  maxErrorRate: number;
}

// An agent calls a server a few times a second at most; 50/s for 5 s is already abuse.
export const NO_LIMIT_DEFAULTS: NoLimitThresholds = {
  minRate: 50,
  minDurationMs: 5000,
  maxErrorRate: 0.01,
};

export interface MemoryThresholds {
  /** Growth (bytes) below which nothing is reported. */
  minGrowth: number;
  /** Growth relative to the starting RSS. */
  minRatio: number;
  /** How well a straight line fits the samples (R²): a leak grows steadily. */
  minFit: number;
  /** Fewest samples to judge from. */
  minSamples: number;
}

// A Node server's heap expands by tens of MiB under load and then levels off; a leak does not.
export const MEMORY_DEFAULTS: MemoryThresholds = {
  minGrowth: 64 * 1024 * 1024,
  minRatio: 0.5,
  minFit: 0.7,
  minSamples: 8,
};

export interface MemoryGrowth {
  start: number;
  end: number;
  growth: number;
  /** Bytes per second of the fitted line. */
  slope: number;
  /** Slope of the second half alone (a levelling-off heap has a much smaller one). */
  lateSlope: number;
  fit: number;
  leaking: boolean;
}

function regression(points: readonly ProcessSample[]): { slope: number; fit: number } {
  const n = points.length;
  if (n < 2) return { slope: 0, fit: 0 };
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.t;
    sy += p.rss;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of points) {
    sxy += (p.t - mx) * (p.rss - my);
    sxx += (p.t - mx) ** 2;
    syy += (p.rss - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return { slope: 0, fit: 0 };
  return { slope: (sxy / sxx) * 1000, fit: (sxy * sxy) / (sxx * syy) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

export function memoryGrowth(
  samples: readonly ProcessSample[],
  th: MemoryThresholds = MEMORY_DEFAULTS,
): MemoryGrowth | undefined {
  const live = samples.filter((s) => s.rss > 0);
  if (live.length < th.minSamples) return undefined;
  const q = Math.max(1, Math.floor(live.length / 4));
  const start = Math.min(...live.slice(0, q).map((s) => s.rss));
  const end = median(live.slice(-q).map((s) => s.rss));
  const growth = end - start;
  const { slope, fit } = regression(live);
  const late = regression(live.slice(Math.floor(live.length / 2)));
  const leaking =
    growth >= th.minGrowth &&
    growth >= th.minRatio * start &&
    fit >= th.minFit &&
    slope > 0 &&
    late.slope >= 0.4 * slope;
  return { start, end, growth, slope, lateSlope: late.slope, fit, leaking };
}

const MiB = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

export interface FindingOptions {
  noLimit?: NoLimitThresholds;
  memory?: MemoryThresholds;
}

export function loadFindings(s: LoadSummary, opts: FindingOptions = {}): Finding[] {
  const out: Finding[] = [];
  const target: Finding['target'] = { kind: 'server', server: s.target.label };
  const nl = opts.noLimit ?? NO_LIMIT_DEFAULTS;
  const answered = s.ok + s.errorCount;
  const errorRate = answered ? s.errorCount / answered : 0;
  const pushedBack =
    s.rateLimit.count > 0 || (s.errors['http:503'] ?? 0) > 0 || errorRate >= nl.maxErrorRate;
  if (
    s.target.remote &&
    !pushedBack &&
    !s.died &&
    s.throughput >= nl.minRate &&
    s.durationMs >= nl.minDurationMs
  ) {
    const r = rule('transport.no-rate-limit');
    out.push({
      rule: r.id,
      severity: r.severity,
      title: r.title,
      target,
      message: `The remote server accepted ${s.ok} requests at ${s.throughput.toFixed(0)}/s for ${(s.durationMs / 1000).toFixed(1)} s without one 429 or error answer (${s.operation.method}${s.operation.tool ? ` ${s.operation.tool}` : ''}).`,
      evidence: `${s.ok} ok, 0 × 429, ${s.errorCount} errors, ${s.throughput.toFixed(0)} req/s`,
    });
  }
  const samples = s.process?.samples ?? [];
  const mem = memoryGrowth(samples, opts.memory);
  if (mem?.leaking) {
    const r = rule('server.memory-growth');
    const perReq = s.ok > 0 ? mem.growth / s.ok : 0;
    out.push({
      rule: r.id,
      severity: r.severity,
      title: r.title,
      target,
      message: `The server's resident memory grew from ${MiB(mem.start)} to ${MiB(mem.end)} (+${MiB(mem.growth)}, about ${(perReq / 1024).toFixed(1)} KiB per answered request) and was still growing at the end (${MiB(mem.lateSlope)}/s; fit R² ${mem.fit.toFixed(2)}).`,
      evidence: `rss ${MiB(mem.start)} → ${MiB(mem.end)} over ${(s.durationMs / 1000).toFixed(1)} s`,
    });
  }
  if (s.died) {
    const r = rule('server.crash-under-load');
    out.push({
      rule: r.id,
      severity: r.severity,
      title: r.title,
      target,
      message: `The server ${s.died.reason} ${(s.died.afterMs / 1000).toFixed(1)} s into the run, after ${s.sent} requests at ${s.sendRate.toFixed(0)}/s.`,
      evidence: s.died.reason,
    });
  }
  return out;
}

/** The highest ramp step that stayed under both thresholds, if any did. */
export function rampKnee(steps: readonly RampStep[]): number | undefined {
  let knee: number | undefined;
  for (const st of steps) {
    if (st.over) break;
    knee = st.rate;
  }
  return knee;
}
