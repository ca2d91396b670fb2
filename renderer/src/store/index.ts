// One store from typed slices (zustand's slices pattern). Middleware, if any, goes here only.

import { createStore, type StoreApi } from 'zustand/vanilla';
import { createFindingsSlice } from './findings.js';
import { createSessionsSlice } from './sessions.js';
import { createTimelineSlice } from './timeline.js';
import type { AppState, StoreDeps } from './types.js';
import { createUiSlice } from './ui.js';

export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createSessionsSlice(set, get, deps),
    ...createTimelineSlice(set, get, deps),
    ...createFindingsSlice(set, get, deps),
    ...createUiSlice(set, get, deps),
  }));
}

export type { AppState, StoreDeps } from './types.js';
