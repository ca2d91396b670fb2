// `export --encrypt-to` streams: each piece of the export is encrypted as it is produced and
// written to the age file, so
// - every format, encrypted, decrypts to what the plain export of the same capture writes;
// - a capture bigger than the V8 heap is exported encrypted with a 96 MB heap (the exporter that
//   built the output as one string before encrypting it ran out of heap there), and decrypts to
//   the plain export byte for byte;
// - a failing export leaves no file behind, encrypted or plain.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptFile, readIdentityFile } from '../../electron/engine/capture/age.js';
import { runCli } from '../helpers/cli.js';
import { ROOT, scratchDir } from '../helpers/paths.js';
// @ts-expect-error: a plain .mjs helper shared with the bench (typed loosely here)
import { writeBigCapture } from '../bench/gen-big-capture.mjs';

const CAPTURE = join(ROOT, 'test/fixtures/export/golden.mcpscope.jsonl');
const dir = scratchDir('mcpscope-export-encrypt-');
const env = { MCPSCOPE_HOME: join(dir, 'home') };
const cli = (args: string[]) => runCli(args, { env, timeoutMs: 120_000 });
const identity = join(dir, 'alice.key');
let recipient = '';

beforeAll(async () => {
  const a = await cli(['key', 'age-keygen', '--out', identity]);
  expect(a.code, a.stderr).toBe(0);
  recipient = /Public key: (age1\w+)/.exec(a.stderr)![1]!;
}, 60_000);

async function decrypted(path: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of decryptFile(path, readIdentityFile(identity))) parts.push(c);
  return Buffer.concat(parts);
}

/** What differs between two runs of the same export: the report's generation time. */
const normalize = (s: string) =>
  s
    .replace(/Generated \d{4}-\d\d-\d\dT[\d:.]+Z/g, 'Generated TIME')
    .replace(/"(startTimeUnixNano|endTimeUnixNano|timeUnixNano)":"\d+"/g, '"$1":"T"');

describe('export --encrypt-to, every format', () => {
  for (const format of ['jsonl', 'html', 'md', 'sarif', 'otlp', 'vitest'] as const) {
    it(`${format}: only the age file is written, and it decrypts to the plain export`, async () => {
      const plain = join(dir, `plain.${format}`);
      const sealed = join(dir, `sealed.${format}.age`);
      const p = await cli(['export', CAPTURE, '--format', format, '--out', plain]);
      expect(p.code, p.stderr).toBe(0);
      const before = new Set(readdirSync(dir));
      const e = await cli([
        'export',
        CAPTURE,
        '--format',
        format,
        '--encrypt-to',
        recipient,
        '--out',
        sealed,
      ]);
      expect(e.code, e.stderr).toBe(0);
      expect(e.stderr).toContain(`wrote ${sealed} encrypted with age to 1 recipient`);
      expect(readdirSync(dir).filter((n) => !before.has(n))).toEqual([`sealed.${format}.age`]);
      expect(statSync(sealed).mode & 0o777).toBe(0o600);
      const bytes = readFileSync(sealed);
      expect(bytes.subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');
      expect(bytes.includes(Buffer.from('tools/call'))).toBe(false);
      // The size printed is the age file's.
      expect(e.stderr).toContain(`(${format}, ${bytes.length} bytes,`);
      expect(normalize((await decrypted(sealed)).toString('utf8'))).toBe(
        normalize(readFileSync(plain, 'utf8')),
      );
    }, 120_000);
  }

  it('the redacted jsonl, encrypted, gets the verdict of its plain export with --identity', async () => {
    const sealed = join(dir, 'sealed.jsonl.age');
    const plain = join(dir, 'plain.jsonl');
    expect(existsSync(sealed)).toBe(true);
    const v = await cli(['verify', sealed, '--identity', identity]);
    const p = await cli(['verify', plain]);
    expect(v.stdout).toMatch(/final hash {2}[0-9a-f]{64}/);
    expect(v.stdout.replace(sealed, 'FILE')).toBe(p.stdout.replace(plain, 'FILE'));
    expect(v.code).toBe(p.code);
  }, 60_000);

  it('--out - is refused with what to do; a capture that fails leaves no file', async () => {
    const toStdout = await cli(['export', CAPTURE, '--encrypt-to', recipient, '--out', '-']);
    expect(toStdout.code).toBe(2);
    expect(toStdout.stderr).toContain('give --out PATH (not -)');
    // A HAR needs an HTTP session: the stdio capture fails after the age file was opened.
    const sealed = join(dir, 'failed.har.age');
    const r = await cli([
      'export',
      CAPTURE,
      '--format',
      'har',
      '--encrypt-to',
      recipient,
      '--out',
      sealed,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mcpscope export: .*HTTP/);
    expect(existsSync(sealed)).toBe(false);
  }, 60_000);
});

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

describe('export --encrypt-to of a capture larger than the heap', () => {
  const capture = join(dir, 'big.mcpscope.jsonl');

  it('runs with a 96 MB heap and decrypts to the plain export', async () => {
    writeBigCapture(capture, 130);
    expect(statSync(capture).size).toBeGreaterThan(128 * 1e6);
    const sealed = join(dir, 'big.age');
    const r = await runCli(
      ['export', capture, '--no-redact', '--encrypt-to', recipient, '--out', sealed],
      { env, heapMb: 96, timeoutMs: 400_000 },
    );
    expect(r.stderr).toContain('encrypted with age to 1 recipient');
    expect(r.code).toBe(0);
    const plain = join(dir, 'big.plain.jsonl');
    const p = await runCli(
      ['export', capture, '--no-redact', '--format', 'jsonl', '--out', plain],
      { env, heapMb: 96, timeoutMs: 400_000 },
    );
    expect(p.code, p.stderr).toBe(0);
    const h = createHash('sha256');
    let n = 0;
    for await (const c of decryptFile(sealed, readIdentityFile(identity))) {
      h.update(c);
      n += c.length;
    }
    expect(n).toBe(statSync(plain).size);
    expect(h.digest('hex')).toBe(await sha256File(plain));
  }, 600_000);
});
