// One session of the library: a capture's header and records in memory, plus the running
// numbers the library list shows (frames, errors, server, duration), updated as records arrive
// so a live session's summary never needs a rescan.

import type { EventRecord, HeaderRecord } from '../../../shared/capture/index.js';
import type { IntegrityReport, SessionOrigin, SessionSummary } from '../../../shared/host-api.js';
import { parseFrame } from '../../../shared/protocol/index.js';
import { isObject } from '../../../shared/json.js';


export interface SessionInit {
  origin: SessionOrigin;
  header: HeaderRecord;
  live: boolean;
  path?: string;
  connectionId?: string;
  problems?: number;
  /** The real transport when the header only says "client" (a client connection's capture). */
  transport?: SessionSummary['transport'];
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
  private frames = 0;
  private errors = 0;
  private lastTs: number;
  private nextSeq = 1;
  private server: SessionSummary['server'];
  private protocolVersion: string | undefined;
  private ended = false;

  constructor(init: SessionInit) {
    this.id = init.header.id;
    this.origin = init.origin;
    this.header = init.header;
    this.live = init.live;
    this.path = init.path;
    this.connectionId = init.connectionId;
    this.problems = init.problems ?? 0;
    this.transport = init.transport ?? init.header.source.transport;
    this.lastTs = init.header.ts;
  }

  /** Append records (seq order). Records at or below the last seq are ignored (replays of a feed). */
  add(records: readonly EventRecord[]): EventRecord[] {
    const fresh: EventRecord[] = [];
    for (const r of records) {
      if (r.seq < this.nextSeq) continue;
      this.records.push(r);
      fresh.push(r);
      this.nextSeq = r.seq + 1;
      if (r.ts > this.lastTs) this.lastTs = r.ts;
      this.count(r);
    }
    return fresh;
  }

  private count(r: EventRecord): void {
    if (r.type === 'end') this.ended = true;
    if (r.type === 'error') this.errors++;
    // An HTTP error status is a failed exchange even when no JSON-RPC error came back.
    if (r.type === 'http' && r.dir === 's2c' && r.status !== undefined && r.status >= 400) this.errors++;
    if (r.type !== 'frame') return;
    this.frames++;
    if (r.text === undefined) {
      this.errors++; // not UTF-8: an invalid frame
      return;
    }
    // Cheap pre-check: only frames that can be errors or carry the handshake are parsed.
    const maybeInteresting = r.text.includes('"error"') || r.text.includes('serverInfo') || !r.text.trimStart().startsWith('{');
    if (!maybeInteresting) return;
    for (const m of parseFrame(r.text).messages) {
      if (m.kind === 'error' || m.kind === 'invalid') this.errors++;
      else if (m.kind === 'response' && r.dir === 's2c' && !this.server && isObject(m.result) && isObject(m.result.serverInfo)) {
        const info = m.result.serverInfo;
        if (typeof info.name === 'string') {
          this.server = { name: info.name };
          if (typeof info.version === 'string') this.server.version = info.version;
          if (typeof info.title === 'string') this.server.title = info.title;
        }
        if (typeof m.result.protocolVersion === 'string') this.protocolVersion = m.result.protocolVersion;
      }
    }
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
    return this.nextSeq;
  }

  summary(): SessionSummary {
    const src = this.header.source;
    const title = this.server?.title ?? this.server?.name ?? src.name ?? (src.command ? src.command.join(' ') : undefined) ?? src.url ?? 'session';
    const s: SessionSummary = {
      id: this.id,
      origin: this.origin,
      live: this.live,
      title,
      transport: this.transport,
      started: this.header.ts,
      durationMs: Math.max(0, this.lastTs - this.header.ts),
      frameCount: this.frames,
      errorCount: this.errors,
      recordCount: this.nextSeq,
      closed: this.ended,
    };
    if (this.server) s.server = this.server;
    if (this.protocolVersion) s.protocolVersion = this.protocolVersion;
    if (src.command) s.command = src.command;
    if (src.url) s.url = src.url;
    if (this.path) s.path = this.path;
    if (this.connectionId) s.connectionId = this.connectionId;
    if (this.problems) s.problems = this.problems;
    if (this.integrity) s.integrity = this.integrity;
    return s;
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
