// The sequence chart: a time axis, client / recorder / server lanes with one arrow per message
// (sender → receiver), request→response latency bars packed into rows, and the lifecycle, HTTP
// and stderr lanes. Only what falls inside the time window is drawn; when there are more
// messages than pixels they are drawn as one line per pixel column. Server text (methods, stderr,
// headers) is shown through toDisplay, as SVG text nodes.

import { memo, type ReactElement } from 'react';
import type { EventRecord, FrameRecord } from '../../../shared/capture/types.js';
import type { Message } from '../../../shared/protocol/messages.js';
import { fmtLatency, fmtRelMs } from '../components/format.js';
import { toDisplay } from '../components/SafeText.js';
import { useBrush } from './brush.js';
import { EventRows } from './EventRows.js';
import { EVENT_ROW_H, type EventRow } from './events.js';
import { axisTicks, bucketize, packBars, visibleRange, type TimeWindow } from './geometry.js';

export interface SequenceChartProps {
  width: number;
  height: number;
  view: TimeWindow;
  t0: number;
  messages: readonly Message[];
  events: readonly Exclude<EventRecord, FrameRecord>[];
  /** The session was recorded by the stdio wrapper or the HTTP proxy (a recorder lane). */
  recorder: boolean;
  /** Event lanes to draw (see EventRows). */
  eventRows: readonly EventRow[];
  selected?: number;
  /** Longest latency in the session, to find bars that started before the window. */
  maxLatency: number;
  /** Bumped when messages changed in place (answers, pairing). */
  version: number;
  onSelect(mid: number): void;
  onBrush(range: TimeWindow): void;
}

export const LABEL_W = 70;
const AXIS_H = 20;
const LANE_GAP = 30;
const BAR_H = 12;
const BAR_GAP = 3;

function laneYs(recorder: boolean): { client: number; recorder?: number; server: number } {
  const client = AXIS_H + 14;
  return recorder
    ? { client, recorder: client + LANE_GAP, server: client + 2 * LANE_GAP }
    : { client, server: client + LANE_GAP };
}

function isErr(m: Message | undefined): boolean {
  return m?.kind === 'error' || m?.kind === 'invalid';
}

function SequenceChartImpl(p: SequenceChartProps) {
  const { width, height, view, t0, messages, recorder, selected } = p;
  const plotW = Math.max(10, width - LABEL_W - 10);
  const span = Math.max(view.end - view.start, 1e-6);
  const x = (t: number) => LABEL_W + ((t - view.start) / span) * plotW;
  const tAt = (px: number) =>
    view.start + (Math.min(Math.max(px - LABEL_W, 0), plotW) / plotW) * span;
  const { ref, drag, handlers } = useBrush(
    (x0, x1) => {
      if (Math.abs(x1 - x0) >= 4)
        p.onBrush({ start: tAt(Math.min(x0, x1)), end: tAt(Math.max(x0, x1)) });
    },
    (target) => target.closest('[data-testid=seq-msg],[data-testid=seq-pair]') !== null,
  );

  const lanes = laneYs(recorder);
  const barsTop = lanes.server + 16;
  const eventsH = p.eventRows.length * EVENT_ROW_H;
  const maxRows = Math.max(
    2,
    Math.min(24, Math.floor((height - barsTop - eventsH - 8) / (BAR_H + BAR_GAP))),
  );
  const msPerPx = span / plotW;
  // At most one bar per two pixels of width: more could not be told apart and would only cost DOM.
  const packed = packBars(
    messages,
    view,
    t0,
    p.maxLatency,
    maxRows,
    msPerPx * 2,
    Math.max(50, Math.floor(plotW / 2)),
  );
  const eventsTop = barsTop + Math.max(packed.rows, 1) * (BAR_H + BAR_GAP) + 8;

  const { from, to } = visibleRange(messages, view, t0);
  const dense = to - from > plotW / 4;
  const pairOfSelected = selected === undefined ? undefined : messages[selected]?.pair;
  const yFrom = (m: Message) => (m.dir === 'c2s' ? lanes.client : lanes.server);
  const yTo = (m: Message) => (m.dir === 'c2s' ? lanes.server : lanes.client);

  const arrows: ReactElement[] = [];
  if (dense) {
    for (const b of bucketize(messages, from, to, (t) => x(t), t0))
      arrows.push(
        <line
          key={`b${b.x}`}
          className={`seq-bucket${b.errors > 0 ? ' err' : ''}`}
          data-testid="seq-bucket"
          x1={b.x}
          x2={b.x}
          y1={lanes.client}
          y2={lanes.server}
          onClick={() => p.onSelect(b.mid)}
        >
          <title>{`${b.count} messages${b.errors ? `, ${b.errors} errors` : ''}`}</title>
        </line>,
      );
  } else {
    for (let i = from; i < to; i++) {
      const m = messages[i]!;
      const mx = x(m.ts - t0);
      const y1 = yFrom(m);
      const y2 = yTo(m);
      const head = y2 > y1 ? -5 : 5;
      const cls = [
        'seq-msg',
        `k-${m.kind}`,
        m.dir,
        isErr(m) ? 'err' : '',
        m.mid === selected ? 'selected' : '',
        m.mid === pairOfSelected ? 'paired' : '',
      ].join(' ');
      arrows.push(
        <g
          key={m.mid}
          className={cls}
          data-testid="seq-msg"
          data-mid={m.mid}
          data-kind={m.kind}
          data-dir={m.dir}
          onClick={() => p.onSelect(m.mid)}
        >
          <title>{`${m.dir === 'c2s' ? 'client → server' : 'server → client'} ${m.kind} ${toDisplay(m.method ?? m.reason ?? '', 120)} ${fmtRelMs(m.ts - t0)}`}</title>
          <line className="hit" x1={mx} x2={mx} y1={y1} y2={y2} />
          <line x1={mx} x2={mx} y1={y1} y2={y2} />
          <path d={`M${mx},${y2}l-3.5,${head}h7z`} />
          {lanes.recorder !== undefined && <circle cx={mx} cy={lanes.recorder} r={2} />}
        </g>,
      );
    }
  }

  const ticks = axisTicks(view, Math.max(2, Math.floor(plotW / 110)));
  const brush = drag && Math.abs(drag.x1 - drag.x0) >= 2 ? drag : undefined;

  return (
    <svg
      ref={ref}
      className="seq-chart"
      data-testid="seq-chart"
      width={width}
      height={Math.max(height, eventsTop + eventsH)}
      data-dense={dense ? 'true' : undefined}
      {...handlers}
    >
      <rect className="seq-bg" width={width} height="100%" />
      <g className="seq-axis">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={AXIS_H - 5} y2="100%" />
            <text x={x(t) + 3} y={AXIS_H - 8}>
              {fmtRelMs(t)}
            </text>
          </g>
        ))}
      </g>
      <g className="seq-lanes">
        {(
          [
            ['client', lanes.client],
            ['recorder', lanes.recorder],
            ['server', lanes.server],
          ] as const
        ).map(([name, y]) =>
          y === undefined ? null : (
            <g key={name} data-testid={`seq-lane-${name}`}>
              <text className="lane-label" x={6} y={y + 4}>
                {name}
              </text>
              <line className="lane" x1={LABEL_W} x2={width - 10} y1={y} y2={y} />
            </g>
          ),
        )}
        <text className="lane-label" x={6} y={barsTop + BAR_H - 2}>
          calls
        </text>
      </g>
      <g className="seq-arrows">{arrows}</g>
      <g className="seq-bars">
        {packed.bars.map((b) => {
          const req = messages[b.mid]!;
          const res = req.pair === undefined ? undefined : messages[req.pair];
          const bx = x(b.start);
          const bw = Math.max(2, x(b.end) - bx);
          const by = barsTop + b.row * (BAR_H + BAR_GAP);
          const on = selected === b.mid || selected === req.pair;
          const label = toDisplay(req.method ?? '', 80);
          return (
            <g
              key={b.mid}
              className={`seq-pair${isErr(res) ? ' err' : ''}${on ? ' selected' : ''}`}
              data-testid="seq-pair"
              data-mid={b.mid}
              data-pair={req.pair}
              onClick={() => p.onSelect(b.mid)}
            >
              <title>{`${label} · ${fmtLatency(req.latencyMs)}${isErr(res) ? ` · error ${res?.errorCode ?? ''}` : ''}`}</title>
              <rect x={bx} y={by} width={bw} height={BAR_H} rx={2} />
              <path d={`M${bx + bw},${by + BAR_H / 2}l-4,-4v8z`} className="head" />
              {bw > 50 && (
                <text x={bx + 4} y={by + BAR_H - 3}>
                  {label.length * 6.5 > bw - 8
                    ? `${label.slice(0, Math.max(0, Math.floor((bw - 14) / 6.5)))}…`
                    : label}
                </text>
              )}
            </g>
          );
        })}
      </g>
      {packed.hidden > 0 && (
        <text className="seq-more" x={width - 12} y={barsTop - 4} textAnchor="end">
          {`+${packed.hidden} calls not drawn: zoom in`}
        </text>
      )}
      <EventRows
        events={p.events}
        rows={p.eventRows}
        view={view}
        t0={t0}
        top={eventsTop}
        x={x}
        width={width}
      />
      {brush && (
        <rect
          className="seq-brush"
          data-testid="seq-brush"
          x={Math.min(brush.x0, brush.x1)}
          width={Math.abs(brush.x1 - brush.x0)}
          y={0}
          height="100%"
        />
      )}
    </svg>
  );
}

export const SequenceChart = memo(SequenceChartImpl);
