// The ui slice: which screen and panels are showing, toasts, client connections and pending
// server→client requests (sampling, elicitation, roots) waiting for the user.

import type { StoreApi } from 'zustand';
import type { AppState, StoreDeps, UiSlice } from './types.js';

const MAX_TOASTS = 5;

export function createUiSlice(
  set: StoreApi<AppState>['setState'],
  get: () => AppState,
  deps: StoreDeps,
): UiSlice {
  let toastId = 0;
  return {
    screen: 'library',
    detailMode: 'pretty',
    sidePanel: 'detail',
    bottomPanel: 'stderr',
    toasts: [],
    connections: [],
    serverRequests: [],
    hasHost: deps.host !== null,
    setScreen: (screen) => set({ screen }),
    setDetailMode: (detailMode) => set({ detailMode }),
    setSidePanel: (sidePanel) => set({ sidePanel }),
    setBottomPanel: (bottomPanel) => set({ bottomPanel }),
    toast(kind, text) {
      // Raised while a session is shown: it belongs to that session (see Toasts.tsx).
      const s = get();
      const t = {
        id: ++toastId,
        kind,
        text,
        ...(s.screen === 'session' && s.active !== undefined ? { sessionId: s.active } : {}),
      };
      set({ toasts: [...get().toasts, t].slice(-MAX_TOASTS) });
    },
    dismissToast(id) {
      set({ toasts: get().toasts.filter((t) => t.id !== id) });
    },
    async connect(profile) {
      if (!deps.host) {
        get().toast(
          'error',
          'Connecting needs the mcpscope engine: start the app with `mcpscope ui` or `npm start`.',
        );
        return;
      }
      try {
        const info = await deps.host.connect(profile);
        set({ connections: [...get().connections.filter((c) => c.id !== info.id), info] });
        await get().refreshLibrary();
        await get().openSession(info.sessionId);
      } catch (e) {
        get().toast('error', `Could not connect: ${(e as Error).message}`);
        // The engine forgets a connection that never opened; drop our copy of it too.
        await get()
          .refreshConnections()
          .catch(() => undefined);
      }
    },
    async refreshConnections() {
      if (!deps.host) return;
      set({ connections: await deps.host.listConnections() });
    },
  };
}
