// Appends hash-chained records to a capture file with synchronous writes (one per record, or one
// per `batch`), so a record is on disk (in the OS's hands) within the turn its event happened in,
// and a crash loses nothing before it. If the file cannot be written, recording stops but the caller's traffic must not: errors are
// reported once through `onError` and later appends become no-ops.

import * as crypto from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CAPTURE_EXTENSION,
  CAPTURE_FORMAT,
  CAPTURE_VERSION,
  chainBody,
  signBody,
  type CaptureSigner,
  type CaptureSource,
  type EventRecord,
  type HashFn,
  type HeaderRecord,
  type NewRecord,
} from '../../../shared/capture/index.js';
import { TOOL_VERSION } from '../version.js';
import { nowMs } from '../clock.js';
import { ensurePrivateDir, tightenFd } from '../fsperm.js';
import { installSigner } from './key.js';
import { IndexCounter, writeSidecar } from './sidecar.js';

// One-shot crypto.hash (Node >= 20.12) is about twice as fast as a Hash object for a line.
export const nodeSha256: HashFn =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'hex')
    : (s) => crypto.createHash('sha256').update(s).digest('hex');

export type RecordListener = (record: EventRecord | HeaderRecord, line: string) => void;

export interface CaptureWriterOptions {
  path: string;
  source: CaptureSource;
  onError?: (err: Error) => void;
  /** Signs the header, checkpoints and the end record. Default: the install's key; null: unsigned. */
  signer?: CaptureSigner | null;
  /** Keep the sidecar index (NAME.mcpscope.idx.json) beside a .mcpscope.jsonl file (default true). */
  index?: boolean;
}

/** A signed checkpoint after this many records… */
const CHECKPOINT_RECORDS = 1024;
/** …or when this much time passed since the last one (checked as records arrive). */
const CHECKPOINT_MS = 10_000;

export class CaptureWriter {
  readonly path: string;
  readonly header: HeaderRecord;
  private fd: number | undefined;
  private prevHash = '';
  private seq = 0;
  private lastTs = 0;
  private failed: Error | undefined;
  private closed = false;
  private readonly listeners = new Set<RecordListener>();
  /** Lines appended inside `batch`, written together when it ends. */
  private held: string[] | undefined;
  private readonly onError: (err: Error) => void;
  private readonly signer: CaptureSigner | undefined;
  private signerProblem: string | undefined;
  private lastSigned = { seq: 0, ts: 0 };
  /** The library's numbers, kept as records are written (see sidecar.ts). */
  private readonly index: IndexCounter | undefined;
  private indexDue = false;
  /** Records the writer wrote itself before anyone could subscribe (the "not signed" note). */
  readonly preamble: EventRecord[] = [];
  private constructing = true;

  constructor(opts: CaptureWriterOptions) {
    this.path = opts.path;
    this.onError = opts.onError ?? (() => undefined);
    if (opts.signer === undefined) {
      try {
        this.signer = installSigner();
      } catch (e) {
        this.signerProblem = (e as Error).message;
      }
    } else if (opts.signer !== null) this.signer = opts.signer;
    const ts = this.stamp();
    this.header = {
      seq: 0,
      ts,
      type: 'header',
      format: CAPTURE_FORMAT,
      version: CAPTURE_VERSION,
      tool: `mcpscope/${TOOL_VERSION}`,
      created: new Date(ts).toISOString(),
      id: crypto.randomBytes(8).toString('hex'),
      source: opts.source,
    };
    try {
      ensurePrivateDir(dirname(opts.path));
      // 'wx' would refuse an existing file; recorders name files uniquely, and an explicit --out
      // that exists is the user's choice to overwrite.
      this.fd = openSync(opts.path, 'w', 0o600);
      tightenFd(this.fd);
    } catch (e) {
      this.fail(e as Error);
    }
    if (opts.index !== false && opts.path.endsWith(CAPTURE_EXTENSION))
      this.index = new IndexCounter(this.header);
    this.writeLine(this.header, true);
    this.lastSigned = { seq: 0, ts };
    if (this.signerProblem)
      this.preamble.push(
        this.append({ type: 'note', text: `this capture is not signed: ${this.signerProblem}` }),
      );
    this.constructing = false;
  }

  /** The error that stopped recording, if any. */
  get error(): Error | undefined {
    return this.failed;
  }

  get records(): number {
    return this.seq;
  }

  /** Live subscribers (e.g. the app's live feed) see every record as written. */
  subscribe(listener: RecordListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(rec: NewRecord): EventRecord {
    const { ts, ...rest } = rec;
    // `seq` first in the text: verify reads the leading seq without parsing the line.
    const full = { seq: this.seq, ts: ts ?? this.stamp(), ...rest } as EventRecord;
    if (this.closed) return full;
    // A caller-given time counts too: later stamps (a checkpoint's) never go back before it, so
    // the 10 s checkpoint rule measures from the last record, not from the wall clock.
    if (full.ts > this.lastTs) this.lastTs = full.ts;
    const isEnd = full.type === 'end';
    this.writeLine(full, isEnd);
    if (
      !isEnd &&
      this.signer &&
      (this.seq - this.lastSigned.seq > CHECKPOINT_RECORDS ||
        full.ts - this.lastSigned.ts >= CHECKPOINT_MS)
    ) {
      this.writeLine({ seq: this.seq, ts: this.stamp(), type: 'sig' } as EventRecord, true);
    }
    return full;
  }

  /**
   * Appends made while `fn` runs reach the file in one write when it returns: the same lines, in
   * order, for one syscall instead of one each. Used for the records of one event-loop turn, so
   * a record is still in the OS's hands within the turn its event happened in.
   */
  batch(fn: () => void): void {
    if (this.held) {
      fn();
      return;
    }
    this.held = [];
    try {
      fn();
    } finally {
      const lines = this.held;
      this.held = undefined;
      if (lines.length > 0) this.write(lines.join(''));
    }
  }

  /** Write the end record and close the file. Safe to call twice. */
  close(reason: string): void {
    if (this.closed) return;
    this.append({ type: 'end', reason });
    this.closed = true;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Already reported if writes were failing; nothing more to save.
      }
      this.fd = undefined;
      if (this.index && !this.failed) writeSidecar(this.path, this.index);
    }
  }

  private stamp(): number {
    // Monotonic within the file even if the wall clock steps back.
    const t = Math.max(nowMs(), this.lastTs);
    this.lastTs = t;
    return t;
  }

  private writeLine(rec: EventRecord | HeaderRecord, sign = false): void {
    let body = JSON.stringify(rec);
    if (sign && this.signer) {
      body = signBody(body, this.prevHash, this.signer);
      this.lastSigned = { seq: rec.seq, ts: rec.ts };
      if (rec.type === 'sig') rec = JSON.parse(body) as EventRecord;
    }
    const { line, hash } = chainBody(body, this.prevHash, nodeSha256);
    this.prevHash = hash;
    this.seq++;
    if (this.index && rec.type !== 'header') {
      this.index.count(rec);
      // Refreshed at each signed checkpoint, once the lines are written (write() below).
      if (rec.type === 'sig') this.indexDue = true;
    }
    if (this.held) this.held.push(`${line}\n`);
    else this.write(`${line}\n`);
    for (const l of this.listeners) {
      try {
        l(rec, line);
      } catch {
        // A broken subscriber must never stop recording.
      }
    }
  }

  private write(text: string): void {
    if (this.fd === undefined || this.failed) return;
    try {
      writeSync(this.fd, text);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    if (this.indexDue && !this.constructing) {
      this.indexDue = false;
      writeSidecar(this.path, this.index!);
    }
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        /* ignore */
      }
      this.fd = undefined;
    }
    this.onError(err);
  }
}
