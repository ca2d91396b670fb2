// Where a streamed export's output goes: a file (owner-only, written in 1 MiB pieces), the
// caller's writer (stdout), or a string (only for callers that want the text back, e.g. tests).

import { chmodSync, closeSync, openSync, unlinkSync, writeSync } from 'node:fs';

export class ExportError extends Error {}

const CHUNK = 1024 * 1024;

export class OutputSink {
  bytes = 0;
  private buf: string[] = [];
  private bufLen = 0;
  private fd: number | undefined;
  private readonly kept: string[] = [];

  private constructor(
    private readonly mode: 'file' | 'writer' | 'string',
    private readonly writer?: (chunk: string) => void,
    readonly path?: string,
  ) {}

  /** Exports can hold evidence: owner-only, whatever the umask. */
  static file(path: string): OutputSink {
    const s = new OutputSink('file', undefined, path);
    try {
      s.fd = openSync(path, 'w', 0o600);
      chmodSync(path, 0o600);
    } catch (e) {
      throw new ExportError(`cannot write ${path}: ${(e as Error).message}. Choose another --out.`);
    }
    return s;
  }

  static writer(write: (chunk: string) => void): OutputSink {
    return new OutputSink('writer', write);
  }

  static string(): OutputSink {
    return new OutputSink('string');
  }

  write(text: string): void {
    if (text.length === 0) return;
    this.bytes += Buffer.byteLength(text);
    this.buf.push(text);
    this.bufLen += text.length;
    if (this.bufLen >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const piece = this.buf.join('');
    this.buf = [];
    this.bufLen = 0;
    if (this.mode === 'file') writeSync(this.fd!, piece);
    else if (this.mode === 'writer') this.writer!(piece);
    else this.kept.push(piece);
  }

  /** Flush and close; returns the text in string mode. */
  close(): string | undefined {
    this.flush();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    return this.mode === 'string' ? this.kept.join('') : undefined;
  }

  /** After a failure: close, and remove a half-written file. */
  abort(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    try {
      unlinkSync(this.path!);
    } catch {
      // already gone
    }
  }
}
