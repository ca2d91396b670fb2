// The session screen: handshake header, filter bar, then resizable panes (layout/): the timeline
// (table or sequence) over the stderr panel, beside the side panels; the status bar. Owns the
// keyboard shortcuts.

import { useEffect, useRef } from 'react';
import { FilterBar } from '../components/FilterBar.js';
import { layoutStore } from '../layout/layout-store.js';
import { Panes } from '../layout/Panes.js';
import { SidePanels } from '../layout/SidePanels.js';
import { TimelineArea } from '../layout/TimelineArea.js';
import { largeSessions } from '../model/large-session.js';
import { sessionData } from '../model/session-data.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { HandshakeHeader } from './HandshakeHeader.js';
import { OAuthSessionPanel } from '../oauth/OAuthSessionPanel.js';
import { LoadPanel } from './LoadPanel.js';
import { StatusBar } from './StatusBar.js';
import { StderrPanel } from './StderrPanel.js';
import { isTyping } from '../components/keys.js';

export function SessionScreen() {
  const store = useAppStore();
  const query = useApp((s) => s.query);
  const errors = useApp((s) => s.queryErrors);
  const shown = useApp((s) => s.filteredCount);
  const total = useApp((s) => s.counts.messages);
  const filterMs = useApp((s) => s.filterMs);
  const filterBusy = useApp((s) => s.filterBusy);
  const bottom = useApp((s) => s.bottomPanel);
  const filterRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const s = store.getState();
      if (e.key === '/') {
        e.preventDefault();
        filterRef.current?.focus();
      } else if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        s.selectRelative(1);
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        s.selectRelative(-1);
      } else if (e.key === 'Enter') {
        s.setSidePanel('detail');
      } else if (e.key === 'p') {
        // Jump to the selected message's request/response partner.
        const msg =
          s.active && s.selected !== undefined
            ? (sessionData.get(s.active)?.messages[s.selected] ??
              largeSessions.get(s.active)?.row(s.selected))
            : undefined;
        if (msg?.pair !== undefined) s.select(msg.pair);
      } else if (e.key === 'v') {
        const l = layoutStore.getState();
        l.setView(l.view === 'table' ? 'sequence' : 'table');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  return (
    <main className="session" data-testid="session-screen">
      <HandshakeHeader />
      <LoadPanel />
      <OAuthSessionPanel />
      <FilterBar
        ref={filterRef}
        value={query}
        errors={errors}
        shown={shown}
        total={total}
        filterMs={filterMs}
        busy={filterBusy}
        onChange={(q) => store.getState().setQuery(q)}
      />
      <div className="session-body">
        <Panes
          id="session-split"
          panes={[
            {
              id: 'main',
              defaultSize: 58,
              minPx: 320,
              children: (
                <Panes
                  id="main-split"
                  orientation="vertical"
                  panes={[
                    { id: 'timeline', defaultSize: 84, minPx: 140, children: <TimelineArea /> },
                    ...(bottom === 'stderr'
                      ? [{ id: 'stderr', defaultSize: 16, minPx: 60, children: <StderrPanel /> }]
                      : []),
                  ]}
                />
              ),
            },
            { id: 'side', defaultSize: 42, minPx: 280, children: <SidePanels /> },
          ]}
        />
      </div>
      <StatusBar />
    </main>
  );
}
