// The library in IndexedDB (Dexie): one summary row per session the UI knows, and the capture
// text of sessions imported in the browser. Sessions that live in the engine (client
// connections, recorders, files in the captures folder) are cached here as summaries only; their
// records are read from the host when opened.

import { Dexie, type EntityTable } from 'dexie';
import type { SessionSummary } from '../../../shared/host-api.js';

export interface LibraryRow extends SessionSummary {
  /** Where the records live: `local` (captureText table) or `host` (read through HostApi). */
  store: 'local' | 'host';
  /** File name the user imported, if any. */
  fileName?: string;
  /** Epoch ms when the row was added, for sorting newest first. */
  addedAt: number;
}

export interface CaptureText {
  id: string;
  /** The capture's text, or for a large session the file itself (read as a stream when opened). */
  text: string | Blob;
}

export class LibraryDb extends Dexie {
  sessions!: EntityTable<LibraryRow, 'id'>;
  captures!: EntityTable<CaptureText, 'id'>;

  constructor(name = 'mcpscope') {
    super(name);
    this.version(1).stores({
      sessions: 'id, addedAt, title, origin',
      captures: 'id',
    });
  }
}

let db: LibraryDb | undefined;

export function libraryDb(): LibraryDb {
  db ??= new LibraryDb();
  return db;
}

export async function saveLocalCapture(row: LibraryRow, text: string | Blob): Promise<void> {
  const d = libraryDb();
  await d.transaction('rw', d.sessions, d.captures, async () => {
    await d.sessions.put(row);
    await d.captures.put({ id: row.id, text });
  });
}

export async function updateLibraryRow(row: LibraryRow): Promise<void> {
  await libraryDb().sessions.put(row);
}

export async function loadLocalCapture(id: string): Promise<string | Blob | undefined> {
  return (await libraryDb().captures.get(id))?.text;
}

export async function deleteLocal(id: string): Promise<void> {
  const d = libraryDb();
  await d.transaction('rw', d.sessions, d.captures, async () => {
    await d.sessions.delete(id);
    await d.captures.delete(id);
  });
}

export async function listLibrary(): Promise<LibraryRow[]> {
  return libraryDb().sessions.orderBy('addedAt').reverse().toArray();
}

export async function cacheHostSummaries(rows: readonly SessionSummary[]): Promise<void> {
  const now = Date.now();
  const d = libraryDb();
  await d.transaction('rw', d.sessions, async () => {
    for (const s of rows) {
      const old = await d.sessions.get(s.id);
      // An imported copy stays local; the host's summary only refreshes rows it owns.
      if (old?.store === 'local') continue;
      await d.sessions.put({ ...s, store: 'host', addedAt: old?.addedAt ?? now });
    }
  });
}
