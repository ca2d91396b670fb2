// The renderer's unit-test store wired to in-memory fakes. Captures come from the one fixture
// factory module, test/helpers/factories.ts.

import type { LibraryRow } from '../../renderer/src/db/db.js';
import { inProcessDetection } from '../../renderer/src/detect/service.js';
import { createAppStore, type AppStore } from '../../renderer/src/store/index.js';
import type { LibraryPort } from '../../renderer/src/store/types.js';

export class MemoryLibrary implements LibraryPort {
  rows = new Map<string, LibraryRow>();
  texts = new Map<string, string>();
  list = async (): Promise<LibraryRow[]> => [...this.rows.values()];
  saveLocal = async (row: LibraryRow, text: string): Promise<void> => {
    this.rows.set(row.id, row);
    this.texts.set(row.id, text);
  };
  loadLocal = async (id: string): Promise<string | undefined> => this.texts.get(id);
  remove = async (id: string): Promise<void> => {
    this.rows.delete(id);
    this.texts.delete(id);
  };
  cacheHost = async (): Promise<void> => undefined;
  updateRow = async (row: LibraryRow): Promise<void> => {
    this.rows.set(row.id, row);
  };
}

export interface TestStore {
  store: AppStore;
  library: MemoryLibrary;
  /** Scheduled flushes not run yet (the app runs them on requestAnimationFrame). */
  scheduled: (() => void)[];
  runFrame(): void;
}

export function makeStore(): TestStore {
  const library = new MemoryLibrary();
  const scheduled: (() => void)[] = [];
  let now = 1000;
  // Detection in-process (synchronous): the same engine the app runs in its worker.
  const store = createAppStore({
    host: null,
    library,
    schedule: (fn) => scheduled.push(fn),
    detection: inProcessDetection(),
    now: () => now++,
  });
  return {
    store,
    library,
    scheduled,
    runFrame() {
      for (const fn of scheduled.splice(0)) fn();
    },
  };
}

export { makeCapture, makeSessionCapture } from '../helpers/factories.js';
export const file = (name: string, text: string) => ({ name, text: async () => text });
