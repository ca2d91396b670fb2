// The sidecar index beside a capture (NAME.mcpscope.idx.json): the numbers the library shows
// (counts, errors, methods, first/last time, server) plus the byte size and mtime of the capture
// they describe. The recorder writes it when it closes and at each signed checkpoint; the library
// builds a summary from the capture's header line plus the sidecar instead of parsing the whole
// file. It is a cache, never evidence: `verify` never reads it, and a sidecar that is missing,
// malformed, oversized, foreign or stale (size/mtime/id mismatch) only means a full parse.

import { closeSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  CAPTURE_EXTENSION,
  readHeader,
  type EventRecord,
  type HeaderRecord,
} from '../../../shared/capture/index.js';
import {
  SummaryCounter,
  summaryState,
  type SummaryState,
} from '../../../shared/capture/summary.js';

export const SIDECAR_EXTENSION = '.mcpscope.idx.json';
export const SIDECAR_VERSION = 1;
/** A sidecar is small; anything bigger is not ours. */
const MAX_SIDECAR_BYTES = 256 * 1024;
/** Distinct method names kept; the rest are counted under OTHER_METHODS. */
const MAX_METHODS = 200;
const OTHER_METHODS = '(other)';
/** The header line is read alone; a longer first line is not a capture header. */
const MAX_HEADER_BYTES = 1024 * 1024;

export function sidecarPath(capturePath: string): string {
  return capturePath.endsWith(CAPTURE_EXTENSION)
    ? capturePath.slice(0, -CAPTURE_EXTENSION.length) + SIDECAR_EXTENSION
    : `${capturePath}.idx.json`;
}

const str = (max: number) => z.string().max(max);
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const time = z.number().finite();

const sidecarSchema = z
  .object({
    kind: z.literal('mcpscope-index'),
    version: z.literal(SIDECAR_VERSION),
    captureId: str(128),
    size: count,
    mtimeMs: z.number().finite().nonnegative(),
    firstTs: time,
    lastTs: time,
    frames: count,
    errors: count,
    records: count,
    problems: count,
    ended: z.boolean(),
    server: z
      .object({ name: str(1024), version: str(1024).optional(), title: str(1024).optional() })
      .strict()
      .optional(),
    protocolVersion: str(128).optional(),
    methods: z
      .record(str(256), count)
      .refine((m) => Object.keys(m).length <= MAX_METHODS + 1, 'too many methods'),
  })
  .strict();

export type Sidecar = z.infer<typeof sidecarSchema>;

// A frame's method: the first "method" key in its text. Cheap (no JSON.parse per frame in the
// recorder) and good enough for a cache of counts; a frame that hides a nested "method" first
// counts under that name, which a full parse (the timeline) never relies on.
const METHOD_RE = /"method"\s*:\s*"((?:[^"\\]|\\.){1,200})"/;

/** Counts records the way the library does (SummaryCounter) plus the method names. */
export class IndexCounter {
  readonly counter: SummaryCounter;
  readonly methods = new Map<string, number>();
  problems = 0;

  constructor(readonly header: HeaderRecord) {
    this.counter = new SummaryCounter(header);
  }

  count(r: EventRecord): void {
    this.counter.count(r);
    if (r.type !== 'frame' || r.text === undefined) return;
    const m = METHOD_RE.exec(r.text.length > 4096 ? r.text.slice(0, 4096) : r.text);
    if (!m) return;
    let name = m[1]!;
    if (!this.methods.has(name) && this.methods.size >= MAX_METHODS) name = OTHER_METHODS;
    this.methods.set(name, (this.methods.get(name) ?? 0) + 1);
  }

  toSidecar(file: { size: number; mtimeMs: number }): Sidecar {
    const s = this.counter.snapshot();
    const out: Sidecar = {
      kind: 'mcpscope-index',
      version: SIDECAR_VERSION,
      captureId: this.header.id,
      size: file.size,
      mtimeMs: file.mtimeMs,
      firstTs: this.header.ts,
      lastTs: s.lastTs,
      frames: s.frames,
      errors: s.errors,
      records: s.nextSeq,
      problems: this.problems,
      ended: s.ended,
      methods: Object.fromEntries(this.methods),
    };
    if (s.server) out.server = s.server;
    if (s.protocolVersion !== undefined) out.protocolVersion = s.protocolVersion;
    return out;
  }
}

/** The summary numbers a sidecar holds, for SummaryCounter.restore. */
export function sidecarState(s: Sidecar): SummaryState {
  return summaryState({ ...s, nextSeq: s.records });
}

/**
 * Write the sidecar of `capturePath` (atomically). `file`: the size and mtime the counts describe
 * (default: the file as it is now). A cache: failures are ignored.
 */
export function writeSidecar(
  capturePath: string,
  index: IndexCounter,
  file?: { size: number; mtimeMs: number },
): boolean {
  const target = sidecarPath(capturePath);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    const st = file ?? statSync(capturePath);
    writeFileSync(tmp, JSON.stringify(index.toSidecar(st)), { mode: 0o600 });
    renameSync(tmp, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * The sidecar of a capture, only if it is well-formed and describes the file as it is now (same
 * size, mtime and header id). Anything else: undefined (the caller parses the capture).
 */
export function readSidecar(
  capturePath: string,
  file: { size: number; mtimeMs: number },
  headerId: string,
): Sidecar | undefined {
  const path = sidecarPath(capturePath);
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_SIDECAR_BYTES) return undefined;
    if (process.getuid && st.uid !== process.getuid()) return undefined;
    const parsed = sidecarSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) return undefined;
    const s = parsed.data;
    if (s.captureId !== headerId || s.size !== file.size || s.mtimeMs !== file.mtimeMs)
      return undefined;
    if (s.records < 1 || s.frames > s.records) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

/** The capture's header, from its first line only (at most 1 MiB read). Throws if it is not one. */
export function readHeaderLine(capturePath: string): HeaderRecord {
  const fd = openSync(capturePath, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(64 * 1024);
    while (total < MAX_HEADER_BYTES) {
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      chunks.push(Buffer.from(buf.subarray(0, nl >= 0 ? nl : n)));
      total += n;
      if (nl >= 0) break;
    }
    let line = Buffer.concat(chunks).toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    return readHeader(line);
  } finally {
    closeSync(fd);
  }
}
