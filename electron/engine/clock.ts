// Wall-clock epoch milliseconds with sub-millisecond precision (microseconds), monotonic.
import { performance } from 'node:perf_hooks';

const origin = performance.timeOrigin;

export function nowMs(): number {
  return Math.round((origin + performance.now()) * 1000) / 1000;
}
