// Pure geometry of the sequence view: the time window and its scale, which messages fall inside
// it (binary search: messages are in time order), latency bars packed into rows, per-pixel
// buckets when there are more messages than pixels, the overview's bins, and the brush's range
// expressed as a `seq:A..B` filter clause (so the table, the status bar and the filter bar all
// see the same selection). No DOM, no React: unit-tested in test/unit/sequence-geometry.test.ts.

export interface TimeWindow {
  /** Milliseconds from the session start. */
  start: number;
  end: number;
}

/** What the geometry needs of a timeline message. */
export interface SeqMessage {
  mid: number;
  seq: number;
  ts: number;
  kind: string;
  pair?: number;
  latencyMs?: number;
}

export const MIN_SPAN_MS = 1;

export function clampWindow(w: TimeWindow, total: number): TimeWindow {
  const full = Math.max(total, MIN_SPAN_MS);
  let span = Math.min(Math.max(w.end - w.start, MIN_SPAN_MS), full);
  if (!Number.isFinite(span)) span = full;
  let start = Number.isFinite(w.start) ? w.start : 0;
  start = Math.min(Math.max(0, start), full - span);
  return { start, end: start + span };
}

/** Zoom by `factor` (<1 zooms in) keeping the time under `anchor` (0..1 of the width) still. */
export function zoomWindow(
  w: TimeWindow,
  factor: number,
  anchor: number,
  total: number,
): TimeWindow {
  const span = w.end - w.start;
  const at = w.start + span * anchor;
  const next = Math.max(span * factor, MIN_SPAN_MS);
  return clampWindow({ start: at - next * anchor, end: at - next * anchor + next }, total);
}

export function panWindow(w: TimeWindow, fraction: number, total: number): TimeWindow {
  const d = (w.end - w.start) * fraction;
  return clampWindow({ start: w.start + d, end: w.end + d }, total);
}

/** Move the window (same zoom) so that `t` is inside it; unchanged when it already is. */
export function windowShowing(w: TimeWindow, t: number, total: number): TimeWindow {
  if (t >= w.start && t <= w.end) return w;
  const span = w.end - w.start;
  return clampWindow({ start: t - span / 2, end: t + span / 2 }, total);
}

/** First index whose ts (relative) is >= t. */
export function lowerBoundTs(msgs: readonly { ts: number }[], t: number, t0: number): number {
  let lo = 0;
  let hi = msgs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (msgs[mid]!.ts - t0 < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index range [from, to) of the messages inside the window. */
export function visibleRange(
  msgs: readonly { ts: number }[],
  w: TimeWindow,
  t0: number,
): { from: number; to: number } {
  const from = lowerBoundTs(msgs, w.start, t0);
  let to = lowerBoundTs(msgs, w.end, t0);
  while (to < msgs.length && msgs[to]!.ts - t0 <= w.end) to++;
  return { from, to };
}

export interface Bar {
  /** The request's mid (the bar selects it). */
  mid: number;
  start: number;
  end: number;
  row: number;
}

/**
 * Latency bars (request → answer) that overlap the window, packed greedily into at most
 * `maxRows` rows so concurrent calls do not cover each other. Requests that started before the
 * window are found by looking back `maxLatency` ms. Bars that fit no row are counted in `hidden`.
 */
export function packBars(
  msgs: readonly SeqMessage[],
  w: TimeWindow,
  t0: number,
  maxLatency: number,
  maxRows: number,
  minGapMs: number,
  limit = 4000,
): { bars: Bar[]; hidden: number; rows: number } {
  const rowsEnd: number[] = [];
  const bars: Bar[] = [];
  let hidden = 0;
  const from = lowerBoundTs(msgs, w.start - maxLatency, t0);
  for (let i = from; i < msgs.length; i++) {
    const m = msgs[i]!;
    const start = m.ts - t0;
    if (start > w.end) break;
    if (m.kind !== 'request' || m.pair === undefined || m.latencyMs === undefined) continue;
    const end = start + m.latencyMs;
    if (end < w.start) continue;
    if (bars.length >= limit) {
      hidden++;
      continue;
    }
    let row = rowsEnd.findIndex((e) => e + minGapMs <= start);
    if (row < 0 && rowsEnd.length < maxRows) row = rowsEnd.push(end) - 1;
    if (row < 0) {
      hidden++;
      continue;
    }
    rowsEnd[row] = end;
    bars.push({ mid: m.mid, start, end, row });
  }
  return { bars, hidden, rows: rowsEnd.length };
}

export interface Bucket {
  /** Pixel column. */
  x: number;
  count: number;
  errors: number;
  /** One message in the column (clicking the column selects it). */
  mid: number;
}

/** Messages [from, to) grouped per pixel column, for views with more messages than pixels. */
export function bucketize(
  msgs: readonly SeqMessage[],
  from: number,
  to: number,
  x: (t: number) => number,
  t0: number,
): Bucket[] {
  const out: Bucket[] = [];
  let cur: Bucket | undefined;
  for (let i = from; i < to; i++) {
    const m = msgs[i]!;
    const px = Math.round(x(m.ts - t0));
    if (!cur || cur.x !== px) out.push((cur = { x: px, count: 0, errors: 0, mid: m.mid }));
    cur.count++;
    if (m.kind === 'error' || m.kind === 'invalid') cur.errors++;
  }
  return out;
}

export interface OverviewBins {
  counts: Uint32Array;
  errors: Uint32Array;
  max: number;
}

/** The whole session in `n` bins: message density and error counts. */
export function overviewBins(
  msgs: readonly SeqMessage[],
  t0: number,
  total: number,
  n: number,
): OverviewBins {
  const counts = new Uint32Array(Math.max(1, n));
  const errors = new Uint32Array(Math.max(1, n));
  const span = Math.max(total, MIN_SPAN_MS);
  let max = 0;
  for (const m of msgs) {
    const b = Math.min(counts.length - 1, Math.max(0, Math.floor(((m.ts - t0) / span) * n)));
    const c = ++counts[b]!;
    if (c > max) max = c;
    if (m.kind === 'error' || m.kind === 'invalid') errors[b]!++;
  }
  return { counts, errors, max };
}

/** The seq range of the messages inside a time range, or undefined when none falls in it. */
export function seqRangeOf(
  msgs: readonly SeqMessage[],
  w: TimeWindow,
  t0: number,
): { from: number; to: number } | undefined {
  const r = visibleRange(msgs, w, t0);
  if (r.to <= r.from) return undefined;
  return { from: msgs[r.from]!.seq, to: msgs[r.to - 1]!.seq };
}

const RANGE_CLAUSE = /(^|\s)seq:(\d+)\.\.(\d+)(?=\s|$)/g;

/** The query with its brush clause (`seq:A..B`) replaced by `range`, or removed when undefined. */
export function withSeqRange(
  query: string,
  range: { from: number; to: number } | undefined,
): string {
  // Only the clause goes; the rest of the query (quoted text included) stays as typed.
  const kept = query.replace(RANGE_CLAUSE, '$1').trim();
  if (!range) return kept;
  const clause = `seq:${range.from}..${range.to}`;
  return kept === '' ? clause : `${kept} ${clause}`;
}

/** The brush clause in a query, if there is one. */
export function seqRangeIn(query: string): { from: number; to: number } | undefined {
  const m = new RegExp(RANGE_CLAUSE.source).exec(query);
  return m ? { from: Number(m[2]), to: Number(m[3]) } : undefined;
}

/** Tick marks for a time axis: a 1/2/5 step giving about `want` ticks. */
export function axisTicks(w: TimeWindow, want: number): number[] {
  const span = w.end - w.start;
  if (!(span > 0) || want < 1) return [];
  const raw = span / want;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let t = Math.ceil(w.start / step) * step; t <= w.end && out.length < 200; t += step)
    out.push(t);
  return out;
}
