// The findings slice: counters only; the findings themselves live on SessionData by message.
// Detection runs in a worker (detect/); its findings arrive here in batches.

import type { StoreApi } from 'zustand';
import { sessionData } from '../model/session-data.js';
import type { AppState, FindingsSlice, StoreDeps } from './types.js';

export function createFindingsSlice(
  set: StoreApi<AppState>['setState'],
  get: () => AppState,
  deps: StoreDeps,
): FindingsSlice {
  deps.detection.onFindings((session, findings, idle) => {
    const data = sessionData.get(session);
    if (!data) return;
    if (findings.length > 0) data.addFindings(findings);
    if (get().active !== session) return;
    const scanning = data.scanPending > 0;
    if (findings.length > 0)
      set({
        findingsVersion: get().findingsVersion + 1,
        findingCount: data.findings.length,
        scanning,
      });
    else if (get().findingCount !== data.findings.length || get().scanning !== scanning)
      set({ findingCount: data.findings.length, scanning });
    // Filters on findings (has:finding, severity:) are re-applied once a batch of work is done.
    if (idle) get().refreshFilter(true);
  });
  return {
    findingsVersion: 0,
    findingCount: 0,
    scanning: false,
  };
}
