// One session of the library: a capture's header and records in memory, plus the running
// numbers the library list shows (frames, errors, server, duration), updated as records arrive
// so a live session's summary never needs a rescan (shared/capture/summary.ts counts).

import type {
  ChainReport,
  EventRecord,
  HeaderRecord,
  ReadCapture,
} from '../../../shared/capture/index.js';
import { loadAndVerifyFile } from '../capture/load.js';
import { IndexCounter } from '../capture/sidecar.js';
import type { ReadOptions } from '../capture/lines.js';
import type { IntegrityReport, SessionOrigin, SessionSummary } from '../../../shared/host-api.js';
import {
  SummaryCounter,
  type SummaryBase,
  type SummaryState,
} from '../../../shared/capture/summary.js';

export interface SessionInit {
  origin: SessionOrigin;
  header: HeaderRecord;
  live: boolean;
  path?: string;
  connectionId?: string;
  problems?: number;
  /** The real transport when the header only says "client" (a client connection's capture). */
  transport?: SessionSummary['transport'];
  /** Numbers from the capture's sidecar index: the session starts unloaded, records read on open. */
  state?: SummaryState;
}

export class Session {
  readonly id: string;
  readonly origin: SessionOrigin;
  readonly header: HeaderRecord;
  /** In memory while `loaded`; a closed file-backed session may be unloaded to bound memory. */
  records: EventRecord[] = [];
  loaded = true;
  /** Last time the records were read (for unloading the least recently used). */
  lastUsed = 0;
  live: boolean;
  path: string | undefined;
  connectionId: string | undefined;
  problems: number;
  transport: SessionSummary['transport'];
  integrity: IntegrityReport | undefined;
  private readonly counter: SummaryCounter;

  constructor(init: SessionInit) {
    this.id = init.header.id;
    this.origin = init.origin;
    this.header = init.header;
    this.live = init.live;
    this.path = init.path;
    this.connectionId = init.connectionId;
    this.problems = init.problems ?? 0;
    this.transport = init.transport ?? init.header.source.transport;
    this.counter = new SummaryCounter(init.header);
    if (init.state) {
      this.counter.restore(init.state);
      this.loaded = false;
    }
  }

  /** Append records (seq order). Records at or below the last seq are ignored (replays of a feed). */
  add(records: readonly EventRecord[]): EventRecord[] {
    const fresh: EventRecord[] = [];
    for (const r of records) {
      if (r.seq < this.counter.nextSeq) continue;
      this.records.push(r);
      fresh.push(r);
      this.counter.count(r);
    }
    return fresh;
  }

  /** Drop the records (the file keeps them); the summary numbers stay. */
  unload(): void {
    this.records = [];
    this.loaded = false;
  }

  /** Put back records read again from the file, without counting them twice. */
  reload(records: EventRecord[]): void {
    this.records = records;
    this.loaded = true;
  }

  /** The next seq this session expects. */
  get recordCount(): number {
    return this.counter.nextSeq;
  }

  summary(): SessionSummary {
    const base: SummaryBase = {
      id: this.id,
      origin: this.origin,
      live: this.live,
      transport: this.transport,
    };
    if (this.path) base.path = this.path;
    if (this.connectionId) base.connectionId = this.connectionId;
    if (this.problems) base.problems = this.problems;
    if (this.integrity) base.integrity = this.integrity;
    return this.counter.summary(base);
  }

  /** Records with seq ≥ fromSeq, at most `limit`. Records are in seq order, so binary search. */
  slice(fromSeq: number, limit: number): EventRecord[] {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.records[mid]!.seq < fromSeq) lo = mid + 1;
      else hi = mid;
    }
    return this.records.slice(lo, lo + limit);
  }
}

/**
 * Read and verify a capture file, keeping its records only while there are fewer than `limit`.
 * Past that, `state` is set (the summary's numbers, counted as the records streamed by) and
 * `read.records` is empty: the caller makes an unloaded session, so a file of any size is never
 * held in memory (the app streams a big one by byte range, readCaptureBytes).
 */
export async function loadBounded(
  path: string,
  opts: ReadOptions,
  limit: number,
): Promise<{
  read: ReadCapture;
  integrity: ChainReport;
  state?: SummaryState;
  index?: IndexCounter;
}> {
  let kept: EventRecord[] | undefined = [];
  let index: IndexCounter | undefined;
  const loaded = await loadAndVerifyFile(path, opts, (r, header) => {
    index ??= new IndexCounter(header);
    index.count(r);
    if (!kept) return;
    kept.push(r);
    if (kept.length >= limit) kept = undefined;
  });
  if (kept) return { ...loaded, read: { ...loaded.read, records: kept } };
  index ??= new IndexCounter(loaded.read.header!);
  index.problems = loaded.read.problems.length + (loaded.read.truncatedTail ? 1 : 0);
  // The index goes with it: a caller may keep it as the file's sidecar (next start: no parse).
  return { ...loaded, state: index.counter.snapshot(), index };
}
