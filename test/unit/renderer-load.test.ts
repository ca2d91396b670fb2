// The app's view of a load run: the capture's summary note becomes the load panel with its
// latency-over-time chart; sessions without one show nothing; server text in it stays inert.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { chartPaths, LatencyChart, niceCeil } from '../../renderer/src/components/LatencyChart.js';
import { LoadPanel } from '../../renderer/src/containers/LoadPanel.js';
import { StoreContext } from '../../renderer/src/store/hooks.js';
import type { AppState } from '../../renderer/src/store/types.js';
import { loadSummaryNote, type LoadInterval, type LoadSummary } from '../../shared/load/types.js';
import { file, makeCapture, makeSessionCapture, makeStore } from './renderer-fixtures.js';

const intervals: LoadInterval[] = [
  { t: 0, ms: 100, sent: 10, ok: 10, errors: 0, p50: 1, p99: 4, max: 4 },
  { t: 100, ms: 100, sent: 10, ok: 8, errors: 2, p50: 2, p99: 8, max: 9 },
  { t: 200, ms: 100, sent: 10, ok: 0, errors: 10 },
  { t: 300, ms: 100, sent: 10, ok: 10, errors: 0, p50: 1, p99: 3, max: 3 },
];

function summary(tool: string): LoadSummary {
  return {
    target: { transport: 'stdio', label: 'node s.js', remote: false },
    operation: { method: 'tools/call', tool },
    mode: { kind: 'rate', rate: 100 },
    bounds: { durationMs: 400, requests: 1e7, timeoutMs: 1000 },
    stopped: 'duration',
    startedAt: '2026-12-04T00:00:00.000Z',
    durationMs: 400,
    sent: 40,
    ok: 28,
    errorCount: 12,
    throughput: 70,
    sendRate: 100,
    latency: { p50: 1.5, p90: 4, p99: 8, p999: 9, max: 9, mean: 2, count: 28 },
    errors: { timeout: 10, 'jsonrpc:-32603': 2 },
    rateLimit: { count: 0, withRetryAfter: 0, retryAfter: [] },
    intervals,
    recorded: 2,
  };
}

describe('LatencyChart', () => {
  it('scales to a nice top and breaks the line where an interval had no answers', () => {
    expect(niceCeil(8)).toBe(10);
    expect(niceCeil(13)).toBe(20);
    expect(niceCeil(0.3)).toBe(0.5);
    const p = chartPaths(intervals, 500, 200);
    expect(p.top).toBe(10);
    expect(p.end).toBe(400);
    expect(p.p99.match(/M/g)).toHaveLength(2); // a gap at t=200
    expect(p.p99.match(/L/g)).toHaveLength(1);
    expect(p.errors.map((e) => e.n)).toEqual([2, 10]);
    const html = renderToStaticMarkup(createElement(LatencyChart, { intervals }));
    expect(html).toContain('data-testid="latency-p99"');
    expect(html).toContain('10 ms');
  });
});

describe('LoadPanel', () => {
  it("shows a load capture's figures and chart; the tool name is inert text", async () => {
    const c = makeCapture('10ad0001', 'load');
    c.frame('c2s', { jsonrpc: '2.0', id: 1, method: 'ping' });
    c.frame('s2c', { jsonrpc: '2.0', id: 1, result: {} });
    c.add({ type: 'note', text: loadSummaryNote(summary('<img src=x onerror=alert(1)>')) });
    const t = makeStore();
    await t.store.getState().importFiles([file('load', c.text())]);
    const snap = createStore<AppState>()(() => t.store.getState());
    const html = renderToStaticMarkup(
      createElement(StoreContext.Provider, { value: snap }, createElement(LoadPanel)),
    );
    expect(html).toContain('data-testid="latency-chart"');
    expect(html).toContain('throughput 70/s');
    expect(html).toContain('timeout ×10');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it('renders nothing for a session that is not a load run', async () => {
    const t = makeStore();
    await t.store.getState().importFiles([file('plain', makeSessionCapture('5e550001').text())]);
    const snap = createStore<AppState>()(() => t.store.getState());
    expect(
      renderToStaticMarkup(
        createElement(StoreContext.Provider, { value: snap }, createElement(LoadPanel)),
      ),
    ).toBe('');
  });
});
