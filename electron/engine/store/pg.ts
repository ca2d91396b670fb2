// The team capture store on PostgreSQL: connecting (and migrating), pulling a session back byte
// for byte, listing sessions. Pushing is push.ts, the live recorder sink sink.ts, the schema
// schema.ts (documented in docs/team-store.md).

import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import pg from 'pg';
import { MIGRATIONS } from './schema.js';

export class StoreError extends Error {}
/** The URL is not a PostgreSQL URL (a usage error, not a failure). */
export class StoreUrlError extends StoreError {}

function connectError(url: string, e: unknown): StoreError {
  return new StoreError(
    `cannot reach the team store ${safeStoreUrl(url)}: ${(e as Error).message}. Check that PostgreSQL is running and the URL (postgres://user:password@host:port/database).`,
  );
}

/** Throws a StoreUrlError unless `url` is a postgres:// or postgresql:// URL. */
export function checkStoreUrl(url: string): void {
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new StoreUrlError(
      `"${url.slice(0, 80)}" is not a PostgreSQL URL: give postgres://user:password@host:port/database.`,
    );
}

/** The URL with its password hidden, for messages. */
export const safeStoreUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');

export async function openStore(
  url: string,
  opts: { connectTimeoutMs?: number; queryTimeoutMs?: number } = {},
): Promise<pg.Client> {
  checkStoreUrl(url);
  const c = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    ...(opts.queryTimeoutMs !== undefined ? { query_timeout: opts.queryTimeoutMs } : {}),
  });
  // A connection the server drops later (database stopped) must not crash the process: the
  // failing query reports it.
  c.on('error', () => undefined);
  try {
    await c.connect();
  } catch (e) {
    throw connectError(url, e);
  }
  try {
    await migrate(c);
  } catch (e) {
    await c.end().catch(() => undefined);
    throw new StoreError(`cannot prepare the team store schema: ${(e as Error).message}`);
  }
  return c;
}

/** Applies the migrations this database has not seen, in order; concurrent pushers wait on a lock. */
export async function migrate(c: pg.Client): Promise<number> {
  // The usual case, one cheap query and no lock: the schema is already current (ten recorders
  // starting together would otherwise queue on the advisory lock).
  const current = await c
    .query<{ v: number | null }>('SELECT max(version) AS v FROM mcpscope_migrations')
    .then((r) => r.rows[0]?.v ?? 0)
    .catch(() => 0);
  if (current >= MIGRATIONS.length) return MIGRATIONS.length;
  await c.query('BEGIN');
  try {
    await c.query('SELECT pg_advisory_xact_lock(727274)');
    await c.query(
      'CREATE TABLE IF NOT EXISTS mcpscope_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const r = await c.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM mcpscope_migrations',
    );
    const have = r.rows[0]?.v ?? 0;
    for (let v = have + 1; v <= MIGRATIONS.length; v++) {
      await c.query(MIGRATIONS[v - 1]!);
      await c.query('INSERT INTO mcpscope_migrations (version) VALUES ($1)', [v]);
    }
    await c.query('COMMIT');
    return MIGRATIONS.length;
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  }
}

/** Writes session `id` to `out` exactly as it was pushed. */
export async function pullCapture(
  c: pg.Client,
  id: string,
  out: string,
): Promise<{ records: number; bytes: number }> {
  const s = await c.query<{ trailing_newline: boolean; records: number; complete: boolean }>(
    'SELECT trailing_newline, records, complete FROM mcpscope_sessions WHERE id = $1',
    [id],
  );
  const row = s.rows[0];
  if (!row)
    throw new StoreError(
      `no session "${id.slice(0, 80)}" in the store. List them with \`mcpscope sessions --from URL\`.`,
    );
  if (!row.complete)
    throw new StoreError(
      `session ${id} is not complete in the store yet: it is still being recorded, or its recorder lost the database. Push its capture file (mcpscope push FILE --to URL) to complete it.`,
    );
  // Streamed in pages of lines (any size; never one string): to a temporary file, renamed into
  // place once every line is there, so a failed pull leaves no partial capture under `out`.
  const tmp = `${out}.pulling-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  let lines = 0;
  let bytes = 0;
  let page = 100;
  try {
    for (;;) {
      const r = await c.query<{ line_no: number; line: string }>(
        'SELECT line_no, line FROM mcpscope_records WHERE session_id = $1 AND line_no >= $2 ORDER BY line_no LIMIT $3',
        [id, lines, page],
      );
      if (r.rows.length === 0) break;
      // Lines are numbered 0, 1, 2…: a gap means a line is missing.
      if (r.rows.some((x, k) => x.line_no !== lines + k)) break;
      const text = (lines ? '\n' : '') + r.rows.map((x) => x.line).join('\n');
      writeSync(fd, text);
      const got = Buffer.byteLength(text);
      bytes += got;
      lines += r.rows.length;
      if (r.rows.length < page) break;
      // The next page holds about PULL_BYTES of lines (frames can be megabytes each).
      page = Math.max(1, Math.min(PULL_PAGE, Math.floor((PULL_BYTES * r.rows.length) / got)));
    }
    if (lines !== row.records)
      throw new StoreError(
        `session ${id} is incomplete in the store (${lines} of ${row.records} records).`,
      );
    if (row.trailing_newline) {
      writeSync(fd, '\n');
      bytes += 1;
    }
    closeSync(fd);
    renameSync(tmp, out);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
  return { records: lines, bytes };
}

/** Lines per query when pulling (the first query asks for 100), and the bytes aimed at. */
const PULL_PAGE = 5000;
const PULL_BYTES = 8 * 1024 * 1024;

export interface SessionRow {
  id: string;
  created: string;
  transport: string;
  server: string | null;
  records: number;
  findings: number;
  /** False while a --sink session is recording, or when its recorder lost the database. */
  complete: boolean;
}

export interface SessionQuery {
  server?: string;
  since?: Date;
  finding?: string;
  /** Case-insensitive substring of the id, the server name or the source (command or URL). */
  text?: string;
  limit?: number;
}

export async function listSessions(c: pg.Client, q: SessionQuery = {}): Promise<SessionRow[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.server !== undefined) {
    args.push(q.server);
    where.push(`s.server = $${args.length}`);
  }
  if (q.since !== undefined) {
    args.push(q.since.toISOString());
    where.push(`s.created >= $${args.length}`);
  }
  if (q.finding !== undefined) {
    args.push(q.finding);
    where.push(
      `EXISTS (SELECT 1 FROM mcpscope_findings f WHERE f.session_id = s.id AND f.rule = $${args.length})`,
    );
  }
  if (q.text !== undefined && q.text !== '') {
    args.push(`%${q.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    const p = `$${args.length}`;
    where.push(`(s.id ILIKE ${p} OR s.server ILIKE ${p} OR s.source::text ILIKE ${p})`);
  }
  args.push(Math.min(Math.max(1, q.limit ?? 10_000), 10_000));
  const limit = `$${args.length}`;
  const r = await c.query<{
    id: string;
    created: Date;
    transport: string;
    server: string | null;
    records: number;
    findings: string;
    complete: boolean;
  }>(
    `SELECT s.id, s.created, s.transport, s.server, s.records, s.complete, (SELECT count(*) FROM mcpscope_findings f WHERE f.session_id = s.id) AS findings
     FROM mcpscope_sessions s ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.created DESC, s.id LIMIT ${limit}`,
    args,
  );
  return r.rows.map((x) => ({
    id: x.id,
    created: x.created.toISOString(),
    transport: x.transport,
    server: x.server,
    records: x.records,
    findings: Number(x.findings),
    complete: x.complete,
  }));
}
