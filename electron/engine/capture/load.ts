// Reading capture files from disk, with errors that say what to do.
import { readFileSync } from 'node:fs';
import {
  CaptureFormatError,
  CaptureReadBuilder,
  readCapture,
  type ReadCapture,
} from '../../../shared/capture/index.js';

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
export async function loadCaptureFile(path: string): Promise<ReadCapture> {
  const b = new CaptureReadBuilder();
  try {
    const { forEachLine } = await import('./lines.js');
    const { endsWithNewline } = await forEachLine(path, (line) => b.push(line));
    return b.finish(endsWithNewline);
  } catch (e) {
    if (e instanceof CaptureFormatError) throw new CaptureFileError(`${path}: ${e.message}`);
    throw e;
  }
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
