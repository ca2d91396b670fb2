// The team store against a real PostgreSQL: push then pull is byte-identical and verifies,
// pushing twice stores once, sessions are found by server, date and finding rule; bad input
// and an unreachable database give clear errors.
import { installSigner } from '../../electron/engine/capture/key.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';
import { freePort } from '../helpers/net.js';
import { pgMissing, startPg, type TestPg } from '../helpers/postgres.js';
import { makeCapture } from '../unit/renderer-fixtures.js';

const missing = pgMissing();
if (missing && process.env.CI === 'true')
  throw new Error(`team-store tests need PostgreSQL: ${missing}`);

const dir = scratchDir();
type Listed = { sessions: { id: string }[] };
let db: TestPg;

/** A capture of `server` with `id`, created at `created`; with a leaked token when `leak`. */
function capture(name: string, id: string, server: string, created: number, leak = false): string {
  const c = makeCapture(id, server);
  c.header.ts = created;
  c.header.created = new Date(created).toISOString();
  c.frame('c2s', {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'c', version: '1' },
    },
  });
  c.frame('s2c', {
    jsonrpc: '2.0',
    id: 0,
    result: {
      protocolVersion: '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: server, version: '1' },
    },
  });
  c.frame('c2s', {
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text: 'ünïcødé ✓' } },
  });
  c.frame('s2c', {
    jsonrpc: '2.0',
    id: 1,
    result: {
      content: [
        { type: 'text', text: leak ? 'token ghp_1234567890abcdefghijABCDEFGHIJ123456' : 'fine' },
      ],
    },
  });
  c.add({ type: 'end', reason: 'done' });
  const path = join(dir, `${name}.mcpscope.jsonl`);
  // Signed with this install's key (the default data dir the CLI runs below also use), so it verifies.
  writeFileSync(path, c.text(installSigner()));
  return path;
}

describe.skipIf(missing !== undefined)('team store on PostgreSQL', () => {
  beforeAll(async () => {
    db = await startPg();
  }, 120_000);
  afterAll(() => db?.stop());

  it('push then pull gives back the same bytes, and the file verifies', async () => {
    const a = capture('a', 'aaaa000000000001', 'alpha', Date.parse('2026-11-01T10:00:00Z'));
    const pushed = await runCli(['push', a, '--to', db.url]);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(
      /^stored: .*a\.mcpscope\.jsonl → session aaaa000000000001 \(6 records\)/,
    );
    const out = join(dir, 'a-pulled.mcpscope.jsonl');
    const pulled = await runCli(['pull', 'aaaa000000000001', '--from', db.url, '--out', out]);
    expect(pulled.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(a));
    const v = await runCli(['verify', out]);
    expect(v.code).toBe(0);
  });

  it('stores a capture once however often it is pushed', async () => {
    const b = capture('b', 'bbbb000000000002', 'beta', Date.parse('2026-12-01T10:00:00Z'), true);
    expect((await runCli(['push', b, '--to', db.url])).stdout).toMatch(/^stored/);
    const again = await runCli(['push', '--json', b, b, '--to', db.url]);
    expect(again.code).toBe(0);
    expect(
      (JSON.parse(again.stdout) as { pushed: { stored: boolean }[] }).pushed.map((p) => p.stored),
    ).toEqual([false, false]);
    const list = JSON.parse(
      (await runCli(['sessions', '--json', '--from', db.url, '--server', 'beta'])).stdout,
    ) as { sessions: { id: string; records: number }[] };
    expect(list.sessions).toEqual([
      expect.objectContaining({ id: 'bbbb000000000002', records: 6 }),
    ]);
  });

  it('finds sessions by server, date and finding rule', async () => {
    capture('c', 'cccc000000000003', 'alpha', Date.parse('2026-12-03T10:00:00Z'));
    expect((await runCli(['push', join(dir, 'c.mcpscope.jsonl'), '--to', db.url])).code).toBe(0);
    const ids = async (...args: string[]) =>
      (
        JSON.parse((await runCli(['sessions', '--json', '--from', db.url, ...args])).stdout) as {
          sessions: { id: string }[];
        }
      ).sessions.map((s) => s.id);
    expect(await ids()).toEqual(['cccc000000000003', 'bbbb000000000002', 'aaaa000000000001']);
    expect(await ids('--server', 'alpha')).toEqual(['cccc000000000003', 'aaaa000000000001']);
    expect(await ids('--since', '2026-11-15')).toEqual(['cccc000000000003', 'bbbb000000000002']);
    expect(await ids('--finding', 'secret.provider-token')).toEqual(['bbbb000000000002']);
    expect(await ids('--server', 'alpha', '--since', '2026-12-02')).toEqual(['cccc000000000003']);
    expect(await ids('--server', 'nobody')).toEqual([]);
    const text = await runCli(['sessions', '--from', db.url]);
    expect(text.stdout).toMatch(/bbbb000000000002 .* beta .* 6 records {2}[1-9]\d* findings/);
  });

  it('refuses an altered capture and explains bad input', async () => {
    const d = capture('d', 'dddd000000000004', 'delta', Date.parse('2026-12-04T10:00:00Z'));
    writeFileSync(d, readFileSync(d, 'utf8').replace('fine', 'FINE'));
    const r = await runCli(['push', d, '--to', db.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not verify.*refusing to push an altered capture/);
    const none = await runCli(['pull', 'nope', '--from', db.url, '--out', join(dir, 'x.jsonl')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no session "nope" in the store/);
    expect((await runCli(['push', d, '--to', 'mysql://x'])).code).toBe(2);
    expect((await runCli(['sessions', '--from', db.url, '--since', 'yesterday-ish'])).code).toBe(2);
    const port = await freePort();
    const down = await runCli([
      'sessions',
      '--from',
      `postgres://postgres@127.0.0.1:${port}/postgres`,
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /cannot reach the team store postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/postgres/,
    );
  });

  it('scan and export read a session from the store like a file', async () => {
    // bbbb000000000002 (pushed above) returns a provider token.
    const scan = await runCli(['scan', '--json', '--from', db.url, 'bbbb000000000002']);
    expect(scan.stderr).toBe('');
    const report = JSON.parse(scan.stdout) as {
      servers: { name: string }[];
      findings: { rule: string; target: { capture?: string; seq?: number } }[];
    };
    expect(report.servers.map((s) => s.name)).toEqual(['beta']);
    const leak = report.findings.find((f) => f.rule === 'secret.provider-token');
    expect(leak?.target).toMatchObject({ capture: 'store:bbbb000000000002', seq: 4 });
    expect(scan.code).toBe(1); // a high finding: the --fail-on default
    const clean = await runCli(['scan', '--from', db.url, 'aaaa000000000001', 'cccc000000000003']);
    expect(clean.stdout).toMatch(/2 servers/);

    const md = await runCli(
      ['export', 'bbbb000000000002', '--from', db.url, '--format', 'md', '--out', '-'],
      { cwd: dir },
    );
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('secret.provider-token');
    expect(md.stdout).not.toContain('ghp_1234567890abcdefghijABCDEFGHIJ123456');
    const jsonl = await runCli(
      ['export', 'aaaa000000000001', '--from', db.url, '--format', 'jsonl', '--no-redact'],
      { cwd: dir },
    );
    expect(jsonl.code).toBe(0);
    // Default output: named by the session, in the current folder.
    const copy = join(dir, 'aaaa000000000001.redacted.mcpscope.jsonl');
    expect(jsonl.stderr).toContain(`wrote ${copy}`);
    expect(readFileSync(copy)).toEqual(readFileSync(join(dir, 'a.mcpscope.jsonl')));

    const unknown = await runCli(['scan', '--from', db.url, 'ffff000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no session "ffff000000000000" in the store/);
    const bad = await runCli(['export', '../etc', '--from', db.url, '--format', 'md']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/"..\/etc" is not a session id/);
    expect((await runCli(['scan', '--from', 'http://x', 'aaaa000000000001'])).code).toBe(2);
    expect((await runCli(['scan', '--from', db.url])).stderr).toMatch(
      /--from needs the session ids/,
    );
  }, 240_000);

  it('a read-only role lists, scans and pulls; push is refused with what to do', async () => {
    // The reviewers' role of docs/team-store.md ("Roles"): SELECT on the mcpscope_* tables only.
    const role = `reader_${process.pid}_${Date.now() % 100000}`;
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'r3ad-only'`);
      await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    } finally {
      await admin.end();
    }
    const u = new URL(db.url);
    u.username = role;
    u.password = 'r3ad-only';
    const reader = u.href;
    const list = await runCli(['sessions', '--json', '--from', reader]);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Listed).sessions.map((x) => x.id)).toContain(
      'aaaa000000000001',
    );
    const scan = await runCli(['scan', '--from', reader, 'aaaa000000000001']);
    expect(scan.code, scan.stderr).toBe(0);
    const out = join(dir, 'reader-pull.mcpscope.jsonl');
    expect((await runCli(['pull', 'aaaa000000000001', '--from', reader, '--out', out])).code).toBe(
      0,
    );
    expect(readFileSync(out)).toEqual(readFileSync(join(dir, 'a.mcpscope.jsonl')));
    const d = capture('d', 'dddd000000000004', 'delta', Date.parse('2026-11-04T10:00:00Z'));
    const push = await runCli(['push', d, '--to', reader]);
    expect(push.code).toBe(1);
    expect(push.stderr).toMatch(/the database role in the URL may not write to the team store/);
    expect(push.stderr).toContain('nothing was changed');
    expect(push.stderr).not.toContain('r3ad-only');
    const after = await runCli(['sessions', '--json', '--from', db.url]);
    expect((JSON.parse(after.stdout) as Listed).sessions.map((x) => x.id)).not.toContain(
      'dddd000000000004',
    );
  }, 120_000);
});
