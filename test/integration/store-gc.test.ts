// `mcpscope gc --from postgres://…` against a real PostgreSQL: the retention policy applied to a
// team store's sessions. Dry run deletes nothing; --max-age deletes old sessions with all their
// rows; --max-sessions keeps the newest N; a session that may still be recording (incomplete,
// written to recently) is never deleted; bad input gives usage errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installSigner } from '../../electron/engine/capture/key.js';
import { openStore } from '../../electron/engine/store/pg.js';
import { pushCapture } from '../../electron/engine/store/push.js';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';
import { scratchDir } from '../helpers/paths.js';
import { pgMissing, startPg, type TestPg, pgQuery } from '../helpers/postgres.js';
import { makeCapture } from '../unit/renderer-fixtures.js';

const missing = pgMissing();
if (missing && process.env.CI === 'true')
  throw new Error(`team-store tests need PostgreSQL: ${missing}`);

const DAY = 86_400_000;
const dir = scratchDir();
let db: TestPg;

const query = <T extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<T[]> =>
  pgQuery<T>(db.url, sql, args);

/** Pushes a complete session `id` recorded `ageDays` ago, with a finding (a leaked token). */
async function pushSession(id: string, ageDays: number): Promise<void> {
  const created = Date.now() - ageDays * DAY;
  const c = makeCapture(id, `srv-${id.slice(0, 4)}`);
  c.header.ts = created;
  c.header.created = new Date(created).toISOString();
  c.frame('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo' } });
  c.frame('s2c', {
    jsonrpc: '2.0',
    id: 1,
    result: { content: [{ type: 'text', text: 'token ghp_1234567890abcdefghijABCDEFGHIJ123456' }] },
  });
  c.add({ type: 'end', reason: 'done' });
  const path = join(dir, `${id}.mcpscope.jsonl`);
  writeFileSync(path, c.text(installSigner()));
  const client = await openStore(db.url);
  try {
    expect((await pushCapture(client, path)).stored).toBe(true);
  } finally {
    await client.end();
  }
}

/** An incomplete (live --sink) session created `ageDays` ago, last written `lastDays` ago. */
async function liveSession(id: string, ageDays: number, lastDays: number): Promise<void> {
  await query(
    `INSERT INTO mcpscope_sessions (id, created, transport, server, source, records, final_hash, bytes, trailing_newline, complete, pushed_at)
     VALUES ($1, $2, 'stdio', 'live', '{}', 1, '', 0, true, false, $3)`,
    [id, new Date(Date.now() - ageDays * DAY), new Date(Date.now() - lastDays * DAY)],
  );
  await query(
    `INSERT INTO mcpscope_records (session_id, line_no, line) VALUES ($1, 0, '{"type":"header"}')`,
    [id],
  );
}

const ids = async () =>
  (await query<{ id: string }>('SELECT id FROM mcpscope_sessions ORDER BY id')).map((r) => r.id);

/** Rows any table still holds for session `id`. */
async function rowsOf(id: string): Promise<number> {
  let n = 0;
  for (const t of [
    'mcpscope_sessions',
    'mcpscope_records',
    'mcpscope_messages',
    'mcpscope_findings',
    'mcpscope_data_flows',
  ]) {
    const col = t === 'mcpscope_sessions' ? 'id' : 'session_id';
    const r = await query<{ n: string }>(`SELECT count(*) AS n FROM ${t} WHERE ${col} = $1`, [id]);
    n += Number(r[0]!.n);
  }
  return n;
}

const gc = (args: string[]) => runCli(['gc', '--from', db.url, ...args], { timeoutMs: 60_000 });

describe.skipIf(missing !== undefined)('mcpscope gc --from (team store retention)', () => {
  beforeAll(async () => {
    db = await startPg();
    await pushSession('a0a0000000000001', 100);
    await pushSession('b0b0000000000002', 50);
    await pushSession('c0c0000000000003', 1);
    // Recording for 200 days and written to a minute ago: may still be recording.
    await liveSession('d0d0000000000004', 200, 1 / 1440);
    // Its recorder lost the database 40 days ago: aged by that last write.
    await liveSession('e0e0000000000005', 200, 40);
  }, 120_000);
  afterAll(() => db?.stop());

  it('--dry-run lists what would go and deletes nothing', async () => {
    const before = await rowsOf('a0a0000000000001');
    expect(before).toBeGreaterThan(4); // session, records, messages, findings, data flows
    const r = await gc(['--dry-run', '--max-age', '30d']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^policy: delete sessions older than 30 days\n/);
    expect(r.stdout).toMatch(/would delete 3 sessions \(.*\) of 5 in postgres:\/\//);
    expect(r.stdout).toMatch(
      /\n {2}age\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+[\d.]+ KB {2}a0a0000000000001 {2}srv-a0a0\n/,
    );
    expect(r.stdout).toContain('b0b0000000000002');
    expect(r.stdout).toContain('  age    ');
    expect(r.stdout).toMatch(
      /kept, no end record and written \d+ min ago: may still be recording: .*d0d0000000000004/,
    );
    expect(r.stdout).toContain('dry run: nothing was deleted');
    expect(await ids()).toHaveLength(5);
    expect(await rowsOf('a0a0000000000001')).toBe(before);
  }, 120_000);

  it('--max-age deletes old sessions with all their rows, and only them', async () => {
    const r = await gc(['--max-age', '30d', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      deleted: { id: string; reason: string }[];
      protected: { id: string }[];
      kept: number;
      total: number;
      errors: unknown[];
    };
    expect(report.deleted.map((d) => [d.id, d.reason])).toEqual([
      ['a0a0000000000001', 'age'],
      ['b0b0000000000002', 'age'],
      ['e0e0000000000005', 'age'],
    ]);
    expect(report.protected.map((p) => p.id)).toEqual(['d0d0000000000004']);
    expect(report).toMatchObject({ kept: 2, total: 5, errors: [] });
    for (const id of ['a0a0000000000001', 'b0b0000000000002', 'e0e0000000000005'])
      expect(await rowsOf(id)).toBe(0);
    expect(await ids()).toEqual(['c0c0000000000003', 'd0d0000000000004']);
    // What stayed is whole: it still pulls and verifies.
    const out = join(dir, 'c-pulled.mcpscope.jsonl');
    expect((await runCli(['pull', 'c0c0000000000003', '--from', db.url, '--out', out])).code).toBe(
      0,
    );
    expect((await runCli(['verify', out])).code).toBe(0);
    // Nothing older is left: a second run has nothing to do.
    expect((await gc(['--max-age', '30d'])).stdout).toContain('deleted 0 sessions');
  }, 120_000);

  it('--max-sessions keeps the newest N (a live session counts and is kept)', async () => {
    await pushSession('f0f0000000000006', 10);
    await pushSession('a1a1000000000007', 2);
    // Now: c (1 day), a1 (2 days), f (10 days), d (live).
    const r = await gc(['--max-sessions', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^policy: delete sessions beyond the newest 3\n/);
    expect(r.stdout).toMatch(/deleted 1 session \(.*\) of 4/);
    expect(r.stdout).toMatch(/ {2}count {2}.* f0f0000000000006/);
    expect(await ids()).toEqual(['a1a1000000000007', 'c0c0000000000003', 'd0d0000000000004']);
    expect(await rowsOf('f0f0000000000006')).toBe(0);
  }, 120_000);

  it('explains bad input and an unreachable store', async () => {
    const none = await gc([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/gc --from needs a limit: --max-age AGE .* --max-sessions N/);
    const size = await gc(['--max-size', '1GB']);
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/--max-size applies to the captures folder/);
    const bad = await gc(['--max-sessions', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/max sessions "0": give a whole number of sessions to keep/);
    const noStore = await runCli(['gc', '--max-sessions', '3']);
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toMatch(/--max-sessions applies to a team store \(--from/);
    const url = await runCli(['gc', '--from', 'mysql://x', '--max-age', '1d']);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/--from: "mysql:\/\/x" is not a PostgreSQL URL/);
    const port = await freePort();
    const down = await runCli(
      ['gc', '--from', `postgres://u:secret@127.0.0.1:${port}/db`, '--max-age', '1d'],
      { timeoutMs: 60_000 },
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the team store postgres:\/\/\*\*\*@127\.0\.0\.1/);
    expect(down.stderr).not.toContain('secret');
    expect(await ids()).toHaveLength(3);
  }, 120_000);
});
