import { useApp } from '../store/hooks.js';

export function StatusBar() {
  const counts = useApp((s) => s.counts);
  const shown = useApp((s) => s.filteredCount);
  const findings = useApp((s) => s.findingCount);
  const scanning = useApp((s) => s.scanning);
  const loading = useApp((s) => s.loading);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span>
        frames <b data-testid="message-count">{counts.frames}</b>
      </span>
      <span>messages {counts.messages}</span>
      <span>shown {shown}</span>
      <span>requests {counts.requests}</span>
      <span>notifications {counts.notifications}</span>
      <span className={counts.errors > 0 ? 'warn' : undefined}>errors {counts.errors}</span>
      <span>pending {counts.pending}</span>
      <span>stderr {counts.stderr}</span>
      <span data-testid="finding-count" data-scanning={scanning ? 'true' : 'false'}>
        findings {findings}
        {scanning ? ' (scanning…)' : ''}
      </span>
      {loading && <span>loading…</span>}
    </footer>
  );
}
