// Entry: pick the host adapter once, build the store, wire host events into it, render.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import {
  cacheHostSummaries,
  deleteLocal,
  listLibrary,
  loadLocalCapture,
  saveLocalCapture,
  updateLibraryRow,
} from './db/db.js';
import { App } from './containers/App.js';
import { workerDetection } from './detect/service.js';
import { engineDetection } from './detect/engine-service.js';
import { pickHost } from './host/pick.js';
import { persistLayoutTo } from './layout/layout-store.js';
import { persistRepeaterTo } from './repeater/store.js';
import { wireHost } from './host/wire.js';
import { startLargeWorker } from './model/large-session.js';
import { createAppStore } from './store/index.js';
import { HostContext, StoreContext } from './store/hooks.js';
import './styles.css';

const host = pickHost();
const store = createAppStore({
  host,
  schedule: (fn) => requestAnimationFrame(fn),
  now: () => Date.now(),
  // The engine owns detection (same pipeline as `mcpscope scan`); the worker only where no engine exists.
  detection: host ? engineDetection(host, workerDetection()) : workerDetection(),
  largeWorker: startLargeWorker,
  library: {
    list: listLibrary,
    saveLocal: saveLocalCapture,
    loadLocal: loadLocalCapture,
    remove: deleteLocal,
    cacheHost: cacheHostSummaries,
    updateRow: updateLibraryRow,
  },
});
if (host) {
  wireHost(host, store);
  // Repeater tabs survive restarts in browser mode too (a new origin every launch).
  persistRepeaterTo(host);
}
// Pane sizes, side by side, Table/Sequence: remembered in the engine's data dir (or for this run).
persistLayoutTo(host);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HostContext.Provider value={host}>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </HostContext.Provider>
  </StrictMode>,
);
