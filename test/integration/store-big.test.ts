// The team store takes captures of any size: a capture over 600 MB (past V8's 512 MiB string
// limit) is pushed and pulled back byte for byte by CLIs with a 256 MB heap. Push and pull stream
// the file and the rows in batches of bounded bytes; the whole-file push could not read it at all.
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';
import { pgMissing, startPg, type TestPg } from '../helpers/postgres.js';
// @ts-expect-error: a plain .mjs helper shared with the bench (typed loosely here)
import { writeBigCapture } from '../bench/gen-big-capture.mjs';

const missing = pgMissing();
if (missing && process.env.CI === 'true')
  throw new Error(`team-store tests need PostgreSQL: ${missing}`);

/** Compares two files chunk by chunk (neither is held whole). */
async function sameBytes(a: string, b: string): Promise<boolean> {
  if (statSync(a).size !== statSync(b).size) return false;
  const ia = createReadStream(a, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  const ib = createReadStream(b, { highWaterMark: 1 << 22 })[Symbol.asyncIterator]();
  let bufA: Buffer = Buffer.alloc(0);
  let bufB: Buffer = Buffer.alloc(0);
  for (;;) {
    if (bufA.length === 0) {
      const n = await ia.next();
      if (!n.done) bufA = n.value as Buffer;
    }
    if (bufB.length === 0) {
      const n = await ib.next();
      if (!n.done) bufB = n.value as Buffer;
    }
    if (bufA.length === 0 || bufB.length === 0) return bufA.length === bufB.length;
    const k = Math.min(bufA.length, bufB.length);
    if (!bufA.subarray(0, k).equals(bufB.subarray(0, k))) return false;
    bufA = bufA.subarray(k);
    bufB = bufB.subarray(k);
  }
}

describe.skipIf(missing !== undefined)('team store: a capture over 600 MB', () => {
  const dir = scratchDir('mcpscope-store-big-');
  const env = { MCPSCOPE_HOME: join(dir, 'home') };
  const capture = join(dir, 'big.mcpscope.jsonl');
  let db: TestPg;
  let id = '';
  let records = 0;

  beforeAll(async () => {
    db = await startPg();
  }, 120_000);
  afterAll(() => db?.stop());

  it('push with a 256 MB heap stores every record', async () => {
    const r = writeBigCapture(capture, 610) as { records: number };
    records = r.records;
    expect(statSync(capture).size).toBeGreaterThan(600 * 1e6);
    const pushed = await runCli(['push', capture, '--to', db.url], {
      env,
      heapMb: 256,
      timeoutMs: 600_000,
    });
    expect(pushed.code, `${pushed.stdout}${pushed.stderr}`).toBe(0);
    const m = /→ session ([0-9a-f]+) \((\d+) records\)/.exec(`${pushed.stdout}${pushed.stderr}`);
    expect(m, `${pushed.stdout}${pushed.stderr}`).not.toBeNull();
    id = m![1]!;
    expect(Number(m![2])).toBe(r.records);
  }, 600_000);

  it('pull with a 256 MB heap gives the same bytes back, with the same verify verdict', async () => {
    const out = join(dir, 'pulled.mcpscope.jsonl');
    const pulled = await runCli(['pull', id, '--from', db.url, '--out', out], {
      env,
      heapMb: 256,
      timeoutMs: 600_000,
    });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(await sameBytes(out, capture)).toBe(true);
    // The generated capture is unsigned (as a recorder without a key writes it), so `verify` calls
    // it unattested; the copy must get the very same verdict and final hash.
    const vOut = await runCli(['verify', out], { env, heapMb: 256, timeoutMs: 600_000 });
    const vIn = await runCli(['verify', capture], { env, heapMb: 256, timeoutMs: 600_000 });
    expect(vOut.code).toBe(vIn.code);
    expect(vOut.stdout.replaceAll(out, 'FILE')).toBe(vIn.stdout.replaceAll(capture, 'FILE'));
    expect(vOut.stdout).toContain(`${records} records checked`);
  }, 600_000);
});
