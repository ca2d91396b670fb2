// Large imported files (LARGE_SESSION_BYTES and up, no engine): the store's side of the
// large-session path. The worker owns the session; this opens it, keeps the timeline slice's
// counts and filtered mids in step with the worker's progress, and runs filters there.

import type { StoreApi } from 'zustand';
import type { LibraryRow } from '../db/db.js';
import { LargeSession, largeSessions } from '../model/large-session.js';
import type { AppState, StoreDeps } from './types.js';

/** Bytes per readCaptureBytes call when streaming an engine session. */
const HOST_CHUNK = 2 * 1024 * 1024;

function b64Bytes(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}

export function createLargeOps(
  set: StoreApi<AppState>['setState'],
  get: () => AppState,
  deps: StoreDeps,
) {
  let filterSeq = 0;

  const refilter = async (ls: LargeSession): Promise<void> => {
    const seq = ++filterSeq;
    const query = get().query;
    set({ filterBusy: true });
    try {
      const r = await ls.filter(query);
      if (seq !== filterSeq || get().active !== ls.id) return;
      const filtered = Array.from(r.mids);
      set({
        filtered,
        filteredCount: filtered.length,
        filterMs: r.ms,
        filterBusy: false,
        version: get().version + 1,
      });
    } catch (e) {
      if (seq === filterSeq) set({ filterBusy: false });
      get().toast('error', `The filter failed: ${(e as Error).message}`);
    }
  };

  const changed = (ls: LargeSession, what: 'progress' | 'rows' | 'error'): void => {
    if (largeSessions.get(ls.id) !== ls) return;
    if (what === 'error') {
      get().toast(
        'error',
        `Reading the file stopped: ${ls.error ?? 'unknown error'}. The rows read so far are shown.`,
      );
      return;
    }
    const p = ls.progress;
    if (what === 'progress' && p?.done && p.summary) {
      const row = get().sessions.find((r) => r.id === ls.id);
      // Imported files only: an engine session's row comes from the engine.
      if (row?.store === 'local') {
        const next: LibraryRow = { ...row, ...p.summary, id: ls.id };
        get().upsertSummary(next);
        void deps.library.updateRow(next).catch(() => undefined);
      }
    }
    if (get().active !== ls.id) return;
    if (what === 'rows') {
      set({ version: get().version + 1 });
      return;
    }
    if (!p) return;
    const { filtered, query } = get();
    const emptyQuery = query.trim() === '';
    // No query: every indexed message is a row, appended in place as indexing goes on.
    if (emptyQuery && get().filterBusy === false)
      for (let mid = filtered.length; mid < p.counts.messages; mid++) filtered.push(mid);
    set({
      counts: { ...p.counts },
      filteredCount: filtered.length,
      indexing: p.done ? undefined : p.total > 0 ? p.bytes / p.total : 0,
      version: get().version + 1,
    });
    // At the end: a query's result covered only what was indexed when it ran; with no query, an
    // append skipped while a filter was in flight is made up by one last pass.
    if (p.done && (!emptyQuery || filtered.length !== p.counts.messages)) void refilter(ls);
  };

  return {
    refilter,
    /**
     * Open a file as a large session: resolves with its id once the header is read (rows follow
     * as the worker indexes). `id` reopens a library row; otherwise the header's id (made unique).
     */
    async open(
      blob: Blob | { stream: ReadableStream<string>; size: number },
      opts: { id?: string; taken: (id: string) => boolean },
    ): Promise<{ id: string; session: LargeSession }> {
      const ls: LargeSession = new LargeSession('', deps.largeWorker!(), blob, (what) =>
        changed(ls, what),
      );
      try {
        await ls.ready;
      } catch (e) {
        ls.close();
        throw e;
      }
      const base = ls.header?.id ?? 'capture';
      let id = opts.id ?? base;
      for (let i = 2; opts.id === undefined && opts.taken(id) && i < 10_000; i++)
        id = `${base}~${i}`;
      ls.id = id;
      // One large session open at a time (each worker holds its index); reopening re-reads it.
      for (const [other, s] of largeSessions) {
        s.close();
        largeSessions.delete(other);
      }
      largeSessions.set(id, ls);
      return { id, session: ls };
    },
    /**
     * An engine session's file as a stream of base64 chunks read by range (readCaptureBytes), for
     * large.open. Throws HostApiError `unavailable` when the engine cannot serve it that way
     * (no file, or encrypted): the caller then reads records as usual.
     */
    async hostSource(id: string): Promise<{ stream: ReadableStream<string>; size: number }> {
      const host = deps.host!;
      const first = await host.readCaptureBytes({ sessionId: id, start: 0, length: HOST_CHUNK });
      let at = b64Bytes(first.b64);
      const size = first.size;
      let pending: string | undefined = first.b64;
      const stream = new ReadableStream<string>(
        {
          async pull(c) {
            if (pending !== undefined) {
              c.enqueue(pending);
              pending = undefined;
              return;
            }
            // Bounded: every call advances by at least one byte or ends the stream.
            if (at >= size) return c.close();
            const r = await host.readCaptureBytes({ sessionId: id, start: at, length: HOST_CHUNK });
            const n = b64Bytes(r.b64);
            if (n === 0) return c.close();
            at += n;
            c.enqueue(r.b64);
          },
        },
        { highWaterMark: 2 },
      );
      return { stream, size };
    },
    drop(id: string): void {
      largeSessions.get(id)?.close();
      largeSessions.delete(id);
    },
  };
}

export type LargeOps = ReturnType<typeof createLargeOps>;
