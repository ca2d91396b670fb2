// The index of a large imported capture, owned by the large-session worker (no DOM, so unit
// tests drive it directly). Lines are pushed as they stream in; it keeps:
//   - the timeline (TimelineBuilder: pairing, latency, status) with lightened messages,
//   - per frame the byte range of its line in the file (the detail reads the exact raw text from
//     the file by range; no frame text is kept as an object),
//   - per frame its lower-cased text in a few large chunk strings, so free-text search is one
//     indexOf pass per chunk instead of a regex per row.
// Filters run here with shared/filter's `matches`, the same code the small-session path uses.

import { CaptureReadBuilder } from '../../../shared/capture/reader.js';
import { SummaryCounter } from '../../../shared/capture/summary.js';
import { TimelineBuilder } from '../../../shared/capture/timeline.js';
import type { EventRecord, HeaderRecord } from '../../../shared/capture/types.js';
import { matches, parseFilter, type FilterSubject } from '../../../shared/filter/index.js';
import { parseLoadSummaryNote, type LoadSummary } from '../../../shared/load/types.js';
import type { Message } from '../../../shared/protocol/messages.js';
import { Columns } from './columns.js';
import { emptyCounts, lighten, payloadText, type SessionCounts } from '../model/session-data.js';

/** Characters of lower-cased frame text per search chunk (V8 strings top out near 512 M). */
const CHUNK_CHARS = 8_000_000;
const SEP = '\u0000';

function grow<T extends Float64Array | Int32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** A message as the table needs it: no decoded params/result (the detail reads the raw line). */
function rowOf(m: Message): Message {
  const parsed: Message['parsed'] = { kind: m.parsed.kind };
  if (m.parsed.id !== undefined) parsed.id = m.parsed.id;
  if (m.parsed.method !== undefined) parsed.method = m.parsed.method;
  return { ...m, flags: [...m.flags], parsed };
}

export class LargeIndex {
  readonly builder: TimelineBuilder;
  readonly counts: SessionCounts = emptyCounts();
  header: HeaderRecord | undefined;
  /** The library summary's numbers (the same counter the engine uses). */
  summary: SummaryCounter | undefined;
  loadSummary: LoadSummary | undefined;
  problems = 0;
  truncatedTail = false;
  /** Byte start and length of each frame's line, by frame number (0-based). */
  private lineStart = new Float64Array(1024);
  private lineLen = new Int32Array(1024);
  /** Frame number of each message (a batch frame has several messages). */
  private frameOfMid = new Int32Array(1024);
  /** Search chunks: the lower-cased texts of frames [chunkFirst[i], chunkFirst[i+1]). */
  private chunks: string[] = [];
  private chunkFirst: number[] = [];
  /** Offset of each frame's text inside its chunk. */
  private textOff = new Int32Array(1024);
  private parts: string[] = [];
  private partsLen = 0;
  private partsFirst = 0;
  private reader: CaptureReadBuilder;
  /** Byte ranges of the lines pushed but not yet emitted as records (the reader lags a line). */
  private ranges = new Map<number, [number, number]>();
  private lineNo = 0;

  constructor() {
    this.builder = new TimelineBuilder(0);
    this.reader = new CaptureReadBuilder((r, line) => this.record(r, line));
  }

  get messages(): readonly Message[] {
    return this.builder.index.messages;
  }

  /** One line of the file (without its newline) and its byte range. Throws on a bad header. */
  push(line: string, byteStart: number, byteLen: number): void {
    this.lineNo++;
    this.ranges.set(this.lineNo, [byteStart, byteLen]);
    const first = this.lineNo === 1;
    this.reader.push(line);
    if (first) {
      // The header line: the reader has it now (it throws CaptureFormatError when it is not one).
      this.header = this.reader.header;
      this.builder.startTs = this.header?.ts ?? 0;
      if (this.header) this.summary = new SummaryCounter(this.header);
      this.ranges.delete(1);
    }
  }

  finish(endsWithNewline: boolean): void {
    const read = this.reader.finish(endsWithNewline);
    this.problems = read.problems.length;
    this.truncatedTail = read.truncatedTail !== undefined;
    this.ranges.clear();
    this.sealChunk();
    this.columns = new Columns(this.messages);
  }

  /** Built when the whole file is indexed (rows do not change after that). */
  private columns: Columns | undefined;

  private record(r: EventRecord, line: number): void {
    const range = this.ranges.get(line);
    // Lines before this one were bad (no record): their ranges are not needed any more.
    for (const k of this.ranges.keys()) {
      if (k > line) break;
      this.ranges.delete(k);
    }
    const c = this.counts;
    this.summary?.count(r);
    if (r.type !== 'frame') {
      if (r.type === 'stderr') c.stderr++;
      if (r.type === 'error') c.recordErrors++;
      if (r.type === 'note') this.loadSummary = parseLoadSummaryNote(r.text) ?? this.loadSummary;
      // Only lifecycle events are kept; stderr text is read from the file when shown.
      if (r.type !== 'stderr') this.builder.add(r);
      return;
    }
    const f = c.frames++;
    this.lineStart = grow(this.lineStart, f + 1);
    this.lineLen = grow(this.lineLen, f + 1);
    this.textOff = grow(this.textOff, f + 1);
    this.lineStart[f] = range?.[0] ?? -1;
    this.lineLen[f] = range?.[1] ?? 0;
    const text = payloadText(r).toLowerCase();
    this.textOff[f] = this.partsLen;
    this.parts.push(text);
    this.partsLen += text.length + 1;
    if (this.partsLen >= CHUNK_CHARS) this.sealChunk();

    const index = this.builder.index;
    const before = index.messages.length;
    this.builder.add(r);
    this.frameOfMid = grow(this.frameOfMid, index.messages.length);
    for (let mid = before; mid < index.messages.length; mid++) {
      this.frameOfMid[mid] = f;
      const m = index.messages[mid]!;
      if (m.kind === 'request') {
        c.requests++;
        c.pending++;
      } else if (m.kind === 'notification') c.notifications++;
      else if (m.kind === 'error' || m.kind === 'invalid') c.errors++;
      if ((m.kind === 'response' || m.kind === 'error') && m.pair !== undefined) c.pending--;
      if (m.kind !== 'request') lighten(m);
      if (m.pair !== undefined && m.pair < m.mid) lighten(index.messages[m.pair]!);
    }
    c.messages = index.messages.length;
  }

  /** Close the chunk being filled (at the end, or before a search while indexing). */
  private sealChunk(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(this.parts.join(SEP));
    this.chunkFirst.push(this.partsFirst);
    this.partsFirst = this.counts.frames;
    this.parts = [];
    this.partsLen = 0;
  }

  /** Frames whose text contains `needle` (lower-cased), one indexOf pass over each chunk. */
  private textHits(needle: string): Uint8Array {
    this.sealChunk();
    const hits = new Uint8Array(this.counts.frames);
    if (needle === '') return hits.fill(1);
    for (let ci = 0; ci < this.chunks.length; ci++) {
      const chunk = this.chunks[ci]!;
      const first = this.chunkFirst[ci]!;
      const end = ci + 1 < this.chunkFirst.length ? this.chunkFirst[ci + 1]! : this.counts.frames;
      // Matches come in increasing order, so the frame holding one is found by walking forward
      // (amortized one step per frame), then the search resumes at the next frame's text.
      let f = first;
      let at = chunk.indexOf(needle);
      while (at >= 0) {
        while (f + 1 < end && this.textOff[f + 1]! <= at) f++;
        hits[f] = 1;
        if (f + 1 >= end) break;
        f++;
        at = chunk.indexOf(needle, this.textOff[f]!);
      }
    }
    return hits;
  }

  /** The mids that pass `query`, in order (the same `matches` as the small-session path). */
  filter(query: string): Int32Array {
    const q = parseFilter(query);
    const msgs = this.messages;
    const out = new Int32Array(msgs.length);
    let n = 0;
    if (q.empty) {
      for (let i = 0; i < msgs.length; i++) out[i] = i;
      return out;
    }
    const hitsBy = new Map<string, Uint8Array>();
    const hitsFor = (needle: string): Uint8Array => {
      let h = hitsBy.get(needle);
      if (!h) hitsBy.set(needle, (h = this.textHits(needle)));
      return h;
    };
    if (this.columns && this.columns.n === msgs.length) {
      const fast = this.columns.filter(
        q,
        (needle, row) => hitsFor(needle)[this.frameOfMid[row]!] === 1,
      );
      if (fast) return fast;
    }
    // Few distinct methods: lower-case each once, not once per row.
    const lower = new Map<string, string>();
    const lowerOf = (m: string): string => {
      let l = lower.get(m);
      if (l === undefined) {
        l = m.toLowerCase();
        if (lower.size < 10_000) lower.set(m, l); // bounded, whatever a server sends
      }
      return l;
    };
    let cur: Message = msgs[0]!;
    const s: FilterSubject = {
      get msg() {
        return cur;
      },
      get pair() {
        return cur.pair === undefined ? undefined : msgs[cur.pair];
      },
      findings: undefined,
      haystack: () => '',
      search: (needle) => {
        if (cur.method !== undefined && lowerOf(cur.method).includes(needle)) return true;
        return hitsFor(needle)[this.frameOfMid[cur.mid]!] === 1;
      },
    };
    for (let i = 0; i < msgs.length; i++) {
      cur = msgs[i]!;
      if (matches(q, s)) out[n++] = i;
    }
    return out.slice(0, n);
  }

  /** Table rows for these mids (unknown mids are left out). */
  rows(mids: readonly number[]): Message[] {
    const out: Message[] = [];
    for (const mid of mids) {
      const m = this.messages[mid];
      if (m) out.push(rowOf(m));
    }
    return out;
  }

  /** Where the line of a message's frame is in the file, or undefined. */
  lineOf(mid: number): { start: number; len: number } | undefined {
    if (mid < 0 || mid >= this.messages.length) return undefined;
    const f = this.frameOfMid[mid]!;
    const start = this.lineStart[f]!;
    return start < 0 ? undefined : { start, len: this.lineLen[f]! };
  }

  /** Characters held for search (for the memory report). */
  searchChars(): number {
    let n = this.partsLen;
    for (const c of this.chunks) n += c.length;
    return n;
  }
}
