import type { ReactNode } from 'react';
import { useApp, useAppStore } from '../store/hooks.js';

/** A count that, clicked, filters the timeline to exactly what it counts. */
function Count({
  query,
  children,
  className,
  testId,
}: {
  query: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const store = useAppStore();
  return (
    <button
      type="button"
      className={`count-link ${className ?? ''}`}
      data-testid={testId}
      title={`show ${query}`}
      onClick={() => store.getState().setQuery(query)}
    >
      {children}
    </button>
  );
}

export function StatusBar() {
  const counts = useApp((s) => s.counts);
  const shown = useApp((s) => s.filteredCount);
  const findings = useApp((s) => s.findingCount);
  const scanning = useApp((s) => s.scanning);
  const loading = useApp((s) => s.loading);
  const indexing = useApp((s) => s.indexing);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span>
        frames <b data-testid="message-count">{counts.frames}</b>
      </span>
      <span>messages {counts.messages}</span>
      <span>shown {shown}</span>
      <Count query="kind:request">requests {counts.requests}</Count>
      <Count query="kind:notification">notifications {counts.notifications}</Count>
      <Count
        query="status:error -kind:request"
        className={counts.errors > 0 ? 'warn' : undefined}
        testId="count-errors"
      >
        errors {counts.errors}
      </Count>
      {counts.recordErrors > 0 && (
        <span
          className="warn"
          data-testid="record-errors"
          title="errors the client or recorder noted outside any frame (connect, transport); see the capture with mcpscope show"
        >
          other errors {counts.recordErrors}
        </span>
      )}
      <Count query="status:pending">pending {counts.pending}</Count>
      <span>stderr {counts.stderr}</span>
      <span data-testid="finding-count" data-scanning={scanning ? 'true' : 'false'}>
        findings {findings}
        {scanning ? ' (scanning…)' : ''}
      </span>
      {loading && <span>loading…</span>}
      {indexing !== undefined && (
        <span data-testid="indexing" title="the file is read as a stream; rows show as it goes">
          indexing {Math.floor(indexing * 100)}%…
        </span>
      )}
    </footer>
  );
}
