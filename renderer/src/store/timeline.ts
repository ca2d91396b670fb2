// The timeline slice: the filtered index over the active session's messages. Hot path, so no
// Immer and no copies: appended messages are tested against the filter and pushed onto the
// existing index once per animation frame; only a new query rebuilds it.

import type { StoreApi } from 'zustand';
import type { EventRecord } from '../../../shared/capture/types.js';
import {
  dependsOnPairing,
  matches,
  parseFilter,
  usesFindings,
  type FilterQuery,
  type FilterSubject,
} from '../../../shared/filter/index.js';
import type { Message } from '../../../shared/protocol/messages.js';
import { largeSessions } from '../model/large-session.js';
import { emptyCounts, sessionData, type SessionData } from '../model/session-data.js';
import type { LargeOps } from './large.js';
import type { AppState, StoreDeps, TimelineSlice } from './types.js';

export const EMPTY_COUNTS = emptyCounts();

/**
 * One reusable subject per pass: filtering 100k rows allocates nothing per row, and the pair and
 * findings are looked up only when a clause asks for them (getters).
 */
function subjectFor(data: SessionData): (m: Message) => FilterSubject {
  let cur: Message;
  const res = new Map<string, RegExp>();
  const needleRe = (needle: string): RegExp => {
    let re = res.get(needle);
    if (!re) res.set(needle, (re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')));
    return re;
  };
  const s: FilterSubject = {
    get msg() {
      return cur;
    },
    get pair() {
      return cur.pair === undefined ? undefined : data.messages[cur.pair];
    },
    get findings() {
      return data.findingsByMid.get(cur.mid)?.map((x) => x.severity);
    },
    haystack: () => data.haystack(cur),
    search: (needle) => data.search(cur, needleRe(needle)),
  };
  return (m) => {
    cur = m;
    return s;
  };
}

export function filterMessages(
  data: SessionData,
  q: FilterQuery,
  from = 0,
  into: number[] = [],
): number[] {
  const msgs = data.messages;
  if (q.empty) {
    for (let i = from; i < msgs.length; i++) into.push(i);
    return into;
  }
  const subject = subjectFor(data);
  for (let i = from; i < msgs.length; i++) if (matches(q, subject(msgs[i]!))) into.push(i);
  return into;
}

/** First index in a sorted array whose value is >= x. */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Earlier rows that new messages changed (a request answered or cancelled) are tested again and
 * inserted into or removed from the sorted filtered index in place.
 */
export function retestChanged(
  data: SessionData,
  q: FilterQuery,
  added: readonly Message[],
  filtered: number[],
): void {
  const subject = subjectFor(data);
  for (const m of added) {
    const target = m.pair !== undefined && m.pair < m.mid ? m.pair : m.cancels;
    if (target === undefined) continue;
    const req = data.messages[target];
    if (!req) continue;
    const at = lowerBound(filtered, target);
    const present = filtered[at] === target;
    const should = matches(q, subject(req));
    if (should && !present) filtered.splice(at, 0, target);
    else if (!should && present) filtered.splice(at, 1);
  }
}

export function createTimelineSlice(
  set: StoreApi<AppState>['setState'],
  get: () => AppState,
  deps: StoreDeps,
  large: LargeOps,
): TimelineSlice {
  let parsed: FilterQuery = parseFilter('');
  const queue = new Map<string, EventRecord[]>();
  let scheduled = false;

  const refilter = (): void => {
    const { active } = get();
    const ls = active ? largeSessions.get(active) : undefined;
    if (ls) {
      void large.refilter(ls);
      return;
    }
    const data = active ? sessionData.get(active) : undefined;
    if (!data) return;
    const t0 = performance.now();
    const filtered = filterMessages(data, parsed);
    set({
      filtered,
      filteredCount: filtered.length,
      filterMs: performance.now() - t0,
      version: get().version + 1,
    });
  };

  return {
    version: 0,
    filtered: [],
    filteredCount: 0,
    query: '',
    queryErrors: [],
    filterMs: 0,
    filterBusy: false,
    counts: { ...EMPTY_COUNTS },
    loading: false,

    setQuery(q) {
      parsed = parseFilter(q);
      set({ query: q, queryErrors: parsed.errors });
      refilter();
    },

    select(mid) {
      set({ selected: mid });
    },

    refreshFilter(onlyIfFindings) {
      if (onlyIfFindings && !usesFindings(parsed)) return;
      refilter();
    },

    selectRelative(delta) {
      const { filtered, filteredCount, selected } = get();
      if (filteredCount === 0) return;
      let pos = selected === undefined ? -1 : filtered.indexOf(selected);
      if (pos < 0) pos = delta > 0 ? -1 : filteredCount;
      const next = Math.min(filteredCount - 1, Math.max(0, pos + delta));
      set({ selected: filtered[next] });
    },

    queueRecords(sessionId, records) {
      const q = queue.get(sessionId);
      if (q) q.push(...records);
      else queue.set(sessionId, [...records]);
      if (!scheduled) {
        scheduled = true;
        deps.schedule(() => get().flush());
      }
    },

    flush() {
      scheduled = false;
      const { active, filtered } = get();
      let activeChanged = false;
      const toDetect: [string, EventRecord[]][] = [];
      for (const [id, records] of queue) {
        const data = sessionData.get(id);
        if (!data) continue;
        // Live events and a history read can interleave (a live batch may be queued before the
        // read that covers earlier records): apply in seq order, duplicates are skipped.
        if (records.length > 1) records.sort((a, b) => a.seq - b.seq);
        const fresh: EventRecord[] = [];
        const added = data.append(records, fresh);
        if (fresh.length > 0) toDetect.push([id, fresh]);
        if (id === active) {
          activeChanged = true;
          if (added.length > 0) {
            if (!parsed.empty && dependsOnPairing(parsed))
              retestChanged(data, parsed, added, filtered);
            filterMessages(data, parsed, added[0]!.mid, filtered);
          }
        }
      }
      queue.clear();
      if (activeChanged) {
        const data = sessionData.get(active!)!;
        set({
          filteredCount: filtered.length,
          version: get().version + 1,
          counts: { ...data.counts },
        });
      }
      // After the rows are in: findings may re-filter, which must see the appended messages.
      for (const [id, fresh] of toDetect) deps.detection.records(id, fresh);
      const now = active ? sessionData.get(active) : undefined;
      if (now && now.scanPending > 0 !== get().scanning) set({ scanning: now.scanPending > 0 });
    },
  };
}

/** Reset the timeline to show a session whose data is already in `sessionData`. */
export function showSession(
  set: StoreApi<AppState>['setState'],
  get: () => AppState,
  id: string,
): void {
  const data = sessionData.get(id);
  const ls = largeSessions.get(id);
  const counts = data?.counts ?? ls?.counts;
  set({
    active: id,
    selected: undefined,
    filtered: [],
    filteredCount: 0,
    indexing: ls && !ls.done ? 0 : undefined,
    counts: counts ? { ...counts } : { ...EMPTY_COUNTS },
    findingCount: data?.findings.length ?? 0,
    scanning: (data?.scanPending ?? 0) > 0,
    findingsVersion: get().findingsVersion + 1,
  });
  // Re-apply the current query to the new session.
  get().setQuery(get().query);
}
