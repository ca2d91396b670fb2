// The virtualized timeline: only visible rows exist in the DOM. Keyboard: j/k move, enter opens
// the detail, p jumps to the pair, / focuses the filter (handled in SessionScreen).

import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef } from 'react';
import { SEVERITIES, type Severity } from '../../../shared/detect/types.js';
import { TimelineRow } from '../components/TimelineRow.js';
import { largeSessions } from '../model/large-session.js';
import { sessionData } from '../model/session-data.js';
import { useApp, useAppStore } from '../store/hooks.js';

const ROW_HEIGHT = 24;

export function TimelineView() {
  const store = useAppStore();
  const active = useApp((s) => s.active);
  const filteredCount = useApp((s) => s.filteredCount);
  const filtered = useApp((s) => s.filtered);
  const version = useApp((s) => s.version);
  const findingsVersion = useApp((s) => s.findingsVersion);
  const selected = useApp((s) => s.selected);
  const data = active ? sessionData.get(active) : undefined;
  const large = active && !data ? largeSessions.get(active) : undefined;
  const live = useApp((s) => s.sessions.find((r) => r.id === s.active)?.live ?? false);
  const parentRef = useRef<HTMLDivElement>(null);
  // Live sessions follow new rows until the user scrolls up; recordings open at the top.
  const follow = useRef(live);
  useEffect(() => {
    follow.current = live;
  }, [active, live]);

  const virtualizer = useVirtualizer({
    count: filteredCount,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // Live sessions: stay at the bottom while the user has not scrolled up.
  useEffect(() => {
    if (follow.current && filteredCount > 0 && selected === undefined)
      virtualizer.scrollToIndex(filteredCount - 1, { align: 'end' });
  }, [filteredCount, selected, virtualizer]);

  // Keep the selected row in view when it moves (keyboard, jump) or the filter changes.
  useEffect(() => {
    if (selected === undefined) return;
    const pos = filtered.indexOf(selected);
    if (pos >= 0) virtualizer.scrollToIndex(pos, { align: 'center' });
  }, [selected, filtered, virtualizer]);

  const onScroll = useCallback(() => {
    const el = parentRef.current;
    if (el) follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2;
  }, []);

  const onSelect = useCallback((mid: number) => store.getState().select(mid), [store]);

  if (!data && !large) return <div className="timeline empty">No session open.</div>;
  // A large session's rows come from its worker: the ones on screen are fetched by mid and the
  // window on this thread stays bounded (LargeSession.trim).
  const items = virtualizer.getVirtualItems();
  const rowOf = (mid: number) => (data ? data.messages[mid] : large!.row(mid));
  if (large) large.trim(items.map((v) => filtered[v.index]!).filter((m) => m !== undefined));
  const pairOfSelected = selected === undefined ? undefined : rowOf(selected)?.pair;
  const startTs = data ? data.builder.startTs : large!.startTs;

  return (
    <div
      className="timeline"
      ref={parentRef}
      onScroll={onScroll}
      data-testid="timeline"
      role="grid"
      aria-rowcount={filteredCount}
    >
      <div className="timeline-inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((v) => {
          const mid = filtered[v.index];
          const msg = mid === undefined ? undefined : rowOf(mid);
          if (!msg) return null;
          const f = data?.findingsByMid.get(msg.mid);
          let sev: Severity | undefined;
          for (const x of f ?? [])
            if (sev === undefined || SEVERITIES.indexOf(x.severity) > SEVERITIES.indexOf(sev))
              sev = x.severity;
          return (
            <TimelineRow
              key={msg.mid}
              msg={msg}
              startTs={startTs}
              top={v.start}
              height={ROW_HEIGHT}
              selected={msg.mid === selected}
              paired={pairOfSelected === msg.mid}
              findingSeverity={sev}
              findingCount={f?.length ?? 0}
              version={version + findingsVersion}
              onSelect={onSelect}
            />
          );
        })}
      </div>
    </div>
  );
}
