// The findings slice: counters only; the findings themselves live on SessionData by message.

import type { StoreApi } from 'zustand';
import { runDetector } from '../model/detector.js';
import { sessionData } from '../model/session-data.js';
import type { AppState, FindingsSlice } from './types.js';

export function createFindingsSlice(set: StoreApi<AppState>['setState'], get: () => AppState): FindingsSlice {
  return {
    findingsVersion: 0,
    findingCount: 0,
    detectActive() {
      const { active } = get();
      const data = active ? sessionData.get(active) : undefined;
      if (!data) return;
      if (data.findings.length === 0) data.addFindings(runDetector(data));
      set({ findingsVersion: get().findingsVersion + 1, findingCount: data.findings.length });
    },
  };
}
