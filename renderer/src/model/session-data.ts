// One open session's data, outside React state: the incremental timeline (MessageIndex +
// SessionModel), the raw frame records by seq, stderr lines, and search caches. The stores keep
// only counters and the filtered index over it, so appending never copies the message list.

import { TimelineBuilder } from '../../../shared/capture/timeline.js';
import type {
  EventRecord,
  FrameRecord,
  HeaderRecord,
  StderrRecord,
} from '../../../shared/capture/types.js';
import type { Finding } from '../../../shared/detect/types.js';
import { parseLoadSummaryNote, type LoadSummary } from '../../../shared/load/types.js';
import type { Message } from '../../../shared/protocol/messages.js';

export interface SessionCounts {
  /** JSON-RPC frames (frame records). */
  frames: number;
  messages: number;
  requests: number;
  notifications: number;
  /** Error responses and invalid frames: exactly what `status:error -kind:request` shows. */
  errors: number;
  /** Errors the recorder or client noted outside any frame (connect, transport): not timeline rows. */
  recordErrors: number;
  /** Requests still waiting for an answer. */
  pending: number;
  stderr: number;
}

/** All counters at zero (a new session, the large-session index, the store's empty state). */
export function emptyCounts(): SessionCounts {
  return {
    frames: 0,
    messages: 0,
    requests: 0,
    notifications: 0,
    errors: 0,
    recordErrors: 0,
    pending: 0,
    stderr: 0,
  };
}

export function payloadText(r: { text?: string; b64?: string }): string {
  if (r.text !== undefined) return r.text;
  return r.b64 !== undefined ? `<${r.b64.length} base64 chars of non-UTF-8 bytes>` : '';
}

/** Drop a message's decoded JSON once the timeline no longer needs it. */
export function lighten(m: Message): void {
  const p = m.parsed;
  if (p.value === undefined && p.params === undefined && p.result === undefined) return;
  const lean: Message['parsed'] = { kind: p.kind };
  if (p.id !== undefined) lean.id = p.id;
  if (p.method !== undefined) lean.method = p.method;
  if (p.reason !== undefined) lean.reason = p.reason;
  if (p.error) lean.error = { code: p.error.code, message: p.error.message };
  m.parsed = lean;
}

export class SessionData {
  readonly builder: TimelineBuilder;
  /** Frame records by seq, for the raw text of a message. */
  readonly frames = new Map<number, FrameRecord>();
  readonly stderr: StderrRecord[] = [];
  /** Findings by message mid (the timeline's badges) and the full list (the panel). */
  readonly findingsByMid = new Map<number, Finding[]>();
  readonly findings: Finding[] = [];
  /** Detection jobs sent for this session and not finished yet (a job ends with an idle batch). */
  scanPending = 0;
  /** The summary note of a load run's capture (mcpscope load), for the latency chart. */
  loadSummary: LoadSummary | undefined;
  /** Highest seq seen, so overlapping reads and live events never add a record twice. */
  lastSeq = 0;
  private firstMidOfSeq = new Map<number, number>();
  readonly counts: SessionCounts = emptyCounts();

  constructor(
    readonly id: string,
    readonly header: HeaderRecord | undefined,
    startTs?: number,
  ) {
    this.builder = new TimelineBuilder(startTs ?? header?.ts ?? 0);
  }

  get messages(): readonly Message[] {
    return this.builder.index.messages;
  }

  /**
   * Add records in seq order; returns the messages they produced (for incremental filtering).
   * Records already seen are skipped; `fresh` receives the ones that were new (for detection).
   */
  append(records: readonly EventRecord[], fresh?: EventRecord[]): Message[] {
    const out: Message[] = [];
    const index = this.builder.index;
    for (const r of records) {
      if (r.seq <= this.lastSeq) continue;
      this.lastSeq = r.seq;
      fresh?.push(r);
      if (r.type === 'frame') {
        this.frames.set(r.seq, r);
        this.counts.frames++;
        const before = index.messages.length;
        this.builder.add(r);
        if (index.messages.length > before) this.firstMidOfSeq.set(r.seq, before);
        for (let mid = before; mid < index.messages.length; mid++) {
          const m = index.messages[mid]!;
          out.push(m);
          this.count(m);
          // The decoded JSON is only needed while the timeline model processes the message (a
          // request's params until its answer arrives). Dropping it afterwards keeps a
          // 100,000-frame session's heap small (shorter GC pauses while scrolling); the detail
          // view reads the raw text, detection has its own copy in the worker.
          if (m.kind !== 'request') lighten(m);
          if (m.pair !== undefined && m.pair < m.mid) lighten(index.messages[m.pair]!);
        }
      } else {
        if (r.type === 'stderr') {
          this.stderr.push(r);
          this.counts.stderr++;
        }
        if (r.type === 'error') this.counts.recordErrors++;
        if (r.type === 'note') this.loadSummary = parseLoadSummaryNote(r.text) ?? this.loadSummary;
        this.builder.add(r);
      }
    }
    this.counts.messages = index.messages.length;
    return out;
  }

  private count(m: Message): void {
    if (m.kind === 'request') {
      this.counts.requests++;
      this.counts.pending++;
    } else if (m.kind === 'notification') this.counts.notifications++;
    else if (m.kind === 'error' || m.kind === 'invalid') this.counts.errors++;
    if ((m.kind === 'response' || m.kind === 'error') && m.pair !== undefined)
      this.counts.pending--;
  }

  /** The frame's text exactly as recorded. */
  rawText(m: Message): string {
    const r = this.frames.get(m.seq);
    return r ? payloadText(r) : '';
  }

  /** Lower-cased search text (method and raw frame); built on demand, not cached. */
  haystack(m: Message): string {
    return `${m.method ?? ''}\n${this.rawText(m)}`.toLowerCase();
  }

  /**
   * Case-insensitive search of the method and the raw frame without building lower-cased copies
   * of 100,000 frames (that memory would come back as long garbage-collection pauses).
   */
  search(m: Message, re: RegExp): boolean {
    if (m.method !== undefined && re.test(m.method)) return true;
    return re.test(this.rawText(m));
  }

  midOfSeq(seq: number): number | undefined {
    return this.firstMidOfSeq.get(seq);
  }

  addFindings(list: readonly Finding[]): void {
    for (const f of list) {
      this.findings.push(f);
      const seq = f.target.seq;
      const mid = seq === undefined ? undefined : this.midOfSeq(seq);
      if (mid === undefined) continue;
      const arr = this.findingsByMid.get(mid);
      if (arr) arr.push(f);
      else this.findingsByMid.set(mid, [f]);
    }
  }

  stderrText(r: StderrRecord): string {
    return payloadText(r);
  }
}

/** The open sessions' data, by session id. Not React state: see the file comment. */
export const sessionData = new Map<string, SessionData>();
