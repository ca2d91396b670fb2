// One store from typed slices (zustand's slices pattern). Middleware, if any, goes here only.

import { createStore, type StoreApi } from 'zustand/vanilla';
import { createFindingsSlice } from './findings.js';
import { createFuzzSlice } from './fuzz.js';
import { createLargeOps } from './large.js';
import { createSessionsSlice } from './sessions.js';
import { createTimelineSlice } from './timeline.js';
import type { DetectionService } from '../detect/protocol.js';
import { sessionData } from '../model/session-data.js';
import type { AppState, StoreDeps } from './types.js';
import { createUiSlice } from './ui.js';

export type AppStore = StoreApi<AppState>;

/** Counts detection jobs per session, so the UI can say "scanning…" until they are done. */
function countingDetection(d: DetectionService): DetectionService {
  const bump = (id: string): void => {
    const data = sessionData.get(id);
    if (data) data.scanPending++;
  };
  return {
    ...d,
    startText: (id, text) => {
      bump(id);
      d.startText(id, text);
    },
    records: (id, records) => {
      bump(id);
      d.records(id, records);
    },
    onFindings: (l) =>
      d.onFindings((id, findings, idle) => {
        const data = sessionData.get(id);
        if (idle && data && data.scanPending > 0) data.scanPending--;
        l(id, findings, idle);
      }),
  };
}

export function createAppStore(input: StoreDeps): AppStore {
  const deps: StoreDeps = { ...input, detection: countingDetection(input.detection) };
  return createStore<AppState>()((set, get) => {
    const large = createLargeOps(set, get, deps);
    return {
      ...createSessionsSlice(set, get, deps, large),
      ...createTimelineSlice(set, get, deps, large),
      ...createFindingsSlice(set, get, deps),
      ...createUiSlice(set, get, deps),
      ...createFuzzSlice(set, get, deps),
    };
  });
}

export type { AppState, StoreDeps } from './types.js';
