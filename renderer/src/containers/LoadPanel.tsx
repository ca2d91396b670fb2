// A load run's summary above the timeline of its capture (mcpscope load records one): the
// figures and the latency-over-time chart, from the capture's summary note (exact counts; the
// timeline below holds only a sample of the exchanges). Renders nothing for other sessions.

import { LatencyChart } from '../components/LatencyChart.js';
import { SafeText } from '../components/SafeText.js';
import { sessionData } from '../model/session-data.js';
import { useApp } from '../store/hooks.js';

export function LoadPanel() {
  const active = useApp((s) => s.active);
  useApp((s) => s.counts.messages); // re-read when records arrive
  const s = active ? sessionData.get(active)?.loadSummary : undefined;
  if (!s) return null;
  const l = s.latency;
  const errs = Object.entries(s.errors).sort((a, b) => b[1] - a[1]);
  const rss = s.process?.samples ?? [];
  return (
    <section className="load-panel" data-testid="load-panel">
      <h3>
        load run: <SafeText text={s.operation.tool ?? s.operation.method} max={80} /> ·{' '}
        {s.mode.kind === 'rate' ? `${s.mode.rate}/s` : `concurrency ${s.mode.concurrency}`} ·
        stopped by <SafeText text={s.stopped} max={40} />
      </h3>
      <div className="load-figures" data-testid="load-figures">
        <span>sent {s.sent}</span>
        <span>ok {s.ok}</span>
        <span className={s.errorCount ? 'err' : ''}>errors {s.errorCount}</span>
        <span>throughput {s.throughput}/s</span>
        <span>
          p50 {l.p50} · p90 {l.p90} · p99 {l.p99} · p99.9 {l.p999} · max {l.max} ms
        </span>
        {s.rateLimit.count > 0 && <span className="ok">429 × {s.rateLimit.count}</span>}
        {rss.length > 1 && (
          <span>
            rss {(rss[0]!.rss / 1048576).toFixed(0)} →{' '}
            {(rss[rss.length - 1]!.rss / 1048576).toFixed(0)} MiB
          </span>
        )}
        {s.ramp?.knee !== undefined && <span>knee {s.ramp.knee}/s</span>}
      </div>
      {errs.length > 0 && (
        <div className="dim">
          errors: <SafeText text={errs.map(([k, n]) => `${k} ×${n}`).join(', ')} max={300} />
        </div>
      )}
      <LatencyChart intervals={s.intervals} />
      <div className="dim legend">
        <span className="p50">— p50</span> <span className="p99">— p99</span> per interval; the
        timeline below shows {s.recorded} sampled exchanges
      </div>
    </section>
  );
}
