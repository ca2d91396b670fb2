// The whole session in one strip: message density, error ticks (red) and finding ticks (by
// severity), the part the chart shows (a window) and the brushed range. Drag to brush a range;
// click to centre the chart there. Numbers only: no server text reaches this component.

import type { Severity } from '../../../shared/detect/types.js';
import { useBrush } from './brush.js';
import type { OverviewBins, TimeWindow } from './geometry.js';

export interface OverviewMarker {
  t: number;
  severity: Severity;
  mid: number;
}

export interface OverviewProps {
  width: number;
  total: number;
  bins: OverviewBins;
  findings: readonly OverviewMarker[];
  view: TimeWindow;
  brushed?: TimeWindow;
  onBrush(range: TimeWindow): void;
  onCenter(t: number): void;
}

export const OVERVIEW_H = 34;

export function Overview({
  width,
  total,
  bins,
  findings,
  view,
  brushed,
  onBrush,
  onCenter,
}: OverviewProps) {
  const span = Math.max(total, 1);
  const x = (t: number) => (t / span) * width;
  const tAt = (px: number) => (Math.min(Math.max(px, 0), width) / width) * span;
  const { ref, drag, handlers } = useBrush((x0, x1) => {
    if (Math.abs(x1 - x0) < 4) onCenter(tAt(x1));
    else onBrush({ start: tAt(Math.min(x0, x1)), end: tAt(Math.max(x0, x1)) });
  });
  const n = bins.counts.length;
  const bw = width / n;
  const h = OVERVIEW_H - 8;

  const bars: string[] = [];
  const errs: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = bins.counts[i]!;
    if (c > 0) {
      const bh = Math.max(1.5, (Math.log1p(c) / Math.log1p(bins.max)) * h);
      bars.push(
        `M${(i * bw).toFixed(1)},${OVERVIEW_H - 2}v${(-bh).toFixed(1)}h${bw.toFixed(1)}V${OVERVIEW_H - 2}z`,
      );
    }
    if (bins.errors[i]! > 0) errs.push(i);
  }

  return (
    <svg
      ref={ref}
      className="seq-overview"
      data-testid="seq-overview"
      width={width}
      height={OVERVIEW_H}
      {...handlers}
    >
      <rect className="ov-bg" width={width} height={OVERVIEW_H} />
      <path className="ov-density" d={bars.join('')} />
      {errs.map((i) => (
        <rect
          key={`e${i}`}
          className="ov-error"
          data-testid="seq-overview-error"
          x={i * bw}
          y={0}
          width={Math.max(2, bw)}
          height={6}
        />
      ))}
      {findings.map((f, i) => (
        <circle
          key={`f${i}`}
          className={`ov-finding sev-${f.severity}`}
          data-testid="seq-overview-finding"
          cx={x(f.t)}
          cy={OVERVIEW_H - 6}
          r={3}
        />
      ))}
      {brushed && (
        <rect
          className="ov-brushed"
          x={x(brushed.start)}
          width={Math.max(2, x(brushed.end) - x(brushed.start))}
          height={OVERVIEW_H}
        />
      )}
      <rect
        className="ov-view"
        data-testid="seq-overview-view"
        x={x(view.start)}
        width={Math.max(3, x(view.end) - x(view.start))}
        y={0.5}
        height={OVERVIEW_H - 1}
      />
      {drag && (
        <rect
          className="seq-brush"
          x={Math.min(drag.x0, drag.x1)}
          width={Math.abs(drag.x1 - drag.x0)}
          height={OVERVIEW_H}
        />
      )}
    </svg>
  );
}
