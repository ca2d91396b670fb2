// The session screen: handshake header, filter bar, timeline, side panel (detail / capabilities /
// findings / interact), stderr panel and status bar. Owns the keyboard shortcuts.

import { useEffect, useRef } from 'react';
import { FilterBar } from '../components/FilterBar.js';
import { InteractPanel } from '../interact/InteractPanel.js';
import { RepeaterPanel } from '../repeater/RepeaterPanel.js';
import { sessionData } from '../model/session-data.js';
import { useApp, useAppStore } from '../store/hooks.js';
import type { SidePanel } from '../store/types.js';
import { CapabilitiesPanel } from './CapabilitiesPanel.js';
import { DetailPanel } from './DetailPanel.js';
import { FindingsPanel } from './FindingsPanel.js';
import { HandshakeHeader } from './HandshakeHeader.js';
import { LoadPanel } from './LoadPanel.js';
import { StatusBar } from './StatusBar.js';
import { StderrPanel } from './StderrPanel.js';
import { TimelineView } from './TimelineView.js';

const PANELS: SidePanel[] = ['detail', 'capabilities', 'findings', 'interact', 'repeater'];

function isTyping(el: EventTarget | null): boolean {
  return (
    el instanceof HTMLElement &&
    (el.tagName === 'INPUT' ||
      el.tagName === 'TEXTAREA' ||
      el.tagName === 'SELECT' ||
      el.isContentEditable)
  );
}

export function SessionScreen() {
  const store = useAppStore();
  const query = useApp((s) => s.query);
  const errors = useApp((s) => s.queryErrors);
  const shown = useApp((s) => s.filteredCount);
  const total = useApp((s) => s.counts.messages);
  const filterMs = useApp((s) => s.filterMs);
  const panel = useApp((s) => s.sidePanel);
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
            ? sessionData.get(s.active)?.messages[s.selected]
            : undefined;
        if (msg?.pair !== undefined) s.select(msg.pair);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  return (
    <main className="session" data-testid="session-screen">
      <HandshakeHeader />
      <LoadPanel />
      <FilterBar
        ref={filterRef}
        value={query}
        errors={errors}
        shown={shown}
        total={total}
        filterMs={filterMs}
        onChange={(q) => store.getState().setQuery(q)}
      />
      <div className="session-body">
        <div className="session-main">
          <div className="timeline-head" role="row">
            <span className="c-time">time</span>
            <span className="c-lane">dir</span>
            <span className="c-kind">kind</span>
            <span className="c-method">method</span>
            <span className="c-id">id</span>
            <span className="c-lat">latency</span>
            <span className="c-size">size</span>
            <span className="c-badges">flags</span>
          </div>
          <TimelineView />
          {bottom === 'stderr' && <StderrPanel />}
        </div>
        <aside className="side">
          <nav className="tabs">
            {PANELS.map((p) => (
              <button
                key={p}
                type="button"
                className={p === panel ? 'on' : ''}
                data-testid={`panel-${p}`}
                onClick={() => store.getState().setSidePanel(p)}
              >
                {p}
              </button>
            ))}
            <button
              type="button"
              onClick={() =>
                store.getState().setBottomPanel(bottom === 'stderr' ? 'none' : 'stderr')
              }
            >
              {bottom === 'stderr' ? 'hide stderr' : 'stderr'}
            </button>
          </nav>
          {panel === 'detail' && <DetailPanel />}
          {panel === 'capabilities' && <CapabilitiesPanel />}
          {panel === 'findings' && <FindingsPanel />}
          {panel === 'interact' && <InteractPanel />}
          {panel === 'repeater' && <RepeaterPanel />}
        </aside>
      </div>
      <StatusBar />
    </main>
  );
}
