// The app store's shape: four typed slices combined into one zustand store (see index.ts).

import type { EventRecord } from '../../../shared/capture/types.js';
import type { FilterError } from '../../../shared/filter/parse.js';
import type {
  ConnectionInfo,
  ConnectionProfile,
  HostApi,
  ServerRequest,
} from '../../../shared/host-api.js';
import type { LibraryRow } from '../db/db.js';
import type { DetectionService } from '../detect/protocol.js';
import type { LargeWorkerPort } from '../model/large-session.js';
import type { SessionCounts } from '../model/session-data.js';
import type { FuzzSlice } from './fuzz.js';

/** A file to import: its text, and the file itself (a Blob) so big ones can be streamed. */
export interface ImportFile {
  name: string;
  text: () => Promise<string>;
  blob?: Blob;
}

export interface SessionsSlice {
  sessions: LibraryRow[];
  librarySearch: string;
  /** Show only these sessions (the files `mcpscope ui FILE…` was started with); undefined = all. */
  libraryOnly: string[] | undefined;
  setLibrarySearch(q: string): void;
  setLibraryOnly(ids: readonly string[] | undefined): void;
  refreshLibrary(): Promise<void>;
  /** Import capture files chosen by the user; opens the last one. */
  importFiles(files: readonly ImportFile[]): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** The capture text and a file name for download. */
  exportSession(id: string): Promise<{ fileName: string; text: string }>;
  openSession(id: string): Promise<void>;
  /** Host session summary changed (live sessions). */
  upsertSummary(row: LibraryRow): void;
}

export interface TimelineSlice {
  /** The session shown on the Session screen. */
  active?: string;
  /** Bumped whenever rows were appended or existing rows changed (pairing, latency, findings). */
  version: number;
  /** mids that pass the filter, in order. Mutated in place on append; replaced on refilter. */
  filtered: number[];
  filteredCount: number;
  query: string;
  queryErrors: FilterError[];
  /** How long the last full filter pass took, in ms (shown in the status bar). */
  filterMs: number;
  /** A large session's filter is running in its worker (the count shown is the previous one). */
  filterBusy: boolean;
  /** A large session's worker is still indexing the file: the share read (0..1). */
  indexing?: number;
  selected?: number;
  counts: SessionCounts;
  loading: boolean;
  setQuery(q: string): void;
  select(mid: number | undefined): void;
  /** Move the selection by `delta` rows in the filtered view (j/k). */
  selectRelative(delta: number): void;
  /** Queue records of a session; they are applied once per animation frame. */
  queueRecords(sessionId: string, records: readonly EventRecord[]): void;
  /** Apply queued records now (the scheduler calls this; tests may too). */
  flush(): void;
  /** Re-run the filter (e.g. findings arrived); with `onlyIfFindings`, only when the query reads them. */
  refreshFilter(onlyIfFindings?: boolean): void;
}

export interface FindingsSlice {
  findingsVersion: number;
  findingCount: number;
  /** Detection is still working through the active session's records. */
  scanning: boolean;
}

export type Screen = 'library' | 'connect' | 'session' | 'hosts';
export type DetailMode = 'pretty' | 'raw';
export type SidePanel = 'detail' | 'capabilities' | 'findings' | 'interact' | 'repeater';
export type BottomPanel = 'stderr' | 'none';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** The session shown when it was raised; shown only with that session. */
  sessionId?: string;
}

export interface UiSlice {
  screen: Screen;
  detailMode: DetailMode;
  sidePanel: SidePanel;
  bottomPanel: BottomPanel;
  toasts: Toast[];
  connections: ConnectionInfo[];
  serverRequests: ServerRequest[];
  /** True when a HostApi is available (browser server or Electron). */
  hasHost: boolean;
  setScreen(s: Screen): void;
  setDetailMode(m: DetailMode): void;
  setSidePanel(p: SidePanel): void;
  setBottomPanel(p: BottomPanel): void;
  toast(kind: Toast['kind'], text: string): void;
  dismissToast(id: number): void;
  connect(profile: ConnectionProfile): Promise<void>;
  refreshConnections(): Promise<void>;
}

export type AppState = SessionsSlice & TimelineSlice & FindingsSlice & UiSlice & FuzzSlice;

/** What the store needs from the outside world; injected so tests can drive it without a DOM. */
export interface StoreDeps {
  host: HostApi | null;
  /** Run `fn` before the next paint (requestAnimationFrame in the app). */
  schedule: (fn: () => void) => void;
  /** Persistence of the library; the app uses Dexie, tests an in-memory fake. */
  library: LibraryPort;
  now: () => number;
  /** Where records go to be scanned for findings (a Web Worker in the app). */
  detection: DetectionService;
  /** Starts the worker of a large imported file (renderer/src/worker/); absent = no large path. */
  largeWorker?: () => LargeWorkerPort;
}

export interface LibraryPort {
  list(): Promise<LibraryRow[]>;
  /** A large session's file is stored as the Blob itself (IndexedDB keeps it on disk). */
  saveLocal(row: LibraryRow, text: string | Blob): Promise<void>;
  loadLocal(id: string): Promise<string | Blob | undefined>;
  remove(id: string): Promise<void>;
  /** Update a row's summary (e.g. its integrity report) without touching its text. */
  updateRow(row: LibraryRow): Promise<void>;
  cacheHost(rows: readonly import('../../../shared/host-api.js').SessionSummary[]): Promise<void>;
}
