// Where a streamed export's output goes: a file (owner-only, written in 1 MiB pieces), an
// age-encrypted file (`--encrypt-to`: each piece is encrypted as it comes, so the plaintext is
// never written and only a few MiB of it are held), the caller's writer (stdout), or a string
// (only for callers that want the text back, e.g. tests).

import { chmodSync, closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { AgeError, encryptStream, type AgeEncryptStream } from '../capture/age.js';

export class ExportError extends Error {}

const CHUNK = 1024 * 1024;

export class OutputSink {
  /** Bytes of output (the plaintext, when encrypted). */
  bytes = 0;
  /** Bytes written to the file (the age file's size, when encrypted). */
  written = 0;
  private buf: string[] = [];
  private bufLen = 0;
  private fd: number | undefined;
  private age: AgeEncryptStream | undefined;
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

  /** An owner-only file holding the output encrypted with age to the recipients, as it streams. */
  static async encrypted(path: string, recipients: readonly string[]): Promise<OutputSink> {
    const s = OutputSink.file(path);
    try {
      s.age = await encryptStream(recipients, (chunk) => {
        // After abort the fd is gone (and its number may be reused): write nothing more.
        if (s.fd === undefined) return;
        writeSync(s.fd, chunk);
        s.written += chunk.length;
      });
    } catch (e) {
      s.abort();
      throw e instanceof AgeError ? new ExportError(e.message) : e;
    }
    return s;
  }

  static writer(write: (chunk: string) => void): OutputSink {
    return new OutputSink('writer', write);
  }

  static string(): OutputSink {
    return new OutputSink('string');
  }

  get encrypted(): boolean {
    return this.age !== undefined;
  }

  write(text: string): void {
    if (text.length === 0) return;
    this.bytes += Buffer.byteLength(text);
    this.buf.push(text);
    this.bufLen += text.length;
    if (this.bufLen >= CHUNK) this.flush();
  }

  /**
   * Undefined when more may be written now; a promise while the encrypter is behind (a producer
   * that awaits it keeps memory bounded). Plain sinks write synchronously and never wait.
   */
  ready(): Promise<void> | undefined {
    return this.age?.ready();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const piece = this.buf.join('');
    this.buf = [];
    this.bufLen = 0;
    if (this.age) this.age.push(Buffer.from(piece, 'utf8'));
    else if (this.mode === 'file') {
      writeSync(this.fd!, piece);
      this.written += Buffer.byteLength(piece);
    } else if (this.mode === 'writer') this.writer!(piece);
    else this.kept.push(piece);
  }

  /** Flush and close (an encrypted sink: after its last chunk is written); the text in string mode. */
  async end(): Promise<string | undefined> {
    const age = this.age;
    if (age) {
      this.flush();
      await age.end();
      this.age = undefined;
    }
    return this.close();
  }

  /** Flush and close a plain sink; returns the text in string mode. */
  close(): string | undefined {
    if (this.age) throw new Error('an encrypted sink is closed with end()');
    this.flush();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    return this.mode === 'string' ? this.kept.join('') : undefined;
  }

  /** After a failure: close, and remove a half-written file (encrypted or not). */
  abort(): void {
    const age = this.age;
    this.age = undefined;
    this.buf = [];
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
      try {
        unlinkSync(this.path!);
      } catch {
        // already gone
      }
    }
    // The encrypter stops too; its last pieces find no fd and are dropped.
    if (age) void age.abort(new ExportError('export stopped'));
  }
}
