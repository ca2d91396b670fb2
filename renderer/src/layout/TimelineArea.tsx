// The session's main area: the Table / Sequence switch (key `v`), then the table (with its
// header, columns sized to the session's longest method and id unless the user dragged them:
// columns.ts, TimelineHeader.tsx) or the sequence view.

import { useRef, type CSSProperties } from 'react';
import { TimelineView } from '../containers/TimelineView.js';
import { LARGE_SESSION_BYTES, largeSessions } from '../model/large-session.js';
import { sessionData } from '../model/session-data.js';
import { SequenceView } from '../sequence/SequenceView.js';
import { useApp } from '../store/hooks.js';
import { gridTemplate, type AutoWidths } from './columns.js';
import { useLayout } from './hooks.js';
import { layoutStore, type TimelineViewKind } from './layout-store.js';
import { TimelineHeader } from './TimelineHeader.js';

const VIEWS: { id: TimelineViewKind; label: string }[] = [
  { id: 'table', label: 'Table' },
  { id: 'sequence', label: 'Sequence' },
];

/** Width of one character of the rows' 12px monospace font. */
const CHAR_PX = 7.3;

/** Widest method and id (in characters) seen so far in a session; scanned incrementally. */
interface Widths {
  session?: string;
  scanned: number;
  method: number;
  id: number;
}

function useAutoWidths(): AutoWidths {
  const active = useApp((s) => s.active);
  useApp((s) => s.version);
  const w = useRef<Widths>({ scanned: 0, method: 0, id: 0 });
  const data = active ? sessionData.get(active) : undefined;
  if (w.current.session !== active) w.current = { session: active, scanned: 0, method: 0, id: 0 };
  const msgs = data?.messages ?? [];
  for (let i = w.current.scanned; i < msgs.length; i++) {
    const m = msgs[i]!;
    const name = m.method ?? (m.kind === 'invalid' ? m.reason : undefined);
    if (name && name.length > w.current.method) w.current.method = name.length;
    const idLen = m.id === undefined || m.id === null ? 4 : String(m.id).length + 2;
    if (idLen > w.current.id) w.current.id = idLen;
  }
  w.current.scanned = msgs.length;
  // Bounded: a hostile 10,000-character method still leaves room for the other columns.
  const method = Math.min(Math.max(w.current.method, 12), 48);
  const id = Math.min(Math.max(w.current.id, 4), 24);
  // In px, not ch: the header and the rows use different fonts and must get the same columns.
  return { method: Math.ceil(method * CHAR_PX) + 8, id: Math.ceil(id * CHAR_PX) + 8 };
}

export function TimelineArea() {
  const view = useLayout((s) => s.view);
  const auto = useAutoWidths();
  const user = useLayout((s) => s.columns);
  const cols = { '--timeline-cols': gridTemplate(user, auto) } as CSSProperties;
  const large = useApp((s) => (s.active ? largeSessions.get(s.active) : undefined));
  return (
    <div className="timeline-area" style={cols}>
      <nav className="tabs view-tabs" aria-label="timeline view">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className={v.id === view ? 'on' : ''}
            data-testid={`view-${v.id}`}
            aria-pressed={v.id === view}
            title="switch Table / Sequence (v)"
            onClick={() => layoutStore.getState().setView(v.id)}
          >
            {v.label}
          </button>
        ))}
      </nav>
      {view === 'table' ? (
        <>
          <TimelineHeader />
          <TimelineView />
        </>
      ) : large ? (
        <div className="timeline empty" data-testid="sequence-large">
          The sequence view draws every message, so it is off for large sessions (
          {large.counts?.messages ?? 0} messages, a file of {LARGE_SESSION_BYTES / 1048576} MB or
          more). Use the table and its filter; <code>mcpscope show FILE --seq A..B</code> prints a
          range in the terminal.
        </div>
      ) : (
        <SequenceView />
      )}
    </div>
  );
}
