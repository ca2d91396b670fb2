// The live sink follows the capture file itself (sink-follow.ts): only complete lines are stored,
// a line written in two pieces is stored once and whole, a line over the limit pauses live storing
// with a warning, and the final push completes the session byte for byte. Lines some other pusher
// stored already, a session removed meanwhile, and bytes the database refuses pause or fall back,
// never lose the session.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { StoreSink } from '../../electron/engine/store/sink.js';
import { makeSessionCapture } from '../helpers/factories.js';
import { scratchDir } from '../helpers/paths.js';
import { pgMissing, startPg, type TestPg, pgQuery } from '../helpers/postgres.js';

const missing = pgMissing();
if (missing && process.env.CI === 'true')
  throw new Error(`team-store tests need PostgreSQL: ${missing}`);

let db: TestPg;

const sql = <T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> =>
  pgQuery<T>(db.url, text, values);

async function storedLines(id: string): Promise<string[]> {
  const rows = await sql<{ line: string }>(
    'SELECT line FROM mcpscope_records WHERE session_id = $1 ORDER BY line_no',
    [id],
  );
  return rows.map((x) => x.line);
}

/** Waits (bounded: 20 s) until one of `warnings` matches `re`. */
async function warned(warnings: string[], re: RegExp): Promise<void> {
  const end = Date.now() + 20_000;
  while (!warnings.some((w) => re.test(w))) {
    if (Date.now() > end)
      throw new Error(`no warning like ${re} within 20 s: ${warnings.join('; ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A sink (looking every 20 ms) following `path`, and the warnings it gives. */
function follow(cap: { header: CaptureWriter['header'] }, path: string) {
  const warnings: string[] = [];
  const sink = new StoreSink({ url: db.url, warn: (l) => warnings.push(l), flushMs: 20 });
  sink.attach({ header: cap.header, path } as unknown as CaptureWriter);
  return { sink, warnings };
}

/** A fresh capture of `n` + 6 lines, as text lines, and a file holding its first `first` lines. */
function capture(seed: string, first: number, n = 6) {
  const cap = makeSessionCapture(seed);
  for (let i = 0; i < n; i++)
    cap.frame('c2s', {
      jsonrpc: '2.0',
      id: 100 + i,
      method: 'tools/call',
      params: { name: 'echo' },
    });
  cap.add({ type: 'end', reason: 'done' });
  const lines = cap.text().trimEnd().split('\n');
  const path = join(scratchDir('mcpscope-sink-follow-'), 'live.mcpscope.jsonl');
  writeFileSync(path, `${lines.slice(0, first).join('\n')}\n`);
  return { cap, lines, path };
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

describe.skipIf(missing !== undefined)('record --sink: the follower of the capture file', () => {
  beforeAll(async () => {
    db = await startPg();
  }, 120_000);
  afterAll(() => db?.stop());

  it('stores complete lines only, a split line whole, pauses on a huge line, then completes', async () => {
    const dir = scratchDir('mcpscope-sink-follow-');
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
    // Several of the follower's looks (every 20 ms) see the half line; the check below fails if
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

  it('lines another pusher stored already: the batch falls back to storing only the rest', async () => {
    const { cap, lines, path } = capture('5eed0000000000b2', 3);
    // Another writer stored lines 0..1 of this session first (as a `push` of the growing file could).
    await sql(
      `INSERT INTO mcpscope_sessions (id, created, transport, source, records, final_hash, bytes, trailing_newline, complete)
       VALUES ($1, now(), 'stdio', '{}', 2, '', 0, true, false)`,
      [cap.header.id],
    );
    await sql(
      'INSERT INTO mcpscope_records (session_id, line_no, line) SELECT $1, * FROM unnest($2::int[], $3::text[])',
      [cap.header.id, [0, 1], lines.slice(0, 2)],
    );
    const { sink, warnings } = follow(cap, path);
    expect(await until(cap.header.id, 3)).toEqual(lines.slice(0, 3));
    appendFileSync(path, `${lines.slice(3).join('\n')}\n`);
    expect(await until(cap.header.id, lines.length)).toEqual(lines);
    const counted = await sql<{ records: number }>(
      'SELECT records FROM mcpscope_sessions WHERE id = $1',
      [cap.header.id],
    );
    expect(counted[0]?.records).toBe(lines.length);
    const r = await sink.close();
    expect(warnings).toEqual([]);
    expect(r.complete).toBe(true);
    expect(`${(await storedLines(cap.header.id)).join('\n')}\n`).toBe(readFileSync(path, 'utf8'));
  }, 60_000);

  it('a session removed meanwhile: live storing pauses, leaves no orphan lines, the final push stores it whole', async () => {
    const { cap, lines, path } = capture('5eed0000000000b3', 4);
    const { sink, warnings } = follow(cap, path);
    await until(cap.header.id, 4);
    // Deleting the session row deletes its records too (migration 3's trigger).
    await sql('DELETE FROM mcpscope_sessions WHERE id = $1', [cap.header.id]);
    expect(await storedLines(cap.header.id)).toEqual([]);
    appendFileSync(path, `${lines.slice(4).join('\n')}\n`);
    await warned(
      warnings,
      /paused \(the session was completed or removed in the store meanwhile\)/,
    );
    expect(await storedLines(cap.header.id)).toEqual([]);
    const r = await sink.close();
    expect(r.complete).toBe(true);
    expect(`${(await storedLines(cap.header.id)).join('\n')}\n`).toBe(readFileSync(path, 'utf8'));
  }, 60_000);

  it('bytes the database refuses pause live storing; recording and the lines before are kept', async () => {
    const { cap, lines, path } = capture('5eed0000000000b4', 4);
    const { sink, warnings } = follow(cap, path);
    expect(await until(cap.header.id, 4)).toEqual(lines.slice(0, 4));
    // Not UTF-8: PostgreSQL refuses the batch (SQLSTATE 22021), which is not the database going away.
    appendFileSync(
      path,
      Buffer.concat([Buffer.from('{"bad":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
    );
    await warned(
      warnings,
      /live storing into the team store paused \(the database refused a batch: invalid byte sequence/,
    );
    expect(warnings.join('\n')).not.toMatch(/unreachable/);
    expect(await storedLines(cap.header.id)).toEqual(lines.slice(0, 4));
    // The final push checks the file and refuses it (it does not verify); the session stays incomplete.
    const r = await sink.close();
    expect(r.complete).toBe(false);
    expect(warnings.join('\n')).toMatch(/does not verify/);
  }, 60_000);
});
