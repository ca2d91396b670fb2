// Pushing a capture file into the team store: its exact lines, then its derived data (derive.ts),
// in one transaction. Idempotent: a complete session is never stored twice; an incomplete one (a
// live --sink session whose recorder lost the database) is caught up: the missing lines are
// added, the derived data written, and the session marked complete.

import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { readHeader, verifyChain } from '../../../shared/capture/index.js';
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
  const id = header.id;
  const existing = await c.query<{ complete: boolean }>(
    'SELECT complete FROM mcpscope_sessions WHERE id = $1',
    [id],
  );
  if (existing.rows[0]?.complete)
    return { id, records: lines.length, stored: false, caughtUp: false };
  const derived = await deriveCapture(path);
  await c.query('BEGIN');
  try {
    // Locks the row against a concurrent push or sink of the same session.
    const created = await c.query(
      `INSERT INTO mcpscope_sessions (id, created, transport, server, source, records, final_hash, bytes, trailing_newline, complete)
       VALUES ($1, $2, $3, $4, $5, 0, '', 0, true, false) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, header.created, header.source.transport, null, JSON.stringify(header.source)],
    );
    /** This transaction created the session: no other lines can be stored under it. */
    const fresh = created.rowCount === 1;
    const row = await c.query<{ complete: boolean }>(
      'SELECT complete FROM mcpscope_sessions WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (row.rows[0]?.complete) {
      await c.query('ROLLBACK');
      return { id, records: lines.length, stored: false, caughtUp: false };
    }
    const had = existing.rows.length > 0;
    // Only a session this process created can have lines it stored itself.
    const known = had ? Math.min(opts.storedLines ?? 0, lines.length) : 0;
    for (let i = known; i < lines.length; i += BATCH) {
      const chunk = lines.slice(i, i + BATCH);
      await c.query(
        `INSERT INTO mcpscope_records (session_id, line_no, line)
         SELECT $1, * FROM unnest($2::int[], $3::text[]) ON CONFLICT DO NOTHING`,
        [id, chunk.map((_, k) => i + k), chunk],
      );
    }
    // A session created by this push holds only the lines just inserted: counting them is enough.
    await checkStoredLines(c, id, lines, fresh ? lines.length : known);
    await writeDerived(c, id, derived);
    await c.query(
      `UPDATE mcpscope_sessions SET server = $2, records = $3, final_hash = $4, bytes = $5,
         trailing_newline = $6, complete = true, pushed_at = now() WHERE id = $1`,
      [
        id,
        derived.server ?? header.source.name ?? null,
        lines.length,
        String(last.hash ?? ''),
        Buffer.byteLength(text),
        trailing,
      ],
    );
    await c.query('COMMIT');
    return { id, records: lines.length, stored: true, caughtUp: had };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** The stored lines must be exactly the file's (a sink stored some of them earlier). */
async function checkStoredLines(
  c: pg.Client,
  id: string,
  lines: string[],
  from: number,
): Promise<void> {
  let differ = 0;
  for (let i = from; i < lines.length; i += BATCH) {
    const chunk = lines.slice(i, i + BATCH);
    const r = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM mcpscope_records r
       JOIN unnest($2::int[], $3::text[]) AS f (line_no, line) ON r.line_no = f.line_no
       WHERE r.session_id = $1 AND r.line <> f.line`,
      [id, chunk.map((_, k) => i + k), chunk],
    );
    differ += Number(r.rows[0]?.n ?? 0);
  }
  const total = await c.query<{ n: string }>(
    'SELECT count(*) AS n FROM mcpscope_records WHERE session_id = $1',
    [id],
  );
  if (differ > 0 || Number(total.rows[0]?.n) !== lines.length)
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
