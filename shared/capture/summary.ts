// The ONE session-summary builder: counts a capture's records as they arrive (frames, errors,
// server info, duration) and builds the library's SessionSummary. The engine's library and the
// browser-only import both use it, so the same capture shows the same numbers everywhere.

import type { SessionSummary } from '../host-api.js';
import { isObject } from '../json.js';
import { parseFrame } from '../protocol/index.js';
import type { EventRecord, HeaderRecord } from './types.js';

export type SummaryBase = Pick<SessionSummary, 'id' | 'origin' | 'live'> &
  Partial<Pick<SessionSummary, 'transport' | 'path' | 'connectionId' | 'problems' | 'integrity'>>;

/** The counter's running numbers, as a plain object (the library's sidecar index caches it). */
export interface SummaryState {
  frames: number;
  errors: number;
  lastTs: number;
  nextSeq: number;
  ended: boolean;
  server?: SessionServerInfoState;
  protocolVersion?: string;
}
type SessionServerInfoState = NonNullable<SessionSummary['server']>;

/** A SummaryState of these counts, with its own copy of the server info; absent fields stay out. */
export function summaryState(
  f: Omit<SummaryState, 'server' | 'protocolVersion'> & {
    server?: SessionServerInfoState | undefined;
    protocolVersion?: string | undefined;
  },
): SummaryState {
  const { frames, errors, lastTs, nextSeq, ended } = f;
  const state: SummaryState = { frames, errors, lastTs, nextSeq, ended };
  if (f.server) state.server = { ...f.server };
  if (f.protocolVersion !== undefined) state.protocolVersion = f.protocolVersion;
  return state;
}

export class SummaryCounter {
  frames = 0;
  /** Error records + HTTP error statuses + invalid frames + JSON-RPC error responses. */
  errors = 0;
  lastTs: number;
  /** The next seq expected (every record incl. the header counts). */
  nextSeq = 1;
  ended = false;
  server: SessionSummary['server'];
  protocolVersion: string | undefined;

  constructor(readonly header: HeaderRecord) {
    this.lastTs = header.ts;
  }

  /** Count one record (callers pass records in seq order, each once). */
  count(r: EventRecord): void {
    this.nextSeq = r.seq + 1;
    if (r.ts > this.lastTs) this.lastTs = r.ts;
    if (r.type === 'end') this.ended = true;
    if (r.type === 'error') this.errors++;
    // An HTTP error status is a failed exchange even when no JSON-RPC error came back.
    if (r.type === 'http' && r.dir === 's2c' && r.status !== undefined && r.status >= 400)
      this.errors++;
    if (r.type !== 'frame') return;
    this.frames++;
    if (r.text === undefined) {
      this.errors++; // not UTF-8: an invalid frame
      return;
    }
    // Cheap pre-check: only frames that can be errors or carry the handshake are parsed.
    const maybeInteresting =
      r.text.includes('"error"') ||
      r.text.includes('serverInfo') ||
      !r.text.trimStart().startsWith('{');
    if (!maybeInteresting) return;
    for (const m of parseFrame(r.text).messages) {
      if (m.kind === 'error' || m.kind === 'invalid') this.errors++;
      else if (
        m.kind === 'response' &&
        r.dir === 's2c' &&
        !this.server &&
        isObject(m.result) &&
        isObject(m.result.serverInfo)
      ) {
        const info = m.result.serverInfo;
        if (typeof info.name === 'string') {
          this.server = { name: info.name };
          if (typeof info.version === 'string') this.server.version = info.version;
          if (typeof info.title === 'string') this.server.title = info.title;
        }
        if (typeof m.result.protocolVersion === 'string')
          this.protocolVersion = m.result.protocolVersion;
      }
    }
  }

  /** The numbers so far, to cache them (see electron/engine/capture/sidecar.ts). */
  snapshot(): SummaryState {
    return summaryState(this);
  }

  /** Start from cached numbers instead of counting the records again. */
  restore(s: SummaryState): void {
    this.frames = s.frames;
    this.errors = s.errors;
    this.lastTs = s.lastTs;
    this.nextSeq = s.nextSeq;
    this.ended = s.ended;
    this.server = s.server ? { ...s.server } : undefined;
    this.protocolVersion = s.protocolVersion;
  }

  summary(base: SummaryBase): SessionSummary {
    const src = this.header.source;
    // A name the user gave (written into the capture as source.name) wins over what the server calls itself.
    const title =
      src.name ??
      this.server?.title ??
      this.server?.name ??
      (src.command ? src.command.join(' ') : undefined) ??
      src.url ??
      'session';
    const s: SessionSummary = {
      id: base.id,
      origin: base.origin,
      live: base.live,
      title,
      transport: base.transport ?? src.transport,
      started: this.header.ts,
      durationMs: Math.max(0, this.lastTs - this.header.ts),
      frameCount: this.frames,
      errorCount: this.errors,
      recordCount: this.nextSeq,
      closed: this.ended,
    };
    if (this.server) s.server = { ...this.server };
    if (this.protocolVersion) s.protocolVersion = this.protocolVersion;
    if (src.command) s.command = src.command;
    if (src.url) s.url = src.url;
    if (base.path) s.path = base.path;
    if (base.connectionId) s.connectionId = base.connectionId;
    if (base.problems) s.problems = base.problems;
    if (base.integrity) s.integrity = base.integrity;
    return s;
  }
}

/** The summary of a whole capture read at once. */
export function summarizeCapture(
  header: HeaderRecord,
  records: readonly EventRecord[],
  base: SummaryBase,
): SessionSummary {
  const c = new SummaryCounter(header);
  for (const r of records) c.count(r);
  return c.summary(base);
}
