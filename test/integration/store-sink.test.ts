// `mcpscope record … --sink postgres://…` against a real PostgreSQL: the stdio recorder streams a
// live session into the store; the database stopped mid-session (pg_ctl stop) does not stop the
// recording (a warning, a complete capture file), and a later push catches up so that pull gives
// back the same bytes and verifies. The HTTP recorder sinks too, and the derived data (messages
// with pairing and latency, findings with their tool) is stored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/index.js';
import { runCli } from '../helpers/cli.js';
import { CLI, EVERYTHING, scratchDir } from '../helpers/paths.js';
import { pgMissing, startPg, type TestPg, pgQuery } from '../helpers/postgres.js';
import { TapTransport } from '../helpers/tap-transport.js';
import { startEverything, startRecorder, type Proc } from './record-http-harness.js';

const missing = pgMissing();
if (missing && process.env.CI === 'true')
  throw new Error(`team-store tests need PostgreSQL: ${missing}`);

const dir = scratchDir();
let db: TestPg;
const procs: Proc[] = [];

const query = <T extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<T[]> =>
  pgQuery<T>(db.url, sql, args);

/** Waits (bounded: 20 s) until the store holds at least `n` lines of the only live session. */
async function untilStored(n: number): Promise<string> {
  const end = Date.now() + 20_000;
  for (;;) {
    const rows = await query<{ id: string; records: number }>(
      'SELECT id, records FROM mcpscope_sessions WHERE NOT complete',
    ).catch(() => []);
    if (rows[0] && rows[0].records >= n) return rows[0].id;
    if (Date.now() > end) throw new Error(`the sink stored fewer than ${n} lines within 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sessionsJson = async () =>
  (
    JSON.parse((await runCli(['sessions', '--json', '--from', db.url])).stdout) as {
      sessions: { id: string; complete: boolean; records: number }[];
    }
  ).sessions;

describe.skipIf(missing !== undefined)('record --sink postgres://…', () => {
  beforeAll(async () => {
    // A cluster of its own: this test stops and restarts it.
    db = await startPg({ own: true });
  }, 120_000);
  afterAll(async () => {
    for (const p of procs) await p.stop('SIGKILL');
    db?.stop();
  });

  it('survives the database stopped mid-session, then push catches up byte for byte', async () => {
    const capture = join(dir, 'live.mcpscope.jsonl');
    const tap = new TapTransport(process.execPath, [
      CLI,
      'record',
      '--sink',
      db.url,
      '--out',
      capture,
      '--',
      process.execPath,
      EVERYTHING,
      'stdio',
    ]);
    const client = new Client({ name: 'sink-it', version: '1.0.0' }, { capabilities: {} });
    try {
      await client.connect(tap);
      await client.listTools();
      // Live: the handshake and the listing are in the store while the session is still open.
      const id = await untilStored(5);
      db.pause!();
      // Traffic after the database went away still flows and is recorded.
      for (let i = 0; i < 3; i++) {
        const r = await client.callTool({ name: 'echo', arguments: { message: `after ${i} ✓` } });
        expect(JSON.stringify(r)).toContain(`after ${i} ✓`);
      }
      await client.close();
      const exit = await tap.exit!;
      expect(exit.code).toBe(0);
      expect(tap.stderr).toMatch(/team store postgres:\/\/.* is unreachable/);
      expect(tap.stderr).toContain(`mcpscope push ${capture} --to URL`);

      const read = readCapture(readFileSync(capture, 'utf8'));
      expect(read.closed).toBe(true);
      expect(read.problems).toEqual([]);
      expect(readFileSync(capture, 'utf8')).toContain('after 2 ✓');
      expect((await runCli(['verify', capture])).code).toBe(0);

      db.resume!();
      const live = (await sessionsJson()).find((s) => s.id === id);
      expect(live).toMatchObject({ complete: false });
      expect(live!.records).toBeGreaterThanOrEqual(5);
      const listed = (await runCli(['sessions', '--from', db.url])).stdout;
      expect(listed.split('\n').find((l) => l.startsWith(id))).toMatch(/ incomplete$/);
      const early = await runCli(['pull', id, '--from', db.url, '--out', join(dir, 'early.jsonl')]);
      expect(early.code).toBe(1);
      expect(early.stderr).toMatch(/not complete in the store yet/);

      const pushed = await runCli(['push', capture, '--to', db.url]);
      expect(pushed.stderr).toBe('');
      expect(pushed.stdout).toMatch(/^caught up \(completed a live session\): .* → session /);
      expect((await runCli(['push', capture, '--to', db.url])).stdout).toMatch(
        /^already in the store/,
      );
      const out = join(dir, 'live-pulled.mcpscope.jsonl');
      expect((await runCli(['pull', id, '--from', db.url, '--out', out])).code).toBe(0);
      expect(readFileSync(out).equals(readFileSync(capture))).toBe(true);
      expect((await runCli(['verify', out])).code).toBe(0);
      expect((await sessionsJson()).find((s) => s.id === id)).toMatchObject({ complete: true });
      const relisted = (await runCli(['sessions', '--from', db.url])).stdout;
      expect(relisted.split('\n').find((l) => l.startsWith(id))).toMatch(/ findings$/);

      // Derived messages: each echo call paired with its answer, with a latency and its request id.
      const calls = await query<{
        method: string;
        request_id: string;
        pair_mid: number | null;
        latency_ms: number | null;
      }>(
        `SELECT method, request_id, pair_mid, latency_ms FROM mcpscope_messages
         WHERE session_id = $1 AND kind = 'request' AND method = 'tools/call' ORDER BY mid`,
        [id],
      );
      expect(calls).toHaveLength(3);
      for (const c of calls) {
        expect(c.pair_mid).not.toBeNull();
        expect(c.latency_ms).toBeGreaterThanOrEqual(0);
        expect(c.request_id).toMatch(/^\d+$/);
      }
      const answers = await query<{ n: string }>(
        `SELECT count(*) AS n FROM mcpscope_messages a JOIN mcpscope_messages q
           ON q.session_id = a.session_id AND q.mid = a.pair_mid
         WHERE a.session_id = $1 AND a.kind = 'response' AND a.method = 'tools/call'
           AND a.direction = 's2c' AND q.direction = 'c2s'`,
        [id],
      );
      expect(Number(answers[0]!.n)).toBe(3);
    } finally {
      tap.kill('SIGKILL');
    }
  }, 120_000);

  it('the HTTP recorder sinks a whole session, completed when it stops', async () => {
    const server = await startEverything('streamableHttp');
    procs.push(server);
    const out = join(dir, 'http.mcpscope.jsonl');
    const rec = await startRecorder([
      '--target',
      `http://127.0.0.1:${server.port}/mcp`,
      '--out',
      out,
      '--sink',
      db.url,
    ]);
    procs.push(rec);
    const transport = new StreamableHTTPClientTransport(new URL(rec.url));
    const client = new Client({ name: 'sink-http', version: '1.0.0' }, { capabilities: {} });
    await client.connect(transport);
    await client.callTool({
      name: 'echo',
      arguments: { message: 'key ghp_1234567890abcdefghijABCDEFGHIJ123456' },
    });
    // Live: stored while the session is still open.
    await untilStored(3);
    await transport.terminateSession();
    await client.close();
    expect(await rec.stop('SIGINT')).toBe(0);
    expect(rec.stderr()).toContain('capture stored in the team store');
    const id = readCapture(readFileSync(out, 'utf8')).header!.id;
    const pulled = join(dir, 'http-pulled.mcpscope.jsonl');
    expect((await runCli(['pull', id, '--from', db.url, '--out', pulled])).code).toBe(0);
    expect(readFileSync(pulled).equals(readFileSync(out))).toBe(true);
    // The leaked token is a finding of the echo tool's call, found by --finding.
    const f = await query<{ rule: string; tool: string | null }>(
      `SELECT rule, tool FROM mcpscope_findings WHERE session_id = $1 AND rule = 'secret.provider-token'`,
      [id],
    );
    expect(f.length).toBeGreaterThan(0);
    expect(f.map((x) => x.tool)).toContain('echo');
    const byRule = JSON.parse(
      (await runCli(['sessions', '--json', '--from', db.url, '--finding', 'secret.provider-token']))
        .stdout,
    ) as { sessions: { id: string }[] };
    expect(byRule.sessions.map((s) => s.id)).toEqual([id]);
    const flows = await query<{ data_class: string; direction: string }>(
      'SELECT data_class, direction FROM mcpscope_data_flows WHERE session_id = $1',
      [id],
    );
    expect(flows).toContainEqual(expect.objectContaining({ direction: 'to-server' }));
  }, 120_000);

  it('records normally when the database is unreachable from the start', async () => {
    const capture = join(dir, 'nodb.mcpscope.jsonl');
    const bad = db.url.replace(/:(\d+)\//, ':1/');
    const tap = new TapTransport(process.execPath, [
      CLI,
      'record',
      '--sink',
      bad,
      '--out',
      capture,
      '--',
      process.execPath,
      EVERYTHING,
      'stdio',
    ]);
    const client = new Client({ name: 'sink-nodb', version: '1.0.0' }, { capabilities: {} });
    try {
      await client.connect(tap);
      await client.listTools();
      await client.close();
      expect((await tap.exit!).code).toBe(0);
      expect(tap.stderr).toMatch(/is unreachable .*recording continues/);
      expect(readCapture(readFileSync(capture, 'utf8')).closed).toBe(true);
    } finally {
      tap.kill('SIGKILL');
    }
  }, 60_000);

  it('rejects a --sink that is not a PostgreSQL URL', async () => {
    const r = await runCli(['record', '--sink', 'mysql://x', '--', 'true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sink: "mysql:\/\/x" is not a PostgreSQL URL/);
  });
});
