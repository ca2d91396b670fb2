// The encrypted OutputSink (`export --encrypt-to`): plaintext pieces are encrypted as they come and
// only the age file is written; `ready()` makes the producer wait while more than a few MiB are
// queued (the memory bound); `abort()` removes the partial file; a bad recipient is a clear error.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptFile, generateIdentity } from '../../electron/engine/capture/age.js';
import { ExportError, OutputSink } from '../../electron/engine/export/sink.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-sink-age-');

describe('OutputSink.encrypted', () => {
  it('writes only the age file, waits when the encrypter is behind, and decrypts to what was written', async () => {
    const { identity, recipient } = await generateIdentity();
    const path = join(dir, 'out.age');
    const sink = await OutputSink.encrypted(path, [recipient]);
    expect(sink.encrypted).toBe(true);
    const piece = 'x'.repeat(1024 * 1024 - 1) + '\n';
    let waited = 0;
    for (let i = 0; i < 24; i++) {
      sink.write(piece);
      const p = sink.ready();
      if (p) {
        waited++;
        await p;
      }
    }
    expect(waited).toBeGreaterThan(0); // the producer was held back at least once
    await sink.end();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const raw = readFileSync(path);
    expect(raw.subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');
    expect(raw.includes(Buffer.from('xxxxxxxx'))).toBe(false);
    expect(sink.bytes).toBe(24 * piece.length);
    expect(sink.written).toBe(raw.length);
    let n = 0;
    let ok = true;
    for await (const c of decryptFile(path, [identity])) {
      n += c.length;
      ok &&= c.every(
        (b, i) => b === ((n - c.length + i) % piece.length === piece.length - 1 ? 10 : 120),
      );
    }
    expect(n).toBe(24 * piece.length);
    expect(ok).toBe(true);
  });

  it('abort removes the partial file', async () => {
    const { recipient } = await generateIdentity();
    const path = join(dir, 'partial.age');
    const sink = await OutputSink.encrypted(path, [recipient]);
    sink.write('y'.repeat(3 * 1024 * 1024));
    await sink.ready();
    expect(existsSync(path)).toBe(true);
    sink.abort();
    expect(existsSync(path)).toBe(false);
  });

  it('a recipient age cannot use is an ExportError and leaves no file', async () => {
    const path = join(dir, 'bad.age');
    await expect(OutputSink.encrypted(path, ['age1notarecipient'])).rejects.toThrow(ExportError);
    expect(existsSync(path)).toBe(false);
  });
});
