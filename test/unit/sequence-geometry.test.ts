// The sequence view's geometry: windows (clamp, zoom around a point, pan, follow a selection),
// which messages are visible, latency bars packed into rows, per-pixel buckets, overview bins,
// the brush's seq range and its filter clause.
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../shared/filter/index.js';
import {
  axisTicks,
  bucketize,
  clampWindow,
  overviewBins,
  packBars,
  panWindow,
  seqRangeIn,
  seqRangeOf,
  visibleRange,
  windowShowing,
  withSeqRange,
  zoomWindow,
  type SeqMessage,
} from '../../renderer/src/sequence/geometry.js';

const T0 = 1_000_000;
/** req at t, answered at t+lat: two messages, seq = mid + 1. */
function session(calls: [number, number, string?][]): SeqMessage[] {
  const out: SeqMessage[] = [];
  for (const [t, lat, kind] of calls) {
    const mid = out.length;
    out.push({ mid, seq: mid + 1, ts: T0 + t, kind: 'request', pair: mid + 1, latencyMs: lat });
    out.push({ mid: mid + 1, seq: mid + 2, ts: T0 + t + lat, kind: kind ?? 'response', pair: mid });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

describe('time windows', () => {
  it('clamps to the session and keeps a minimum span', () => {
    expect(clampWindow({ start: -50, end: 50 }, 1000)).toEqual({ start: 0, end: 100 });
    expect(clampWindow({ start: 950, end: 1100 }, 1000)).toEqual({ start: 850, end: 1000 });
    expect(clampWindow({ start: 10, end: 10 }, 1000)).toEqual({ start: 10, end: 11 });
    expect(clampWindow({ start: 0, end: 5000 }, 1000)).toEqual({ start: 0, end: 1000 });
    expect(clampWindow({ start: NaN, end: NaN }, 1000)).toEqual({ start: 0, end: 1000 });
  });

  it('zooms around the anchor: the time under the pointer stays put', () => {
    const w = zoomWindow({ start: 0, end: 1000 }, 0.5, 0.25, 1000);
    expect(w).toEqual({ start: 125, end: 625 });
    expect(w.start + (w.end - w.start) * 0.25).toBe(250);
    expect(zoomWindow({ start: 0, end: 1000 }, 4, 0.5, 1000)).toEqual({ start: 0, end: 1000 });
  });

  it('pans by a fraction of the span, never past the ends', () => {
    expect(panWindow({ start: 100, end: 200 }, 0.5, 1000)).toEqual({ start: 150, end: 250 });
    expect(panWindow({ start: 100, end: 200 }, -5, 1000)).toEqual({ start: 0, end: 100 });
  });

  it('moves to show a selected time only when it is outside', () => {
    const w = { start: 100, end: 200 };
    expect(windowShowing(w, 150, 1000)).toBe(w);
    expect(windowShowing(w, 700, 1000)).toEqual({ start: 650, end: 750 });
  });

  it('gives axis ticks on 1/2/5 steps inside the window', () => {
    expect(axisTicks({ start: 0, end: 1000 }, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks({ start: 3, end: 3 }, 5)).toEqual([]);
  });
});

describe('what is drawn', () => {
  const msgs = session([
    [0, 100],
    [10, 20],
    [50, 500],
    [600, 10, 'error'],
  ]);

  it('finds the visible messages by binary search, ends included', () => {
    const r = visibleRange(msgs, { start: 10, end: 110 }, T0);
    expect(msgs.slice(r.from, r.to).map((m) => m.ts - T0)).toEqual([10, 30, 50, 100]);
    expect(visibleRange(msgs, { start: 2000, end: 3000 }, T0)).toEqual({ from: 8, to: 8 });
  });

  it('packs overlapping bars into rows and finds bars that began before the window', () => {
    const { bars, rows, hidden } = packBars(msgs, { start: 0, end: 1000 }, T0, 500, 8, 0);
    expect(bars.map((b) => [b.start, b.end, b.row])).toEqual([
      [0, 100, 0],
      [10, 30, 1],
      [50, 550, 1],
      [600, 610, 0],
    ]);
    expect(rows).toBe(2);
    expect(hidden).toBe(0);
    // Window inside the long call only: it is still drawn.
    const inside = packBars(msgs, { start: 200, end: 300 }, T0, 500, 8, 0);
    expect(inside.bars.map((b) => b.start)).toEqual([50]);
    // One row only: the overlapping calls are counted as hidden, not drawn on top of each other.
    const one = packBars(msgs, { start: 0, end: 1000 }, T0, 500, 1, 0);
    expect(one.bars.map((b) => b.start)).toEqual([0, 600]);
    expect(one.hidden).toBe(2);
  });

  it('buckets many messages per pixel column, counting errors', () => {
    const b = bucketize(msgs, 0, msgs.length, (t) => Math.floor(t / 100), T0);
    expect(b.map((x) => [x.x, x.count, x.errors])).toEqual([
      [0, 4, 0],
      [1, 1, 0],
      [5, 1, 0],
      [6, 2, 1],
    ]);
    // Each column selects one of its messages.
    expect(b[3]!.mid).toBe(msgs.find((m) => m.ts - T0 === 600)!.mid);
  });

  it('bins the whole session for the overview, with errors', () => {
    const bins = overviewBins(msgs, T0, 1000, 10);
    expect(Array.from(bins.counts)).toEqual([4, 1, 0, 0, 0, 1, 2, 0, 0, 0]);
    expect(Array.from(bins.errors)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(bins.max).toBe(4);
  });
});

describe('the brush as a filter clause', () => {
  const msgs = session([
    [0, 100],
    [200, 10],
    [400, 10],
  ]);

  it('turns a time range into the seq range of the frames inside it', () => {
    expect(seqRangeOf(msgs, { start: 150, end: 215 }, T0)).toEqual({ from: 3, to: 4 });
    expect(seqRangeOf(msgs, { start: 120, end: 190 }, T0)).toBeUndefined();
  });

  it('replaces its own clause, keeps the rest of the query as typed, and parses', () => {
    const q = withSeqRange('method:tools/call "two  spaces"', { from: 3, to: 9 });
    expect(q).toBe('method:tools/call "two  spaces" seq:3..9');
    const q2 = withSeqRange(q, { from: 5, to: 6 });
    expect(q2).toBe('method:tools/call "two  spaces" seq:5..6');
    expect(seqRangeIn(q2)).toEqual({ from: 5, to: 6 });
    expect(withSeqRange(q2, undefined)).toBe('method:tools/call "two  spaces"');
    expect(withSeqRange('', { from: 1, to: 2 })).toBe('seq:1..2');
    expect(seqRangeIn('seq:>5')).toBeUndefined();
    const parsed = parseFilter(q2);
    expect(parsed.errors).toEqual([]);
    expect(parsed.clauses.some((c) => c.key === 'seq')).toBe(true);
  });
});
