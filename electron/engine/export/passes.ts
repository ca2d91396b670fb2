// The streamed export's passes over a capture. Each pass reads the file line by line (decrypting
// an age file on the way) and hands over one record at a time, so nothing holds the whole file:
//   detect: the hash chain (verified as it goes), every detector and secretlint (in batches),
//           the exact text of each sensitive value a finding located, and what the redactor's
//           structural rules (secret-named keys, headers, flags) find in each record, noted in
//           order and replayed after the findings (so placeholders are numbered as before);
//   emit:   the caller's writer gets each record (redacted) and its original line.

import {
  CaptureFormatError,
  CaptureReadBuilder,
  ChainVerifier,
  captureLines,
  type CaptureProblem,
  type ChainReport,
  type EventRecord,
  type HeaderRecord,
} from '../../../shared/capture/index.js';
import { TimelineDetector } from '../../../shared/detect/timeline.js';
import type { ServerMeta } from '../../../shared/detect/detector.js';
import type { Finding } from '../../../shared/detect/types.js';
import { learnRecord } from '../../../shared/export/capture.js';
import { Redactor } from '../../../shared/export/redact.js';
import { detach, slimMessages } from '../../../shared/export/slim.js';
import { CaptureFileError } from '../capture/load.js';
import { forEachLine } from '../capture/lines.js';
import { nodeSha256 } from '../capture/writer.js';
import { captureIdentity, PinStore } from '../scan/pins.js';
import { mergeSecretFindings, secretlintFindings, type LintText } from '../scan/secretlint.js';

/** Where the capture comes from: a file (streamed) or text the caller already holds (the app). */
export interface CaptureSource {
  file: string;
  text?: string;
  identities?: readonly string[];
}

/** Progress of one pass: bytes of the capture read so far (for the app's progress bar). */
export type OnProgress = (pass: string, records: number) => void;

export interface RecordStream {
  header: HeaderRecord;
  fileVersion: number;
  closed: boolean;
  /** Lines that are not records (as the reader reports them). */
  problems: CaptureProblem[];
  /** A last line cut short (the recorder was killed mid-write). */
  truncatedTail?: CaptureProblem;
}

type OnRecord = (r: EventRecord, line: number, text: string) => void | Promise<void>;

/** Every record of the capture in order, with its line number and line; one pass, any size. */
export async function forEachRecord(
  src: CaptureSource,
  onRecord: OnRecord,
  onLine?: (line: string) => void,
): Promise<RecordStream & { endsWithNewline: boolean }> {
  let pending: Promise<void> | undefined;
  const b = new CaptureReadBuilder((r, n, t) => {
    const p = onRecord(r, n, t);
    pending = p instanceof Promise ? p : undefined;
  });
  const push = (line: string): Promise<void> | undefined => {
    onLine?.(line);
    pending = undefined;
    b.push(line);
    return pending;
  };
  try {
    let endsWithNewline: boolean;
    if (src.text !== undefined) {
      for (const line of captureLines(src.text)) await push(line);
      endsWithNewline = src.text.endsWith('\n');
    } else {
      ({ endsWithNewline } = await forEachLine(
        src.file,
        push,
        src.identities ? { identities: src.identities } : {},
      ));
    }
    pending = undefined;
    const read = b.finish(endsWithNewline);
    if (pending) await pending;
    return {
      header: read.header!,
      fileVersion: read.fileVersion ?? 1,
      closed: read.closed,
      problems: read.problems,
      ...(read.truncatedTail ? { truncatedTail: read.truncatedTail } : {}),
      endsWithNewline,
    };
  } catch (e) {
    if (e instanceof CaptureFormatError) throw new CaptureFileError(`${src.file}: ${e.message}`);
    throw e;
  }
}

/** secretlint runs over texts joined in batches of about this many characters. */
const LINT_BATCH = 4 * 1024 * 1024;

export interface DetectPass extends RecordStream {
  /** Undefined when the caller asked for no chain check (`scan`). */
  chain: ChainReport | undefined;
  findings: Finding[];
  /** The raw text each redactable finding (dataClass + range) located. */
  located: Map<Finding, string>;
  /** With `learn`: what the redactor's structural rules found, in order (replayed after the findings). */
  learned: [value: string, dataClass: string][];
  /** What the server offered (tools, prompts, resources), as `scan` reports it. */
  server: ServerMeta;
  /** Characters of frame and stderr text scanned. */
  scannedChars: number;
  /** The line (1-based) of each record by seq, for SARIF regions; 0 for seqs not seen. */
  lineOfSeq: (seq: number) => number | undefined;
}

export interface DetectOptions {
  /** Note what the redactor's structural rules find (exports that redact). */
  learn?: boolean;
  /** Rug-pull pins to compare with (default: the data directory's pin store; null: none). */
  pins?: PinStore | null;
  /** Run secretlint too (default true). */
  secretlint?: boolean;
  /** Verify the hash chain on the way (default true). */
  chain?: boolean;
}

/**
 * A Redactor that only notes what it is taught, in order (each value once). The export replays
 * the notes into the real redactor after the findings, so one pass does detection and learning
 * and the placeholders are numbered exactly as when the findings were learned first.
 */
export class LearnRecorder extends Redactor {
  readonly notes: [string, string][] = [];
  private readonly seen = new Set<string>();

  override learn(value: string, dataClass: string): void {
    if (this.seen.has(value)) return;
    const v = detach(value);
    this.seen.add(v);
    this.notes.push([v, dataClass]);
  }
}

/**
 * Pass 1: chain check, detection (the same detectors, pins and secretlint as `scan`) and the
 * sensitive values' texts. Holds the findings and the session model, not the records.
 */
export async function detectPass(
  src: CaptureSource,
  progress?: OnProgress,
  opts: DetectOptions = {},
): Promise<DetectPass> {
  const notes = opts.learn ? new LearnRecorder() : undefined;
  const chain = opts.chain === false ? undefined : new ChainVerifier(nodeSha256);
  const store = opts.pins === undefined ? new PinStore() : opts.pins;
  const lint_ = opts.secretlint !== false;
  const lines = new SeqLines();
  let scannedChars = 0;
  let d: TimelineDetector | undefined;
  const located = new Map<Finding, string>();
  const lint: LintText[] = [];
  let lintChars = 0;
  const lintFound: Finding[] = [];
  const SERVER = '\u0000server';
  let n = 0;
  const flushLint = async () => {
    if (lint.length === 0) return;
    const batch = lint.splice(0);
    lintChars = 0;
    const textOf = new Map(batch.map((t) => [t.seq, t.text]));
    for (const f of await secretlintFindings(batch, SERVER)) {
      keepSmall(f);
      lintFound.push(f);
      remember(f, textOf.get(f.target.seq!));
    }
  };
  const remember = (f: Finding, text: string | undefined) => {
    const t = f.target;
    if (f.dataClass && t.range && text !== undefined)
      located.set(f, detach(text.slice(t.range[0], t.range[1])));
  };
  const stream = await forEachRecord(
    src,
    async (r, line) => {
      if (!d) throw new Error('record before header');
      lines.set(r.seq, line);
      const from = d.index.messages.length;
      for (const f of d.add(r)) {
        keepSmall(f);
        if (f.target.seq === r.seq) remember(f, textOfRecord(r));
      }
      slimMessages(d.index, from);
      if (notes) learnRecord(notes, r, true);
      if ((r.type === 'frame' || r.type === 'stderr') && r.text !== undefined) {
        scannedChars += r.text.length;
        if (!lint_) return;
        lint.push(
          r.type === 'frame'
            ? { seq: r.seq, text: r.text, json: true, dir: r.dir }
            : { seq: r.seq, text: r.text, json: false },
        );
        lintChars += r.text.length;
        if (lintChars >= LINT_BATCH) await flushLint();
      }
      if (++n % 10_000 === 0) progress?.('scanning', n);
    },
    (line) => {
      chain?.push(line);
      if (!d) {
        const opened = openDetector(line, store);
        d = opened.detector;
        if (notes && opened.header) learnRecord(notes, opened.header);
      }
    },
  );
  await flushLint();
  const det = d!;
  det.finish();
  const meta = det.serverMeta();
  for (const f of lintFound) if (f.target.server === SERVER) f.target.server = meta.name;
  const findings = [...det.findings, ...mergeSecretFindings(det.findings, lintFound)];
  return {
    ...stream,
    chain: chain?.finish(stream.endsWithNewline),
    findings,
    located,
    learned: notes?.notes ?? [],
    server: meta,
    scannedChars,
    lineOfSeq: (seq) => (seq === 0 ? 1 : lines.get(seq)),
  };
}

/** seq → line number in 4 bytes a record (a capture of millions of records stays small). */
class SeqLines {
  private a = new Uint32Array(1024);
  set(seq: number, line: number): void {
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > 0xfffffff) return; // hostile seqs: no line
    if (seq >= this.a.length) {
      const b = new Uint32Array(Math.max(seq + 1, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
    this.a[seq] = line;
  }
  get(seq: number): number | undefined {
    return seq >= 0 && seq < this.a.length && this.a[seq] ? this.a[seq] : undefined;
  }
}

/** A finding's texts may be views into a large frame: copied, so the frame can be collected. */
function keepSmall(f: Finding): void {
  f.message = detach(f.message);
  if (f.evidence !== undefined) f.evidence = detach(f.evidence);
}

function textOfRecord(r: EventRecord): string | undefined {
  return (r.type === 'frame' || r.type === 'stderr') && r.text !== undefined ? r.text : undefined;
}

/** The detector for a capture whose header line this is (pins as `scan` compares them). */
function openDetector(
  headerLine: string,
  store: PinStore | null,
): { detector: TimelineDetector; header?: HeaderRecord } {
  const b = new CaptureReadBuilder(() => undefined);
  try {
    b.push(headerLine);
  } catch {
    return { detector: new TimelineDetector(undefined) }; // forEachRecord reports the bad header.
  }
  const header = b.finish(true).header!;
  const identity = captureIdentity(header.source);
  const source = header.source.name;
  const detector = new TimelineDetector(
    header,
    store && identity !== undefined
      ? {
          pins: (server) =>
            store.load(server, identity) ??
            (source !== undefined && source !== server ? store.load(source, identity) : undefined),
        }
      : {},
  );
  return { detector, header };
}

/** Findings whose located text pass 1 could not keep (they name another record): fetch it. */
export async function locateMissing(
  src: CaptureSource,
  findings: readonly Finding[],
  located: Map<Finding, string>,
): Promise<void> {
  const want = new Map<number, Finding[]>();
  for (const f of findings) {
    const t = f.target;
    if (!f.dataClass || t.seq === undefined || !t.range || located.has(f)) continue;
    want.set(t.seq, [...(want.get(t.seq) ?? []), f]);
  }
  if (want.size === 0) return;
  await forEachRecord(src, (r) => {
    const fs = want.get(r.seq);
    const text = textOfRecord(r);
    if (!fs || text === undefined) return;
    for (const f of fs) located.set(f, detach(text.slice(f.target.range![0], f.target.range![1])));
  });
}
