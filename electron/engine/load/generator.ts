// The load generator. Open model (`rate`): request i is due at t0 + i/rate whether or not earlier
// ones were answered, and its latency is measured from that intended time, so a server that
// stalls cannot hide the wait (coordinated omission, as wrk2 corrects it). Closed model
// (`concurrency`): N requests in flight, each answer sends the next. Always bounded: by time,
// by request count, by a cap on requests in flight, and by a per-request timeout while draining.

import * as hdr from 'hdr-histogram-js';
import type {
  ErrorCounts,
  LoadInterval,
  Percentiles,
  RampStep,
  RateLimitInfo,
} from '../../../shared/load/types.js';
import type { LoadDriver, OutcomeClass } from './driver.js';

export type LoadMode =
  { kind: 'rate'; rate: number } | { kind: 'concurrency'; concurrency: number };

export interface RampPlan {
  stepMs: number;
  /** Each step's rate is the previous one times this. */
  factor: number;
  p99Ms: number;
  errorRate: number;
}

export interface LoadPlan {
  mode: LoadMode;
  durationMs: number;
  requests: number;
  timeoutMs: number;
  /** Requests in flight at most (open model: sending pauses, latency keeps counting). */
  maxInFlight?: number;
  ramp?: RampPlan;
}

export interface Progress {
  elapsedMs: number;
  sent: number;
  ok: number;
  errors: number;
  inFlight: number;
  /** Requests sent per second over the last window. */
  rate: number;
  p50?: number;
  p99?: number;
}

export interface LoadRecorderHooks {
  /** Whether to record this exchange (sampling); called once per request sent. */
  sample(nowMs: number): boolean;
  request(line: string): void;
  response(raw: string | undefined, cls: OutcomeClass): void;
}

export interface RunHooks {
  onProgress?: (p: Progress) => void;
  progressMs?: number;
  recorder?: LoadRecorderHooks;
  signal?: AbortSignal;
}

export interface LoadStats {
  stopped: string;
  sendMs: number;
  durationMs: number;
  sent: number;
  ok: number;
  errorCount: number;
  errors: ErrorCounts;
  rateLimit: RateLimitInfo;
  latency: Percentiles;
  intervals: LoadInterval[];
  ramp?: RampStep[];
  died?: { afterMs: number; reason: string };
}

const HIGHEST_US = 3_600_000_000; // one hour, in microseconds
const newHistogram = (digits: 2 | 3) =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: digits,
  });
const ms = (us: number) => Math.round(us) / 1000;

/** A percentile in ms. HDR reports a bucket's upper edge, which can exceed the exact max: clamp. */
function at(h: hdr.Histogram, p: number): number {
  return ms(Math.min(h.getValueAtPercentile(p), h.maxValue));
}

export function percentiles(h: hdr.Histogram): Percentiles {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, count: 0 };
  return {
    p50: at(h, 50),
    p90: at(h, 90),
    p99: at(h, 99),
    p999: at(h, 99.9),
    max: ms(h.maxValue),
    mean: ms(h.mean),
    count: h.totalCount,
  };
}

export function runLoad(
  driver: LoadDriver,
  makeLine: (id: number) => string,
  plan: LoadPlan,
  hooks: RunHooks = {},
): Promise<LoadStats> {
  return new Promise<LoadStats>((resolve) => {
    const t0 = performance.now();
    const maxInFlight = plan.maxInFlight ?? 20_000;
    const intervalMs = Math.min(10_000, Math.max(100, Math.round(plan.durationMs / 100)));
    const inflight = new Map<number, number>();
    const sampled = new Set<number>();
    const hist = newHistogram(3);
    const win = newHistogram(2);
    const ivHist = newHistogram(2);
    const stepHist = newHistogram(2);
    const errors: ErrorCounts = Object.create(null) as ErrorCounts;
    const rateLimit: RateLimitInfo = { count: 0, withRetryAfter: 0, retryAfter: [] };
    const intervals: LoadInterval[] = [];
    let iv: LoadInterval = { t: 0, ms: intervalMs, sent: 0, ok: 0, errors: 0 };
    let rate = plan.mode.kind === 'rate' ? plan.mode.rate : 0;
    if (plan.mode.kind === 'rate') iv.rate = rate;
    let period = rate > 0 ? 1000 / rate : 0;
    let next = t0;
    let lastId = 0;
    let sent = 0;
    let ok = 0;
    let errorCount = 0;
    let winSent = 0;
    let sending = true;
    let stopped = '';
    let sendEnd = 0;
    let died: LoadStats['died'];
    let done = false;
    const steps: RampStep[] = [];
    let step = { sent: 0, ok: 0, errors: 0, start: t0 };
    const lines: string[] = [];
    const ids: number[] = [];
    let refill = 0;
    let refillQueued = false;

    const rollInterval = (now: number) => {
      const idx = Math.floor((now - t0) / intervalMs);
      while (iv.t < idx * intervalMs) {
        if (ivHist.totalCount > 0) {
          iv.p50 = at(ivHist, 50);
          iv.p99 = at(ivHist, 99);
          iv.max = ms(ivHist.maxValue);
          ivHist.reset();
        }
        intervals.push(iv);
        iv = { t: iv.t + intervalMs, ms: intervalMs, sent: 0, ok: 0, errors: 0 };
        if (plan.mode.kind === 'rate') iv.rate = rate;
      }
    };

    const emit = (id: number) => {
      lines.push(makeLine(id));
      ids.push(id);
    };

    const record = (now: number) => {
      const rec = hooks.recorder;
      if (rec)
        for (let i = 0; i < ids.length; i++)
          if (rec.sample(now)) {
            sampled.add(ids[i]!);
            rec.request(lines[i]!);
          }
      driver.send(lines, ids);
      lines.length = 0;
      ids.length = 0;
    };

    const sendOne = (now: number, intended: number) => {
      const id = ++lastId;
      inflight.set(id, intended);
      sent++;
      winSent++;
      iv.sent++;
      step.sent++;
      emit(id);
    };

    const outcome = (
      id: number,
      cls: OutcomeClass,
      raw: string | undefined,
      retryAfter?: string,
    ) => {
      const intended = inflight.get(id);
      if (intended === undefined) return; // timed out already, or not ours
      inflight.delete(id);
      const now = performance.now();
      rollInterval(now);
      if (cls === undefined) {
        ok++;
        iv.ok++;
        step.ok++;
        const us = Math.max(1, Math.round((now - intended) * 1000));
        hist.recordValue(us);
        win.recordValue(us);
        ivHist.recordValue(us);
        stepHist.recordValue(us);
      } else {
        errorCount++;
        iv.errors++;
        step.errors++;
        errors[cls] = (errors[cls] ?? 0) + 1;
        if (cls === 'http:429') {
          rateLimit.count++;
          rateLimit.firstAt ??= id;
          if (retryAfter !== undefined) {
            rateLimit.withRetryAfter++;
            const v = retryAfter.slice(0, 40);
            if (rateLimit.retryAfter.length < 5 && !rateLimit.retryAfter.includes(v))
              rateLimit.retryAfter.push(v);
          }
        }
      }
      if (sampled.delete(id)) hooks.recorder?.response(raw, cls);
      if (sending && plan.mode.kind === 'concurrency') {
        refill++;
        if (!refillQueued) {
          refillQueued = true;
          queueMicrotask(flushRefill);
        }
      }
      if (!sending && inflight.size === 0) finish();
    };

    const flushRefill = () => {
      refillQueued = false;
      if (!sending) return;
      const now = performance.now();
      if (checkBounds(now)) return;
      while (refill > 0 && sent < plan.requests) {
        refill--;
        sendOne(now, now);
      }
      refill = 0;
      if (ids.length) record(now);
    };

    const checkBounds = (now: number): boolean => {
      if (!sending) return true;
      if (now - t0 >= plan.durationMs) stopSending(now, 'duration');
      else if (sent >= plan.requests) stopSending(now, 'requests');
      else if (hooks.signal?.aborted) stopSending(now, 'interrupted');
      return !sending;
    };

    const stopSending = (now: number, why: string) => {
      if (!sending) return;
      sending = false;
      stopped ||= why;
      sendEnd = now;
      if (inflight.size === 0) finish();
    };

    const rateTick = () => {
      if (done || !sending) return;
      const now = performance.now();
      if (checkBounds(now)) return;
      const end = t0 + plan.durationMs;
      while (next <= now && next < end && sent < plan.requests && inflight.size < maxInFlight) {
        sendOne(now, next);
        next += period;
      }
      if (ids.length) record(now);
      setTimeout(rateTick, 1);
    };

    const rampCheck = () => {
      const r = plan.ramp;
      if (!r || done || !sending) return;
      const now = performance.now();
      const secs = (now - step.start) / 1000;
      const answered = step.ok + step.errors;
      const p99 = stepHist.totalCount ? at(stepHist, 99) : undefined;
      const errorRate = answered ? step.errors / answered : 0;
      // Still-unanswered requests of the step count against it: a server that stops answering has crossed.
      const unanswered = step.sent > 0 && answered < step.sent * 0.5;
      const over = (p99 !== undefined && p99 > r.p99Ms) || errorRate > r.errorRate || unanswered;
      const st: RampStep = {
        rate,
        sent: step.sent,
        achieved: Math.round((step.ok / secs) * 10) / 10,
        errorRate: Math.round(errorRate * 1e4) / 1e4,
        over,
      };
      if (p99 !== undefined) st.p99 = p99;
      steps.push(st);
      stepHist.reset();
      step = { sent: 0, ok: 0, errors: 0, start: now };
      if (over) return stopSending(now, 'ramp-knee');
      rate = rate * r.factor;
      period = 1000 / rate;
      next = Math.max(next, now);
    };

    const sweep = setInterval(() => {
      const now = performance.now();
      rollInterval(now);
      checkBounds(now);
      for (const [id, intended] of inflight) {
        if (now - intended < plan.timeoutMs) break; // in send order: the rest are younger
        driver.abandon(id);
        outcome(id, 'timeout', undefined);
      }
      if (!sending && now - sendEnd > plan.timeoutMs + 1000) finish();
    }, 20);
    let winStart = t0;
    const progress = hooks.onProgress
      ? setInterval(() => {
          const now = performance.now();
          const p: Progress = {
            elapsedMs: now - t0,
            sent,
            ok,
            errors: errorCount,
            inFlight: inflight.size,
            rate: winSent / ((now - winStart) / 1000),
          };
          if (win.totalCount) {
            p.p50 = at(win, 50);
            p.p99 = at(win, 99);
          }
          win.reset();
          winSent = 0;
          winStart = now;
          hooks.onProgress!(p);
        }, hooks.progressMs ?? 1000)
      : undefined;
    const ramp =
      plan.ramp && plan.mode.kind === 'rate' ? setInterval(rampCheck, plan.ramp.stepMs) : undefined;

    driver.sink.outcome = outcome;
    const prevDead = driver.sink.dead;
    driver.sink.dead = (reason) => {
      prevDead(reason);
      if (done) return;
      const now = performance.now();
      died ??= { afterMs: Math.round(now - t0), reason };
      stopSending(now, 'server-exited');
      for (const id of [...inflight.keys()]) outcome(id, 'disconnect', undefined);
      finish();
    };

    function finish(): void {
      if (done) return;
      done = true;
      clearInterval(sweep);
      if (progress) clearInterval(progress);
      if (ramp) clearInterval(ramp);
      const now = performance.now();
      if (sendEnd === 0) sendEnd = now;
      rollInterval(now);
      if (iv.sent + iv.ok + iv.errors > 0) {
        if (ivHist.totalCount) {
          iv.p50 = at(ivHist, 50);
          iv.p99 = at(ivHist, 99);
          iv.max = ms(ivHist.maxValue);
        }
        iv.ms = Math.max(1, Math.round(now - t0 - iv.t));
        intervals.push(iv);
      }
      if (plan.ramp && stopped !== 'ramp-knee')
        stopped = stopped === 'duration' || stopped === 'requests' ? 'ramp-done' : stopped;
      const stats: LoadStats = {
        stopped,
        sendMs: Math.round(sendEnd - t0),
        durationMs: Math.round(now - t0),
        sent,
        ok,
        errorCount,
        errors: { ...errors },
        rateLimit,
        latency: percentiles(hist),
        intervals,
      };
      if (plan.ramp) stats.ramp = steps;
      if (died) stats.died = died;
      resolve(stats);
    }

    if (plan.mode.kind === 'rate') rateTick();
    else {
      const now = performance.now();
      const n = Math.min(plan.mode.concurrency, plan.requests, maxInFlight);
      for (let i = 0; i < n; i++) sendOne(now, now);
      record(now);
    }
  });
}
