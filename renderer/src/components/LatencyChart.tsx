// A load run's latency over time as a small SVG chart: p50 and p99 lines per interval, errors
// as red ticks along the bottom. Pure props → SVG; numbers only (no server text reaches it).

import type { LoadInterval } from '../../../shared/load/types.js';

export interface LatencyChartProps {
  intervals: readonly LoadInterval[];
  width?: number;
  height?: number;
}

const PAD = { l: 46, r: 10, t: 10, b: 22 };

/** A "nice" axis top: 1, 2 or 5 × a power of ten, at or above v. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function chartPaths(
  intervals: readonly LoadInterval[],
  w: number,
  h: number,
): { p50: string; p99: string; top: number; end: number; errors: { x: number; n: number }[] } {
  const end = Math.max(1, ...intervals.map((i) => i.t + i.ms));
  const top = niceCeil(Math.max(0, ...intervals.map((i) => i.p99 ?? 0)));
  const x = (t: number) => PAD.l + (t / end) * (w - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - v / top) * (h - PAD.t - PAD.b);
  const line = (pick: (i: LoadInterval) => number | undefined) => {
    let d = '';
    let pen = false;
    for (const i of intervals) {
      const v = pick(i);
      if (v === undefined) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(i.t + i.ms / 2).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    }
    return d;
  };
  return {
    p50: line((i) => i.p50),
    p99: line((i) => i.p99),
    top,
    end,
    errors: intervals
      .filter((i) => i.errors > 0)
      .map((i) => ({ x: x(i.t + i.ms / 2), n: i.errors })),
  };
}

export function LatencyChart({ intervals, width = 560, height = 180 }: LatencyChartProps) {
  const { p50, p99, top, end, errors } = chartPaths(intervals, width, height);
  const bottom = height - PAD.b;
  const ticks = [0, top / 2, top];
  return (
    <svg
      className="latency-chart"
      data-testid="latency-chart"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="latency over time (p50 and p99)"
    >
      {ticks.map((v) => {
        const yy = PAD.t + (1 - v / top) * (bottom - PAD.t);
        return (
          <g key={v}>
            <line x1={PAD.l} x2={width - PAD.r} y1={yy} y2={yy} className="grid" />
            <text x={PAD.l - 4} y={yy + 3} textAnchor="end">
              {v === 0 ? '0' : v >= 100 ? v.toFixed(0) : v.toPrecision(2)} ms
            </text>
          </g>
        );
      })}
      <text x={PAD.l} y={height - 6}>
        0 s
      </text>
      <text x={width - PAD.r} y={height - 6} textAnchor="end">
        {(end / 1000).toFixed(1)} s
      </text>
      <path d={p99} className="p99" data-testid="latency-p99" fill="none" />
      <path d={p50} className="p50" data-testid="latency-p50" fill="none" />
      {errors.map((e) => (
        <line key={e.x} x1={e.x} x2={e.x} y1={bottom} y2={bottom - 6} className="err-tick">
          <title>{`${e.n} errors`}</title>
        </line>
      ))}
    </svg>
  );
}
