// Pushing a capture file into the team store: its exact lines, then its derived data (derive.ts),
// in one transaction. Idempotent: a complete session is never stored twice; an incomplete one (a
// live --sink session whose recorder lost the database) is caught up: the missing lines are
// added, the derived data written, and the session marked complete.

import type pg from 'pg';
import { ChainVerifier, readHeader, type HeaderRecord } from '../../../shared/capture/index.js';
import { forEachLine } from '../capture/lines.js';
import { nodeSha256 } from '../capture/writer.js';
import { deriveCapture, type Derived } from './derive.js';
import { StoreError } from './pg.js';

export interface PushResult {
  id: string;
  records: number;
  /** False when the store already had this session complete (pushing is idempotent). */
  stored: boolean;
  /** True when the store had the session incomplete (a live sink) and this push completed it. */
  caughtUp: boolean;
}

const BATCH = 5000;
/** …and at most about this much line text per statement (frames can be megabytes each). */
const BATCH_CHARS = 8 * 1024 * 1024;

export interface PushOptions {
  /**
   * The first this many lines are known to be stored already, exactly (the live sink inserted
   * them itself): they are neither sent again nor compared; the total count is still checked.
   */
  storedLines?: number;
}

export async function pushCapture(
  c: pg.Client,
  path: string,
  opts: PushOptions = {},
): Promise<PushResult> {
  // Pass 1, streamed (any size): the chain, the line count, the header and the final hash.
  const chain = new ChainVerifier(nodeSha256);
  let count = 0;
  let first: string | undefined;
  let lastLine = '';
  const { endsWithNewline: trailing, bytes } = await forEachLine(path, (line) => {
    chain.push(line);
    if (count === 0) first = line;
    lastLine = line;
    count++;
  });
  const report = chain.finish(trailing);
  if (!report.intact)
    throw new StoreError(
      `${path} does not verify (${report.firstBad?.reason ?? 'altered'}${report.firstBad?.seq !== undefined ? ` at seq ${report.firstBad.seq}` : ''}); refusing to push an altered capture.`,
    );
  const header = readHeader(first);
  const finalHash = finalHashOf(lastLine);
  const id = header.id;
  const existing = await c.query<{ complete: boolean }>(
    'SELECT complete FROM mcpscope_sessions WHERE id = $1',
    [id],
  );
  if (existing.rows[0]?.complete) return { id, records: count, stored: false, caughtUp: false };
  const derived = await deriveCapture(path);
  await c.query('BEGIN');
  try {
    // Locks the row against a concurrent push or sink of the same session.
    /** This transaction created the session: no other lines can be stored under it. */
    const fresh = await createSession(c, header, null);
    const row = await c.query<{ complete: boolean }>(
      'SELECT complete FROM mcpscope_sessions WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (row.rows[0]?.complete) {
      await c.query('ROLLBACK');
      return { id, records: count, stored: false, caughtUp: false };
    }
    const had = existing.rows.length > 0;
    // Only a session this process created can have lines it stored itself.
    const known = had ? Math.min(opts.storedLines ?? 0, count) : 0;
    await storeLines(c, id, path, count, lastLine, known, !fresh);
    await writeDerived(c, id, derived);
    await c.query(
      `UPDATE mcpscope_sessions SET server = $2, records = $3, final_hash = $4, bytes = $5,
         trailing_newline = $6, complete = true, pushed_at = now() WHERE id = $1`,
      [id, derived.server ?? header.source.name ?? null, count, finalHash, bytes, trailing],
    );
    await c.query('COMMIT');
    return { id, records: count, stored: true, caughtUp: had };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    if ((e as { code?: unknown }).code === '42501')
      throw new StoreError(
        `the database role in the URL may not write to the team store (${(e as Error).message}); nothing was changed. Push with a role that has INSERT, UPDATE and DELETE on the mcpscope_* tables (docs/team-store.md, "Roles").`,
      );
    throw e;
  }
}

/**
 * Inserts the session row of `header`, incomplete and empty, unless the store has it already;
 * true when this call created it. Used by `push` and by a live sink as soon as it connects.
 */
export async function createSession(
  c: pg.Client,
  header: HeaderRecord,
  server: string | null,
): Promise<boolean> {
  const r = await c.query(
    `INSERT INTO mcpscope_sessions (id, created, transport, server, source, records, final_hash, bytes, trailing_newline, complete)
     VALUES ($1, $2, $3, $4, $5, 0, '', 0, true, false) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [header.id, header.created, header.source.transport, server, JSON.stringify(header.source)],
  );
  return r.rowCount === 1;
}

function finalHashOf(line: string): string {
  try {
    return String((JSON.parse(line) as { hash?: unknown }).hash ?? '');
  } catch {
    return '';
  }
}

/**
 * Pass 2, streamed in batches: lines `known`…`count - 1` are inserted (a sink stored the first
 * `known` itself). With `compare` (the session existed: a sink stored some lines earlier), the
 * stored lines must be exactly the file's; the total count is always checked.
 */
async function storeLines(
  c: pg.Client,
  id: string,
  path: string,
  count: number,
  lastLine: string,
  known: number,
  compare: boolean,
): Promise<void> {
  let no = 0;
  let batch: string[] = [];
  let batchFirst = known;
  let batchChars = 0;
  let differ = 0;
  let last = '';
  const flush = async () => {
    if (batch.length === 0) return;
    const nos = batch.map((_, k) => batchFirst + k);
    await c.query(
      `INSERT INTO mcpscope_records (session_id, line_no, line)
       SELECT $1, * FROM unnest($2::int[], $3::text[]) ON CONFLICT DO NOTHING`,
      [id, nos, batch],
    );
    if (compare) {
      const r = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM mcpscope_records r
         JOIN unnest($2::int[], $3::text[]) AS f (line_no, line) ON r.line_no = f.line_no
         WHERE r.session_id = $1 AND r.line <> f.line`,
        [id, nos, batch],
      );
      differ += Number(r.rows[0]?.n ?? 0);
    }
    batchFirst += batch.length;
    batch = [];
    batchChars = 0;
  };
  await forEachLine(path, (line) => {
    const k = no++;
    if (k >= count) return; // appended since pass 1: not part of what was verified
    if (k === count - 1) last = line;
    if (k < known) return;
    batch.push(line);
    batchChars += line.length;
    if (batch.length >= BATCH || batchChars >= BATCH_CHARS) return flush();
  });
  await flush();
  if (no < count || last !== lastLine)
    throw new StoreError(`${path} changed while it was being pushed; nothing was changed.`);
  const total = await c.query<{ n: string }>(
    'SELECT count(*) AS n FROM mcpscope_records WHERE session_id = $1',
    [id],
  );
  if (differ > 0 || Number(total.rows[0]?.n) !== count)
    throw new StoreError(
      `session ${id} in the store holds other lines than this capture file (a different file with the same header id?); nothing was changed.`,
    );
}

async function writeDerived(c: pg.Client, id: string, d: Derived): Promise<void> {
  for (const t of ['mcpscope_messages', 'mcpscope_findings', 'mcpscope_data_flows'])
    await c.query(`DELETE FROM ${t} WHERE session_id = $1`, [id]);
  for (let i = 0; i < d.messages.length; i += BATCH) {
    const m = d.messages.slice(i, i + BATCH);
    await c.query(
      `INSERT INTO mcpscope_messages (session_id, mid, seq, batch_index, ts, direction, kind, method,
         request_id, pair_mid, latency_ms, error_code, size)
       SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::float8[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::int[], $11::float8[], $12::int[], $13::int[])`,
      [
        id,
        m.map((x) => x.mid),
        m.map((x) => x.seq),
        m.map((x) => x.batchIndex),
        m.map((x) => x.ts),
        m.map((x) => x.direction),
        m.map((x) => x.kind),
        m.map((x) => x.method),
        m.map((x) => x.requestId),
        m.map((x) => x.pairMid),
        m.map((x) => x.latencyMs),
        m.map((x) => x.errorCode),
        m.map((x) => x.size),
      ],
    );
  }
  const f = d.findings;
  for (let i = 0; i < f.length; i += BATCH) {
    const k = f.slice(i, i + BATCH);
    await c.query(
      `INSERT INTO mcpscope_findings (session_id, rule, severity, seq, tool, message)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[])`,
      [
        id,
        k.map((x) => x.rule),
        k.map((x) => x.severity),
        k.map((x) => x.seq),
        k.map((x) => x.tool),
        k.map((x) => x.message),
      ],
    );
  }
  for (const fl of d.flows)
    await c.query(
      `INSERT INTO mcpscope_data_flows (session_id, server, data_class, direction, count, severity, seqs)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, fl.server.slice(0, 2000), fl.dataClass, fl.direction, fl.count, fl.severity, fl.seqs],
    );
}
