// Tolerant capture reader: every problem is reported with its line, nothing already readable is
// lost. A truncated last line (a recorder killed mid-write) is a warning, not a failure.

import { splitHash } from './codec.js';
import { migrateRecord } from './migrate.js';
import { CAPTURE_FORMAT, CAPTURE_VERSION, type EventRecord, type HeaderRecord } from './types.js';
import { recordProblem } from './validate.js';

export interface CaptureProblem {
  /** 1-based line number. */
  line: number;
  message: string;
}

export interface ReadCapture {
  header?: HeaderRecord;
  /** The version the file was written in (records are migrated to the current one). */
  fileVersion?: number;
  records: EventRecord[];
  /** Lines that could not be read; reading went on past them. */
  problems: CaptureProblem[];
  /** Set when the last line is an incomplete record (no newline, not parseable). */
  truncatedTail?: CaptureProblem;
  /** True when the file ends with an `end` record (the recorder shut down cleanly). */
  closed: boolean;
}

/** Fatal problems: the text is not a capture at all, or was written by a newer mcpscope. */
export class CaptureFormatError extends Error {}

/** Split text into lines, tolerating CRLF (a file opened and saved on Windows). */
export function captureLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function readHeader(line: string | undefined): HeaderRecord {
  return parseHeader(line).header;
}

/** The header, migrated to the current version, and the version the file was written in. */
function parseHeader(line: string | undefined): { header: HeaderRecord; fileVersion: number } {
  const o = line === undefined ? undefined : parseObject(line);
  if (!o || o.format !== CAPTURE_FORMAT) {
    throw new CaptureFormatError(
      'not an mcpscope capture: the first line must be a JSON header with "format":"mcpscope-capture"',
    );
  }
  const version = o.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new CaptureFormatError('capture header has no valid "version"');
  }
  if (version > CAPTURE_VERSION) {
    throw new CaptureFormatError(
      `capture format v${version} is newer than this mcpscope understands (v${CAPTURE_VERSION}); upgrade mcpscope`,
    );
  }
  const split = line === undefined ? undefined : splitHash(line);
  const { hash: _hash, ...rest } = o;
  const migrated = migrateRecord(rest, version);
  const problem = split ? recordProblem(migrated) : 'header has no hash';
  if (problem) throw new CaptureFormatError(`invalid capture header: ${problem}`);
  return { header: migrated as unknown as HeaderRecord, fileVersion: version };
}

/**
 * Reads a capture line by line (push each line without its newline, then finish), so a file of
 * any size can be fed from a stream. The header line throws CaptureFormatError when it is not one.
 */
export class CaptureReadBuilder {
  private out: ReadCapture | undefined;
  private lastType: string | undefined;

  /** The header, once the first line was pushed. */
  get header(): HeaderRecord | undefined {
    return this.out?.header;
  }

  private fileVersion = CAPTURE_VERSION;
  private pending: string | undefined;
  private n = 0;

  /**
   * With `onRecord`, each record is handed over (with its 1-based line number and its line) and
   * not kept, so a stream of any length reads in bounded memory; `finish().records` is then empty.
   */
  constructor(
    private readonly onRecord?: (record: EventRecord, line: number, text: string) => void,
  ) {}

  push(rawLine: string): void {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (this.out === undefined) {
      const { header, fileVersion } = parseHeader(line);
      this.fileVersion = fileVersion;
      this.out = { header, fileVersion, records: [], problems: [], closed: false };
      this.n = 1;
      return;
    }
    if (this.pending !== undefined) this.record(this.pending, false, true);
    this.pending = line;
  }

  finish(endsWithNewline: boolean): ReadCapture {
    if (this.out === undefined) parseHeader(undefined);
    const out = this.out!;
    if (this.pending !== undefined) this.record(this.pending, true, endsWithNewline);
    this.pending = undefined;
    out.closed = this.lastType === 'end';
    return out;
  }

  private record(line: string, isLast: boolean, endsWithNewline: boolean): void {
    const out = this.out!;
    const lineNo = ++this.n;
    const o = parseObject(line);
    if (!o) {
      if (isLast && !endsWithNewline)
        out.truncatedTail = {
          line: lineNo,
          message: 'the last line is incomplete (the recording was cut off mid-write)',
        };
      else out.problems.push({ line: lineNo, message: 'not a JSON object' });
      return;
    }
    const { hash, ...rest } = o;
    if (typeof hash !== 'string') {
      out.problems.push({ line: lineNo, message: 'record has no "hash"' });
      return;
    }
    let rec: Record<string, unknown>;
    try {
      rec = migrateRecord(rest, this.fileVersion);
    } catch (e) {
      out.problems.push({ line: lineNo, message: (e as Error).message });
      return;
    }
    const problem = recordProblem(rec);
    if (problem) {
      out.problems.push({ line: lineNo, message: problem });
      return;
    }
    const r = rec as unknown as EventRecord;
    this.lastType = r.type;
    if (this.onRecord) this.onRecord(r, lineNo, line);
    else out.records.push(r);
  }
}

export function readCapture(text: string): ReadCapture {
  const b = new CaptureReadBuilder();
  for (const line of captureLines(text)) b.push(line);
  return b.finish(text.endsWith('\n'));
}
