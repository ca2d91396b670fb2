// The non-JSON-RPC lanes of the sequence view (process, http, stderr), drawn from eventMark
// (events.ts), whose labels and tooltips are already escaped.

import type { EventRecord, FrameRecord } from '../../../shared/capture/types.js';
import { fmtRelMs } from '../components/format.js';
import {
  eventMark,
  EVENT_ROW_H,
  MAX_EVENTS,
  MAX_LABELS,
  type EventMark,
  type EventRow,
} from './events.js';
import { visibleRange, type TimeWindow } from './geometry.js';

export { EVENT_ROW_H, type EventRow } from './events.js';

type NonFrame = Exclude<EventRecord, FrameRecord>;

export interface EventRowsProps {
  events: readonly NonFrame[];
  /** The lanes to draw (the HTTP lane only for sessions with HTTP traffic). */
  rows: readonly EventRow[];
  view: TimeWindow;
  t0: number;
  top: number;
  width: number;
  x(t: number): number;
}

export function EventRows({ events, rows, view, t0, top, width, x }: EventRowsProps) {
  const { from, to } = visibleRange(events, view, t0);
  const marks: { r: NonFrame; m: EventMark }[] = [];
  const perRow: Record<EventRow, number> = { process: 0, http: 0, stderr: 0 };
  let i = from;
  for (; i < to && marks.length < MAX_EVENTS; i++) {
    const m = eventMark(events[i]!);
    if (!m || !rows.includes(m.row)) continue;
    perRow[m.row]++;
    marks.push({ r: events[i]!, m });
  }
  /** Records in view left undrawn (some may be notes, which have no lane anyway). */
  const undrawn = to - i;
  const y = (row: EventRow) => top + rows.indexOf(row) * EVENT_ROW_H;
  return (
    <g className="seq-events">
      {undrawn > 0 && (
        <text className="seq-more" x={width - 12} y={top - 2} textAnchor="end">
          {`+${undrawn} events not drawn: zoom in`}
        </text>
      )}
      {rows.map((row) => (
        <g key={row} data-testid={`seq-lane-${row}`}>
          <text className="lane-label" x={6} y={y(row) + 14}>
            {row}
          </text>
          <line className="lane faint" x1={70} x2={width - 10} y1={y(row) + 10} y2={y(row) + 10} />
        </g>
      ))}
      {marks.map(({ r, m }) => {
        const ex = x(r.ts - t0);
        const ey = y(m.row);
        return (
          <g
            key={r.seq}
            className={`seq-event ev-${m.row}${m.err ? ' err' : ''}`}
            data-testid="seq-event"
            data-row={m.row}
            data-type={r.type}
          >
            <title>{`${fmtRelMs(r.ts - t0)} ${m.title}`}</title>
            <rect x={ex - 1.5} y={ey + 4} width={3} height={12} />
            {m.label && perRow[m.row] <= MAX_LABELS && (
              <text
                x={ex > width - 90 ? ex - 4 : ex + 4}
                y={ey + 14}
                textAnchor={ex > width - 90 ? 'end' : 'start'}
              >
                {m.label}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
}
