// The non-JSON-RPC lanes of the sequence view: process lifecycle (spawn, exit, recorder errors),
// HTTP metadata (request line, status, session id) and stderr. Everything here can come from the
// server (stderr text, headers, exit signals), so labels and tooltips go through toDisplay.

import type { EventRecord, FrameRecord } from '../../../shared/capture/types.js';
import { fmtRelMs } from '../components/format.js';
import { toDisplay } from '../components/SafeText.js';
import { visibleRange, type TimeWindow } from './geometry.js';

type NonFrame = Exclude<EventRecord, FrameRecord>;

export const EVENT_ROWS = ['process', 'http', 'stderr'] as const;
export type EventRow = (typeof EVENT_ROWS)[number];
export const EVENT_ROW_H = 22;
/** Beyond this many events in one row, ticks only (labels would overlap). */
const MAX_LABELS = 40;
/** Beyond this many events in view, nothing more is drawn (the count says so). */
const MAX_EVENTS = 3000;

export interface EventMark {
  row: EventRow;
  /** Short label (already escaped); the tooltip has more. */
  label: string;
  title: string;
  err: boolean;
}

function payload(r: { text?: string; b64?: string }): string {
  return r.text ?? (r.b64 !== undefined ? `<${r.b64.length} base64 chars>` : '');
}

/** How one record shows in the event lanes, or undefined when it has no lane (notes, end). */
export function eventMark(r: NonFrame): EventMark | undefined {
  switch (r.type) {
    case 'spawn': {
      const cmd = toDisplay([r.command, ...r.args].join(' '), 200);
      return {
        row: 'process',
        label: 'spawn',
        title: `spawn ${cmd}${r.pid ? ` (pid ${r.pid})` : ''}`,
        err: false,
      };
    }
    case 'exit': {
      const how = r.signal !== null ? `signal ${toDisplay(r.signal, 20)}` : `code ${r.code}`;
      return { row: 'process', label: `exit ${how}`, title: `exit ${how}`, err: r.code !== 0 };
    }
    case 'error':
      return {
        row: 'process',
        label: `error: ${toDisplay(r.where, 20)}`,
        title: `${toDisplay(r.where, 40)}: ${toDisplay(r.message, 300)}`,
        err: true,
      };
    case 'http': {
      const sid = r.headers['mcp-session-id'];
      const sidText = sid === undefined ? '' : ` · session ${toDisplay(sid, 40)}`;
      if (r.dir === 'c2s') {
        const line = `${toDisplay(r.method ?? '', 10)} ${toDisplay(r.path ?? '', 60)}`.trim();
        return { row: 'http', label: line || 'request', title: `${line}${sidText}`, err: false };
      }
      const status = r.status === undefined ? 'response' : String(r.status);
      return {
        row: 'http',
        label: `${status}${sid === undefined ? '' : ' sid'}`,
        title: `HTTP ${status}${sidText}`,
        err: r.status !== undefined && r.status >= 400,
      };
    }
    case 'stderr':
      return { row: 'stderr', label: '', title: toDisplay(payload(r), 300), err: false };
    default:
      return undefined;
  }
}

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
  for (let i = from; i < to && marks.length < MAX_EVENTS; i++) {
    const m = eventMark(events[i]!);
    if (!m || !rows.includes(m.row)) continue;
    perRow[m.row]++;
    marks.push({ r: events[i]!, m });
  }
  const y = (row: EventRow) => top + rows.indexOf(row) * EVENT_ROW_H;
  return (
    <g className="seq-events">
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
