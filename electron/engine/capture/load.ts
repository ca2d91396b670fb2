// Reading capture files from disk, with errors that say what to do.
import { readFileSync } from 'node:fs';
import { CaptureFormatError, readCapture, type ReadCapture } from '../../../shared/capture/index.js';

export class CaptureFileError extends Error {}

export function readCaptureText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new CaptureFileError(`${path}: no such file. Check the path (captures live in the folder printed by \`mcpscope record\`).`);
    if (err.code === 'EISDIR') throw new CaptureFileError(`${path}: is a directory; give a .mcpscope.jsonl file.`);
    if (err.code === 'EACCES') throw new CaptureFileError(`${path}: permission denied.`);
    throw new CaptureFileError(`${path}: cannot read: ${err.message}`);
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
