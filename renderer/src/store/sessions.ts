// The sessions slice: the library (Dexie rows merged with the host's sessions), import, export,
// delete, and opening a session (local text parsed in the page, or records read from the host).

import { importEncrypted, isEncryptedName } from './import-encrypted.js';
import { uploadCapture } from './upload.js';
import type { StoreApi } from 'zustand';
import { CaptureFormatError } from '../../../shared/capture/reader.js';
import { CAPTURE_EXTENSION } from '../../../shared/capture/types.js';
import type { LibraryRow } from '../db/db.js';
import { importCaptureText } from '../model/import.js';
import {
  LARGE_SESSION_BYTES,
  LARGE_SESSION_RECORDS,
  largeSessions,
} from '../model/large-session.js';
import { SessionData, sessionData } from '../model/session-data.js';
import type { LargeOps } from './large.js';
import { showSession } from './timeline.js';
import type { AppState, SessionsSlice, StoreDeps } from './types.js';

const READ_CHUNK = 20_000;
/** Bounded: at most this many readRecords calls per open (1M records). */
const MAX_READS = 50;

function byNewest(a: LibraryRow, b: LibraryRow): number {
  return b.addedAt - a.addedAt || b.started - a.started;
}

export function createSessionsSlice(
  set: StoreApi<AppState>['setState'],
  get: () => AppState,
  deps: StoreDeps,
  large: LargeOps,
): SessionsSlice {
  /** Host sessions whose events this UI subscribed to (their data is in sessionData). */
  const subscribed = new Set<string>();

  const upsert = (row: LibraryRow): void => {
    const rows = get().sessions.filter((r) => r.id !== row.id);
    rows.push(row);
    rows.sort(byNewest);
    set({ sessions: rows });
  };

  const loadFromHost = async (id: string): Promise<void> => {
    const host = deps.host!;
    let fromSeq = 1;
    let data: SessionData | undefined;
    for (let i = 0; i < MAX_READS; i++) {
      const r = await host.readRecords({ sessionId: id, fromSeq, limit: READ_CHUNK });
      if (!data) {
        data = new SessionData(id, r.header);
        sessionData.set(id, data);
        deps.detection.startHeader(id, r.header);
      }
      // Through the queue, so live records arriving meanwhile interleave in seq order.
      get().queueRecords(id, r.records);
      get().flush();
      fromSeq = r.nextSeq;
      if (r.done) break;
    }
  };

  /**
   * The UI holds (and receives the live records of) only the host sessions it shows: showing one
   * subscribes to it and drops the others' data and subscriptions (reopening reads them again).
   */
  const showOnlyHostSession = async (id: string): Promise<void> => {
    const host = deps.host!;
    const others = [...subscribed].filter((s) => s !== id);
    for (const s of others) {
      subscribed.delete(s);
      sessionData.delete(s);
      large.drop(s);
      deps.detection.drop(s);
    }
    try {
      if (others.length > 0) await host.unsubscribeSessions({ sessionIds: others });
      if (!subscribed.has(id)) {
        // Before the first read, so live records arriving meanwhile are not missed.
        await host.subscribeSessions({ sessionIds: [id] });
        subscribed.add(id);
      }
    } catch (e) {
      get().toast(
        'error',
        `Live updates for this session are off: ${(e as Error).message}. Reopen it to try again.`,
      );
    }
  };

  const tamperWarning = (name: string, report: NonNullable<LibraryRow['integrity']>): void => {
    const at = report.firstBad
      ? ` at line ${report.firstBad.line}${report.firstBad.seq !== undefined ? ` (seq ${report.firstBad.seq})` : ''}: ${report.firstBad.reason}`
      : '';
    get().toast(
      'error',
      `${name}: the hash chain is broken${at}. The capture was altered after recording; treat it as evidence of tampering.`,
    );
  };

  const importToHost = async (name: string, text: string): Promise<string | undefined> => {
    try {
      const known = new Set(get().sessions.map((r) => r.id));
      const summary = await deps.host!.importCapture({ name, text });
      if (known.has(summary.id))
        get().toast('info', `${name} is already in the library (same capture id); opening it.`);
      upsert({
        ...summary,
        store: 'host',
        fileName: name,
        addedAt: get().sessions.find((r) => r.id === summary.id)?.addedAt ?? deps.now(),
      });
      if (summary.problems)
        get().toast(
          'info',
          `${name}: ${summary.problems} line(s) could not be read and were skipped; the rest is shown.`,
        );
      if (summary.integrity && !summary.integrity.intact) tamperWarning(name, summary.integrity);
      return summary.id;
    } catch (e) {
      get().toast(
        'error',
        `${name} was not imported: ${(e as Error).message}. Choose a ${CAPTURE_EXTENSION} file written by mcpscope.`,
      );
      return undefined;
    }
  };

  /**
   * A big file without an engine: a worker streams and indexes it (renderer/src/worker/); the
   * library keeps the file as a Blob. Detection and the hash-chain check are not run on it here
   * (`mcpscope scan FILE` / `mcpscope verify FILE` do, as a stream); the Findings panel says so.
   */
  const importLarge = async (name: string, blob: Blob): Promise<string | undefined> => {
    try {
      const taken = (id: string): boolean =>
        sessionData.has(id) || largeSessions.has(id) || get().sessions.some((r) => r.id === id);
      const { id, session } = await large.open(blob, { taken });
      const row: LibraryRow = {
        ...session.progress!.summary!,
        id,
        store: 'local',
        fileName: name,
        addedAt: deps.now(),
      };
      upsert(row);
      void deps.library
        .saveLocal(row, blob)
        .catch((e: unknown) =>
          get().toast('error', `Could not store ${name} in the library: ${(e as Error).message}`),
        );
      return id;
    } catch (e) {
      get().toast(
        'error',
        `${name} was not imported: ${(e as Error).message}. Choose a ${CAPTURE_EXTENSION} file written by mcpscope.`,
      );
      return undefined;
    }
  };

  /**
   * A big engine session (a closed file): the worker streams the file from the engine by byte
   * range, so neither side loads its records. False when the engine cannot serve it that way.
   */
  const openLargeHost = async (id: string): Promise<boolean> => {
    let source;
    try {
      source = await large.hostSource(id);
    } catch {
      return false; // encrypted or no file: read its records instead
    }
    await large.open(source, { id, taken: () => false });
    return true;
  };

  deps.detection.onIntegrity((id, report) => {
    const row = get().sessions.find((r) => r.id === id);
    if (!row || row.store !== 'local') return;
    const next: LibraryRow = { ...row, integrity: report };
    upsert(next);
    void deps.library.updateRow(next).catch(() => undefined);
    if (!report.intact) tamperWarning(row.fileName ?? row.title, report);
  });

  return {
    sessions: [],
    librarySearch: '',
    libraryOnly: undefined,

    setLibraryOnly(ids) {
      set({ libraryOnly: ids && ids.length ? [...ids] : undefined });
    },

    setLibrarySearch(q) {
      set({ librarySearch: q });
    },

    async refreshLibrary() {
      let rows = await deps.library.list();
      if (deps.host) {
        try {
          const hostRows = await deps.host.listSessions();
          await deps.library.cacheHost(hostRows);
          rows = await deps.library.list();
          // Host rows the host no longer knows about were deleted elsewhere: hide them.
          const known = new Set(hostRows.map((h) => h.id));
          rows = rows.filter((r) => r.store === 'local' || known.has(r.id));
        } catch (e) {
          get().toast('error', `Could not list the engine's sessions: ${(e as Error).message}`);
        }
      }
      set({ sessions: rows.sort(byNewest) });
    },

    async importFiles(files) {
      let lastId: string | undefined;
      for (const f of files) {
        if (isEncryptedName(f.name)) {
          const r = await importEncrypted(deps.host ?? undefined, f.name, f.blob);
          if (!r.ok) get().toast(r.kind, r.message);
          else {
            const old = get().sessions.find((x) => x.id === r.summary.id);
            upsert({
              ...r.summary,
              store: 'host',
              fileName: f.name,
              addedAt: old?.addedAt ?? deps.now(),
            });
            lastId = r.summary.id;
          }
          continue;
        }
        if (deps.host && f.blob && f.blob.size >= LARGE_SESSION_BYTES) {
          // Large: to the engine in slices, never as one string; opened as a large session.
          const mb = Math.round(f.blob.size / 1048576);
          get().toast('info', `Importing ${f.name} (${mb} MB) into the library…`);
          try {
            const summary = await uploadCapture(deps.host, f.name, f.blob);
            const old = get().sessions.find((x) => x.id === summary.id);
            upsert({
              ...summary,
              store: 'host',
              fileName: f.name,
              addedAt: old?.addedAt ?? deps.now(),
            });
            lastId = summary.id;
          } catch (e) {
            get().toast('error', `${f.name} was not imported: ${(e as Error).message}`);
          }
          continue;
        }
        if (!deps.host && deps.largeWorker && f.blob && f.blob.size >= LARGE_SESSION_BYTES) {
          const id = await importLarge(f.name, f.blob);
          if (id !== undefined) lastId = id;
          continue;
        }
        let text: string;
        try {
          text = await f.text();
        } catch (e) {
          get().toast('error', `Could not read ${f.name}: ${(e as Error).message}`);
          continue;
        }
        if (deps.host) {
          // The engine keeps the copy in its data directory: it survives restarts and browser profiles.
          const id = await importToHost(f.name, text);
          if (id !== undefined) lastId = id;
          continue;
        }
        try {
          const taken = (id: string): boolean =>
            sessionData.has(id) || get().sessions.some((r) => r.id === id);
          const imp = importCaptureText(text, taken);
          sessionData.set(imp.summary.id, imp.data);
          const row: LibraryRow = {
            ...imp.summary,
            store: 'local',
            fileName: f.name,
            addedAt: deps.now(),
          };
          upsert(row);
          // Findings and the hash-chain check, off the main thread.
          deps.detection.startText(row.id, text);
          lastId = row.id;
          if (imp.summary.problems) {
            get().toast(
              'info',
              `${f.name}: ${imp.summary.problems} line(s) could not be read and were skipped; the rest is shown.`,
            );
          }
          // Persist after the rows are on screen: IndexedDB writes of a big file take a while.
          void deps.library
            .saveLocal(row, text)
            .catch((e: unknown) =>
              get().toast(
                'error',
                `Could not store ${f.name} in the library: ${(e as Error).message}`,
              ),
            );
        } catch (e) {
          const why =
            e instanceof CaptureFormatError
              ? e.message
              : `unexpected error: ${(e as Error).message}`;
          get().toast(
            'error',
            `${f.name} was not imported: ${why}. Choose a ${CAPTURE_EXTENSION} file written by mcpscope.`,
          );
        }
      }
      if (lastId !== undefined) {
        if (deps.host) {
          await get().openSession(lastId);
          return;
        }
        set({ screen: 'session' });
        showSession(set, get, lastId);
      }
    },

    async deleteSession(id) {
      const row = get().sessions.find((r) => r.id === id);
      if (row?.store === 'host' && deps.host) await deps.host.deleteSession({ sessionId: id });
      subscribed.delete(id); // the engine drops a deleted session's subscriptions itself
      await deps.library.remove(id);
      sessionData.delete(id);
      large.drop(id);
      deps.detection.drop(id);
      set({ sessions: get().sessions.filter((r) => r.id !== id) });
      if (get().active === id) set({ active: undefined, screen: 'library' });
    },

    async exportSession(id) {
      const row = get().sessions.find((r) => r.id === id);
      if (row?.store === 'host' && deps.host) return deps.host.exportCapture({ sessionId: id });
      const stored = await deps.library.loadLocal(id);
      if (stored === undefined)
        throw new Error('the capture text is not in the library any more; import the file again');
      const text = typeof stored === 'string' ? stored : await stored.text();
      const base = (row?.fileName ?? row?.title ?? 'capture')
        .replace(/\.mcpscope\.jsonl$/, '')
        .replace(/[^\w.-]+/g, '_');
      return { fileName: `${base}${CAPTURE_EXTENSION}`, text };
    },

    async openSession(id) {
      set({ screen: 'session', loading: true });
      try {
        const isHost = get().sessions.find((r) => r.id === id)?.store === 'host' && !!deps.host;
        if (isHost) await showOnlyHostSession(id);
        const row = get().sessions.find((r) => r.id === id);
        if (
          isHost &&
          !largeSessions.has(id) &&
          deps.largeWorker &&
          row &&
          !row.live &&
          row.path !== undefined &&
          row.recordCount >= LARGE_SESSION_RECORDS &&
          (await openLargeHost(id))
        ) {
          showSession(set, get, id);
          return;
        }
        if (!sessionData.has(id) && !largeSessions.has(id)) {
          if (isHost) {
            showSession(set, get, id);
            await loadFromHost(id);
          } else {
            const text = await deps.library.loadLocal(id);
            if (text === undefined)
              throw new Error(
                'its capture text is missing from the library; import the file again',
              );
            if (typeof text !== 'string') {
              if (!deps.largeWorker) throw new Error('large sessions need Web Workers');
              await large.open(text, { id, taken: () => false });
              showSession(set, get, id);
              return;
            }
            const imp = importCaptureText(text, () => false);
            const data = new SessionData(id, imp.read.header);
            data.append(imp.read.records);
            sessionData.set(id, data);
            deps.detection.startText(id, text);
          }
        }
        showSession(set, get, id);
      } catch (e) {
        get().toast('error', `Could not open the session: ${(e as Error).message}`);
      } finally {
        set({ loading: false });
      }
    },

    upsertSummary(row) {
      upsert(row);
    },
  };
}
