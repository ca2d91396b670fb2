// The live sink's worker follows the capture file itself (sink-worker.ts): only complete lines are
// stored, a line written in two pieces is stored once and whole, a line over the limit pauses live
// storing with a warning, and the final push completes the session byte for byte.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { StoreSink } from '../../electron/engine/store/sink.js';
import { makeSessionCapture } from '../helpers/factories.js';
import { scratchDir } from '../helpers/paths.js';
import { pgMissing, startPg, type TestPg } from '../helpers/postgres.js';

const missing = pgMissing();
if (missing && process.env.CI === 'true')
  throw new Error(`team-store tests need PostgreSQL: ${missing}`);

let db: TestPg;

async function storedLines(id: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const r = await c.query<{ line: string }>(
      'SELECT line FROM mcpscope_records WHERE session_id = $1 ORDER BY line_no',
      [id],
    );
    return r.rows.map((x) => x.line);
  } finally {
    await c.end();
  }
}

/** Waits (bounded: 20 s) until the store holds `n` lines of session `id`. */
async function until(id: string, n: number): Promise<string[]> {
  const end = Date.now() + 20_000;
  for (;;) {
    const lines = await storedLines(id).catch(() => []);
    if (lines.length >= n) return lines;
    if (Date.now() > end) throw new Error(`only ${lines.length} of ${n} lines stored within 20 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(missing !== undefined)('record --sink: the worker that follows the file', () => {
  beforeAll(async () => {
    db = await startPg();
  }, 120_000);
  afterAll(() => db?.stop());

  it('stores complete lines only, a split line whole, pauses on a huge line, then completes', async () => {
    const dir = scratchDir('mcpscope-sink-worker-');
    const cap = makeSessionCapture('5eed0000000000a1');
    // A long answer: over the test's 4 KiB line limit, so live storing pauses at it.
    cap.frame('s2c', { jsonrpc: '2.0', id: 77, result: { text: 'x'.repeat(6000) } });
    cap.add({ type: 'end', reason: 'done' });
    const lines = cap.text().trimEnd().split('\n');
    const big = lines.findIndex((l) => l.length > 6000);
    expect(big).toBeGreaterThan(4);
    const path = join(dir, 'live.mcpscope.jsonl');
    writeFileSync(path, `${lines.slice(0, 3).join('\n')}\n`);
    const warnings: string[] = [];
    const sink = new StoreSink({
      url: db.url,
      warn: (l) => warnings.push(l),
      flushMs: 20,
      maxLineBytes: 4096,
    });
    sink.attach({ header: cap.header, path } as unknown as CaptureWriter);
    expect(await until(cap.header.id, 3)).toEqual(lines.slice(0, 3));

    // Line 3 arrives in two writes: never stored half.
    const l3 = lines[3]!;
    appendFileSync(path, l3.slice(0, 10));
    // Several of the worker's looks (every 20 ms) see the half line; the check below fails if
    // any of them stored it.
    await new Promise((r) => setTimeout(r, 150));
    appendFileSync(path, `${l3.slice(10)}\n${lines[4]}\n`);
    expect(await until(cap.header.id, 5)).toEqual(lines.slice(0, 5));

    // The rest, with the huge line: everything before it is stored live, then a warning.
    appendFileSync(path, `${lines.slice(5).join('\n')}\n`);
    await until(cap.header.id, big);
    const end = Date.now() + 20_000;
    while (!warnings.some((w) => w.includes('paused')) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    expect(warnings.join('\n')).toMatch(/live storing into the team store paused \(a line over/);
    expect((await storedLines(cap.header.id)).length).toBe(big);

    // Closing: the final push stores the rest and completes the session, byte for byte.
    const r = await sink.close();
    expect(r).toMatchObject({ complete: true, liveLines: big });
    expect(`${(await storedLines(cap.header.id)).join('\n')}\n`).toBe(readFileSync(path, 'utf8'));
  }, 60_000);
});
