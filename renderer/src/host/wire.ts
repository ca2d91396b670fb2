// Host events → store actions. The only place that subscribes to the HostApi's events.

import type { HostApi } from '../../../shared/host-api.js';
import type { AppStore } from '../store/index.js';

/**
 * Settles when the first load from the engine is done (library, connections, and the session the
 * app opens on: `ui FILE`'s, or the demo's on a first run). The page is "ready" only then, so a
 * click made after that is not undone by the start-up switching screens.
 */
export let hostStartup: Promise<void> = Promise.resolve();

export function wireHost(host: HostApi, store: AppStore): () => void {
  const s = store.getState;
  const offs = [
    host.onRecords((e) => s().queueRecords(e.sessionId, e.records)),
    host.onSession((summary) => {
      const old = s().sessions.find((r) => r.id === summary.id);
      if (old?.store === 'local') return;
      s().upsertSummary({ ...summary, store: 'host', addedAt: old?.addedAt ?? Date.now() });
    }),
    host.onSessionRemoved(({ sessionId }) =>
      store.setState({ sessions: s().sessions.filter((r) => r.id !== sessionId) }),
    ),
    host.onConnection((c) =>
      store.setState({ connections: [...s().connections.filter((x) => x.id !== c.id), c] }),
    ),
    host.onServerRequest((r) =>
      store.setState({ serverRequests: [...s().serverRequests.filter((x) => x.id !== r.id), r] }),
    ),
    host.onServerRequestDone(({ id }) =>
      store.setState({ serverRequests: s().serverRequests.filter((x) => x.id !== id) }),
    ),
  ];
  hostStartup = (async () => {
    try {
      await s().refreshLibrary();
      await s().refreshConnections();
      store.setState({ serverRequests: await host.listServerRequests() });
      const info = await host.appInfo();
      // `mcpscope ui FILE`: that session; several files: the library, showing just them.
      const opened = info.openSessions ?? [];
      // Not awaited: openSession switches the screen at once; loading a big file may take long.
      if (opened.length === 1 && s().active === undefined) void s().openSession(opened[0]!);
      else if (opened.length > 1) s().setLibraryOnly(opened);
      // First run: open on the demo connection's live session.
      if (info.demoConnectionId) {
        const demo = s().connections.find((c) => c.id === info.demoConnectionId);
        if (demo && s().screen === 'library' && s().active === undefined)
          void s().openSession(demo.sessionId);
      }
    } catch (e) {
      s().toast('error', `Cannot reach the mcpscope engine: ${(e as Error).message}`);
    }
  })();
  return () => offs.forEach((off) => off());
}
