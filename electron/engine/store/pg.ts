// The team capture store on PostgreSQL: sessions, their records' exact lines (so a pulled file is
// byte-identical and verifies), and their findings. Schema in docs/team-store.md; migrations are
// numbered and applied in order inside one transaction each (MIGRATIONS below).

import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { readHeader, verifyChain } from '../../../shared/capture/index.js';
import { nodeSha256 } from '../capture/writer.js';
import { scanCaptureFile } from '../scan/scan.js';

export class StoreError extends Error {}
/** The URL is not a PostgreSQL URL (a usage error, not a failure). */
export class StoreUrlError extends StoreError {}

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE mcpscope_sessions (
     id text PRIMARY KEY,
     created timestamptz NOT NULL,
     transport text NOT NULL,
     server text,
     source jsonb NOT NULL,
     records integer NOT NULL,
     final_hash text NOT NULL,
     bytes bigint NOT NULL,
     trailing_newline boolean NOT NULL,
     pushed_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE INDEX mcpscope_sessions_created ON mcpscope_sessions (created);
   CREATE INDEX mcpscope_sessions_server ON mcpscope_sessions (server);
   CREATE TABLE mcpscope_records (
     session_id text NOT NULL REFERENCES mcpscope_sessions (id) ON DELETE CASCADE,
     line_no integer NOT NULL,
     line text NOT NULL,
     PRIMARY KEY (session_id, line_no)
   );
   CREATE TABLE mcpscope_findings (
     session_id text NOT NULL REFERENCES mcpscope_sessions (id) ON DELETE CASCADE,
     rule text NOT NULL,
     severity text NOT NULL,
     seq integer,
     message text NOT NULL
   );
   CREATE INDEX mcpscope_findings_rule ON mcpscope_findings (rule);`,
];

function connectError(url: string, e: unknown): StoreError {
  const safeUrl = url.replace(/\/\/[^@/]*@/, '//***@');
  return new StoreError(
    `cannot reach the team store ${safeUrl}: ${(e as Error).message}. Check that PostgreSQL is running and the URL (postgres://user:password@host:port/database).`,
  );
}

export async function openStore(url: string): Promise<pg.Client> {
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new StoreUrlError(
      `"${url.slice(0, 80)}" is not a PostgreSQL URL: give postgres://user:password@host:port/database.`,
    );
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
  } catch (e) {
    throw connectError(url, e);
  }
  await migrate(c);
  return c;
}

/** Applies the migrations this database has not seen, in order; concurrent pushers wait on a lock. */
export async function migrate(c: pg.Client): Promise<number> {
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

export interface PushResult {
  id: string;
  records: number;
  /** False when the store already had this session (pushing is idempotent). */
  stored: boolean;
}

const BATCH = 5000;

export async function pushCapture(c: pg.Client, path: string): Promise<PushResult> {
  const text = readFileSync(path, 'utf8');
  const chain = verifyChain(text, nodeSha256);
  if (!chain.intact)
    throw new StoreError(
      `${path} does not verify (${chain.firstBad?.reason ?? 'altered'}${chain.firstBad?.seq !== undefined ? ` at seq ${chain.firstBad.seq}` : ''}); refusing to push an altered capture.`,
    );
  const trailing = text.endsWith('\n');
  const lines = (trailing ? text.slice(0, -1) : text).split('\n');
  const header = readHeader(lines[0]);
  const last = JSON.parse(lines[lines.length - 1]!) as { hash?: unknown };
  const scan = await scanCaptureFile(path);
  const server = scan.servers[0]?.name ?? header.source.name ?? null;
  await c.query('BEGIN');
  try {
    const ins = await c.query(
      `INSERT INTO mcpscope_sessions (id, created, transport, server, source, records, final_hash, bytes, trailing_newline)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [
        header.id,
        header.created,
        header.source.transport,
        server,
        JSON.stringify(header.source),
        lines.length,
        String(last.hash ?? ''),
        Buffer.byteLength(text),
        trailing,
      ],
    );
    if (ins.rowCount === 0) {
      await c.query('ROLLBACK');
      return { id: header.id, records: lines.length, stored: false };
    }
    for (let i = 0; i < lines.length; i += BATCH) {
      const chunk = lines.slice(i, i + BATCH);
      await c.query(
        'INSERT INTO mcpscope_records (session_id, line_no, line) SELECT $1, * FROM unnest($2::int[], $3::text[])',
        [header.id, chunk.map((_, k) => i + k), chunk],
      );
    }
    const f = scan.findings;
    if (f.length) {
      await c.query(
        'INSERT INTO mcpscope_findings (session_id, rule, severity, seq, message) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[])',
        [
          header.id,
          f.map((x) => x.rule),
          f.map((x) => x.severity),
          f.map((x) => x.target.seq ?? null),
          f.map((x) => x.message.slice(0, 2000)),
        ],
      );
    }
    await c.query('COMMIT');
    return { id: header.id, records: lines.length, stored: true };
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
  const s = await c.query<{ trailing_newline: boolean; records: number }>(
    'SELECT trailing_newline, records FROM mcpscope_sessions WHERE id = $1',
    [id],
  );
  const row = s.rows[0];
  if (!row)
    throw new StoreError(
      `no session "${id.slice(0, 80)}" in the store. List them with \`mcpscope sessions --from URL\`.`,
    );
  const r = await c.query<{ line: string }>(
    'SELECT line FROM mcpscope_records WHERE session_id = $1 ORDER BY line_no',
    [id],
  );
  if (r.rows.length !== row.records)
    throw new StoreError(
      `session ${id} is incomplete in the store (${r.rows.length} of ${row.records} records).`,
    );
  const text = r.rows.map((x) => x.line).join('\n') + (row.trailing_newline ? '\n' : '');
  writeFileSync(out, text, { mode: 0o600 });
  return { records: r.rows.length, bytes: Buffer.byteLength(text) };
}

export interface SessionRow {
  id: string;
  created: string;
  transport: string;
  server: string | null;
  records: number;
  findings: number;
}

export interface SessionQuery {
  server?: string;
  since?: Date;
  finding?: string;
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
  const r = await c.query<{
    id: string;
    created: Date;
    transport: string;
    server: string | null;
    records: number;
    findings: string;
  }>(
    `SELECT s.id, s.created, s.transport, s.server, s.records, (SELECT count(*) FROM mcpscope_findings f WHERE f.session_id = s.id) AS findings
     FROM mcpscope_sessions s ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.created DESC, s.id LIMIT 10000`,
    args,
  );
  return r.rows.map((x) => ({
    id: x.id,
    created: x.created.toISOString(),
    transport: x.transport,
    server: x.server,
    records: x.records,
    findings: Number(x.findings),
  }));
}
