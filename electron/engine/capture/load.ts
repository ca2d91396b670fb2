// Reading capture files from disk, with errors that say what to do.
import { readFileSync } from 'node:fs';
import {
  CaptureFormatError,
  CaptureReadBuilder,
  ChainVerifier,
  readCapture,
  type ChainReport,
  type EventRecord,
  type HeaderRecord,
  type ReadCapture,
} from '../../../shared/capture/index.js';
import type { ReadOptions } from './lines.js';

export class CaptureFileError extends Error {}

export function describeReadError(path: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT')
    return `${path}: no such file. Check the path (captures live in the folder printed by \`mcpscope record\`).`;
  if (err.code === 'EISDIR') return `${path}: is a directory; give a .mcpscope.jsonl file.`;
  if (err.code === 'EACCES') return `${path}: permission denied.`;
  return `${path}: cannot read: ${err.message}`;
}

export function readCaptureText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CaptureFileError(describeReadError(path, e as NodeJS.ErrnoException));
  }
}

/** Read a capture file as a stream, line by line: no size limit but the longest line. */
export async function loadCaptureFile(path: string, opts: ReadOptions = {}): Promise<ReadCapture> {
  const b = new CaptureReadBuilder();
  try {
    const { forEachLine } = await import('./lines.js');
    const { endsWithNewline } = await forEachLine(path, (line) => b.push(line), opts);
    return b.finish(endsWithNewline);
  } catch (e) {
    if (e instanceof CaptureFormatError) throw new CaptureFileError(`${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Read and verify a capture file in one streamed pass (the app's library): the records, and the
 * hash-chain report of the bytes as they are on disk. Never holds the file as one string.
 */
export async function loadAndVerifyFile(
  path: string,
  opts: ReadOptions = {},
  /** With a sink, records go to it instead of into `read.records` (bounded memory). */
  sink?: (r: EventRecord, header: HeaderRecord) => void,
): Promise<{ read: ReadCapture; integrity: ChainReport }> {
  const b: CaptureReadBuilder = new CaptureReadBuilder(
    sink ? (r) => sink(r, b.header!) : undefined,
  );
  const { nodeSha256 } = await import('./writer.js');
  const v = new ChainVerifier(nodeSha256);
  try {
    const { forEachLine } = await import('./lines.js');
    const { endsWithNewline } = await forEachLine(
      path,
      (line) => {
        b.push(line);
        v.push(line);
      },
      opts,
    );
    return { read: b.finish(endsWithNewline), integrity: v.finish(endsWithNewline) };
  } catch (e) {
    if (e instanceof CaptureFormatError) throw new CaptureFileError(`${path}: ${e.message}`);
    throw e;
  }
}

/** The hash-chain report of a capture file, streamed. */
export async function verifyFile(path: string, opts: ReadOptions = {}): Promise<ChainReport> {
  const { nodeSha256 } = await import('./writer.js');
  const v = new ChainVerifier(nodeSha256);
  const { forEachLine } = await import('./lines.js');
  const { endsWithNewline } = await forEachLine(path, (line) => v.push(line), opts);
  return v.finish(endsWithNewline);
}

export function loadCapture(path: string): ReadCapture {
  const text = readCaptureText(path);
  try {
    return readCapture(text);
  } catch (e) {
    if (e instanceof CaptureFormatError) throw new CaptureFileError(`${path}: ${e.message}`);
    throw e;
  }
}
