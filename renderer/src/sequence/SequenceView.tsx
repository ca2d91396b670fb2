// The sequence view of the open session: a toolbar (zoom, fit, the brushed range), the overview
// strip and the chart. Keyboard while it shows: + / - zoom, 0 fits, ← / → pan. Wheel zooms
// around the pointer (Shift+wheel pans). A brush (drag on the chart or the overview) selects a
// time range: it becomes a `seq:A..B` clause in the filter, so the table shows the same frames.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { sessionData } from '../model/session-data.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { fmtRelMs } from '../components/format.js';
import {
  clampWindow,
  overviewBins,
  panWindow,
  seqRangeIn,
  seqRangeOf,
  windowShowing,
  withSeqRange,
  zoomWindow,
  type TimeWindow,
} from './geometry.js';
import type { EventRow } from './events.js';
import { Overview, type OverviewMarker } from './Overview.js';
import { LABEL_W, SequenceChart } from './SequenceChart.js';
import { isTyping } from '../components/keys.js';

/** Follow the element's size (the chart draws in pixels). */
function useSize(ref: React.RefObject<HTMLElement | null>): { w: number; h: number } {
  const [size, setSize] = useState({ w: 800, h: 300 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() =>
      setSize({ w: Math.max(200, el.clientWidth), h: Math.max(160, el.clientHeight) }),
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

export function SequenceView() {
  const store = useAppStore();
  const active = useApp((s) => s.active);
  const version = useApp((s) => s.version);
  const findingsVersion = useApp((s) => s.findingsVersion);
  const selected = useApp((s) => s.selected);
  const query = useApp((s) => s.query);
  const data = active ? sessionData.get(active) : undefined;
  const boxRef = useRef<HTMLDivElement>(null);
  const { w, h } = useSize(boxRef);
  /** undefined = fit the whole session (and keep fitting while a live session grows). */
  const [win, setWin] = useState<TimeWindow | undefined>();

  const msgs = data?.messages ?? [];
  const t0 = data?.builder.startTs ?? 0;
  const events = data?.builder.events ?? [];
  const lastTs = Math.max(msgs[msgs.length - 1]?.ts ?? t0, events[events.length - 1]?.ts ?? t0);
  const total = Math.max(lastTs - t0, 1);
  const view = win ? clampWindow(win, total) : { start: 0, end: total };
  const transport = data?.header?.source.transport;
  const recorder = transport !== undefined && transport !== 'client';

  // Per-session summaries, recomputed when rows or findings change (not on every zoom).
  const summary = useMemo(() => {
    let maxLatency = 0;
    for (const m of msgs)
      if (m.latencyMs !== undefined && m.latencyMs > maxLatency) maxLatency = m.latencyMs;
    const findings: OverviewMarker[] = [];
    for (const [mid, list] of data?.findingsByMid ?? []) {
      const m = msgs[mid];
      if (!m || findings.length >= 500) continue;
      const sev = list.reduce(
        (a, f) => (rank(f.severity) > rank(a) ? f.severity : a),
        list[0]!.severity,
      );
      findings.push({ t: m.ts - t0, severity: sev, mid });
    }
    // The HTTP lane for HTTP sessions (and any session that recorded HTTP metadata).
    const http =
      (transport !== undefined && transport !== 'stdio') || events.some((e) => e.type === 'http');
    const eventRows: EventRow[] = http ? ['process', 'http', 'stderr'] : ['process', 'stderr'];
    return { maxLatency, findings, eventRows };
  }, [data, version, findingsVersion]);
  const bins = useMemo(
    () => overviewBins(msgs, t0, total, Math.max(1, Math.floor(w / 3))),
    [data, version, w, total],
  );

  const range = seqRangeIn(query);
  const brushed = useMemo((): TimeWindow | undefined => {
    if (!range || !data) return undefined;
    const a = data.midOfSeq(range.from);
    const b = data.midOfSeq(range.to);
    if (a === undefined || b === undefined) return undefined;
    return { start: msgs[a]!.ts - t0, end: msgs[b]!.ts - t0 };
  }, [range?.from, range?.to, data, version]);

  // The selection (from the table, j/k, the detail's pair link) stays in view.
  useEffect(() => {
    const m = selected === undefined ? undefined : msgs[selected];
    if (m && win) setWin((cur) => (cur ? windowShowing(cur, m.ts - t0, total) : cur));
  }, [selected]);

  // Updates read the latest window (several keys or wheel events can come before a render).
  const move = useCallback(
    (f: (w: TimeWindow) => TimeWindow) =>
      setWin((cur) => f(cur ? clampWindow(cur, total) : { start: 0, end: total })),
    [total],
  );
  const zoom = useCallback(
    (factor: number, anchor = 0.5) => move((w) => zoomWindow(w, factor, anchor, total)),
    [move, total],
  );
  const applyBrush = useCallback(
    (r: TimeWindow) => {
      const seqs = seqRangeOf(msgs, r, t0);
      const s = store.getState();
      if (!seqs) {
        s.toast('info', 'No frames in that range: drag across some arrows.');
        return;
      }
      setWin(r);
      s.setQuery(withSeqRange(s.query, seqs));
    },
    [msgs, t0, store],
  );
  const clearBrush = (): void => {
    const s = store.getState();
    s.setQuery(withSeqRange(s.query, undefined));
  };

  // Keys while the sequence view shows (not while typing, not under a dialog).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (document.querySelector('[aria-modal=true]')) return;
      if (e.key === '+' || e.key === '=') zoom(1 / 1.5);
      else if (e.key === '-' || e.key === '_') zoom(1.5);
      else if (e.key === '0') setWin(undefined);
      else if (e.key === 'ArrowLeft') move((w) => panWindow(w, -0.25, total));
      else if (e.key === 'ArrowRight') move((w) => panWindow(w, 0.25, total));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [zoom, move, total]);

  // Wheel: zoom around the pointer; Shift+wheel or a sideways wheel pans. Not passive, so the
  // page does not scroll while zooming.
  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      const anchor = Math.min(
        1,
        Math.max(0, (e.clientX - rect.left - LABEL_W) / (rect.width - LABEL_W - 10)),
      );
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY))
        move((w) => panWindow(w, Math.sign(e.deltaX || e.deltaY) * 0.1, total));
      else zoom(e.deltaY < 0 ? 1 / 1.25 : 1.25, anchor);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoom, move, total]);

  const onSelect = useCallback((mid: number) => store.getState().select(mid), [store]);

  if (!data) return <div className="timeline empty">No session open.</div>;
  const zoomPct = Math.round((total / Math.max(view.end - view.start, 1e-6)) * 100);

  return (
    <div className="sequence" data-testid="sequence-view">
      <div className="seq-toolbar">
        <button
          type="button"
          data-testid="seq-zoom-out"
          title="zoom out (-)"
          onClick={() => zoom(1.5)}
        >
          −
        </button>
        <button
          type="button"
          data-testid="seq-zoom-in"
          title="zoom in (+)"
          onClick={() => zoom(1 / 1.5)}
        >
          +
        </button>
        <button
          type="button"
          data-testid="seq-fit"
          title="whole session (0)"
          onClick={() => setWin(undefined)}
        >
          fit
        </button>
        <span className="dim" data-testid="seq-window">
          {fmtRelMs(view.start)} – {fmtRelMs(view.end)} · {zoomPct}%
        </span>
        {range && (
          <span className="seq-range" data-testid="seq-range">
            range seq {range.from}..{range.to}{' '}
            <button
              type="button"
              className="link"
              data-testid="seq-range-clear"
              onClick={clearBrush}
            >
              clear
            </button>
          </span>
        )}
        <span className="dim seq-hint">
          drag to select a range · wheel zooms · shift+wheel pans
        </span>
      </div>
      <Overview
        width={w}
        total={total}
        bins={bins}
        findings={summary.findings}
        view={view}
        brushed={brushed}
        onBrush={applyBrush}
        onCenter={(t) => {
          const half = (view.end - view.start) / 2;
          setWin(clampWindow({ start: t - half, end: t + half }, total));
        }}
      />
      <div className="seq-box" ref={boxRef}>
        <SequenceChart
          width={w}
          height={h}
          view={view}
          t0={t0}
          messages={msgs}
          events={events}
          recorder={recorder}
          eventRows={summary.eventRows}
          selected={selected}
          maxLatency={summary.maxLatency}
          version={version}
          onSelect={onSelect}
          onBrush={applyBrush}
        />
      </div>
    </div>
  );
}

const SEV_RANK = ['info', 'low', 'medium', 'high', 'critical'];
function rank(s: string): number {
  return SEV_RANK.indexOf(s);
}
