// A streamed export's output that must come after something known only at the end (the OTLP
// session span and the vitest header are written first but finished last): the pieces wait in an
// owner-only temporary file, not in memory, and are copied into the output at the end. On POSIX
// the file is unlinked as soon as it is open, so nothing is left behind whatever happens.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1024 * 1024;

export class Spool {
  private fd: number | undefined;
  private readonly dir: string;
  private buf: string[] = [];
  private bufLen = 0;
  private written = 0;
  private unlinked = false;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'mcpscope-export-'));
    const path = join(this.dir, 'spool');
    this.fd = openSync(path, 'w+', 0o600);
    try {
      unlinkSync(path);
      rmSync(this.dir, { recursive: true, force: true });
      this.unlinked = true;
    } catch {
      // Windows keeps an open file: removed by close().
    }
  }

  write(text: string): void {
    if (text.length === 0) return;
    this.buf.push(text);
    this.bufLen += text.length;
    if (this.bufLen >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0 || this.fd === undefined) return;
    const piece = Buffer.from(this.buf.join(''), 'utf8');
    this.buf = [];
    this.bufLen = 0;
    writeSync(this.fd, piece, 0, piece.length, this.written);
    this.written += piece.length;
  }

  /** Everything written, in order, handed to `out` in pieces of about 1 MiB; then closed. */
  drainTo(out: (text: string) => void): void {
    this.flush();
    const fd = this.fd;
    if (fd === undefined) return;
    const b = Buffer.alloc(CHUNK);
    const dec = new StringDecoder('utf8');
    for (let pos = 0; pos < this.written;) {
      const n = readSync(fd, b, 0, b.length, pos);
      if (n === 0) break;
      pos += n;
      out(dec.write(b.subarray(0, n)));
    }
    out(dec.end());
    this.close();
  }

  close(): void {
    this.buf = [];
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (!this.unlinked) rmSync(this.dir, { recursive: true, force: true });
    this.unlinked = true;
  }
}
