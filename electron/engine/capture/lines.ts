// Read a capture file as a stream of lines: any file size works in memory bounded by the longest
// line (V8 cannot hold one string over 512 MiB, and captures grow past that). An age-encrypted
// capture is decrypted on the way, in memory, with the identities given (`--identity FILE`).

import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { ageKind, AgeError, decryptFile } from './age.js';
import { CaptureFileError, describeReadError } from './load.js';

export interface LineSink {
  line(text: string): void;
}

/** Calls `onLine` for every line (without "\n"); resolves with whether the file ended with a newline. */
export interface ReadOptions {
  /** age identities (AGE-SECRET-KEY-1…) for an encrypted capture. */
  identities?: readonly string[];
}

/** The file's bytes: plain, or decrypted in memory when it is an age file. */
function openBytes(path: string, opts: ReadOptions): AsyncIterable<Uint8Array> {
  const kind = ageKind(path);
  if (kind === 'armored')
    throw new AgeError(
      `${path}: this is an ASCII-armored age file; convert it first (\`age -d\` then encrypt without -a, or re-export with --encrypt-to)`,
      'damaged',
    );
  if (kind === 'age') return decryptFile(path, opts.identities);
  return createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>;
}

export async function forEachLine(
  path: string,
  onLine: (line: string) => void | Promise<void>,
  opts: ReadOptions = {},
): Promise<{ endsWithNewline: boolean; bytes: number }> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let bytes = 0;
  let lastByte = -1;
  try {
    for await (const chunk of openBytes(path, opts)) {
      bytes += chunk.length;
      if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
      let text = decoder.write(chunk);
      let start = 0;
      if (rest) {
        const nl = text.indexOf('\n');
        if (nl < 0) {
          rest += text;
          continue;
        }
        const p = onLine(rest + text.slice(0, nl));
        if (p) await p;
        rest = '';
        start = nl + 1;
      }
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        // A sink may be async (a detection batch): awaited, so memory stays bounded.
        const p = onLine(text.slice(start, nl));
        if (p) await p;
        start = nl + 1;
      }
      rest = text.slice(start);
      text = '';
    }
  } catch (e) {
    if (e instanceof CaptureFileError) throw e;
    // A sink's own error (a format that cannot take this capture) is not a read error.
    if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    throw new CaptureFileError(describeReadError(path, e as NodeJS.ErrnoException));
  }
  rest += decoder.end();
  if (rest) await onLine(rest);
  return { endsWithNewline: lastByte === 0x0a, bytes };
}
