// `mcpscope gc --from postgres://…`: the retention policy (shared/retention.ts, the same planner
// as the captures folder's) applied to the sessions of a team store. A session's age is its
// capture's `created` time; an incomplete session (a live --sink, or one whose recorder lost the
// database) is aged by its last live write (`pushed_at`, which the sink moves forward with every
// batch) and, like a capture file without an end record, is never deleted while written to in the
// last LIVE_WINDOW_MS. --max-sessions N keeps the newest N: the planner's "oldest first until the
// total is at most the limit" with every session counting 1. Each session is deleted with all its
// rows (records, messages, findings, data flows) in one transaction, after checking again that it
// did not become live meanwhile.

import type pg from 'pg';
import { planRetention, type RetentionFile } from '../../../shared/retention.js';
import { openStore } from '../store/pg.js';

export interface StoreGcPolicy {
  maxAgeDays: number | null;
  maxSessions: number | null;
}

export interface StoreGcSession {
  id: string;
  server: string | null;
  /** The time the policy ages it by (see above), epoch ms. */
  timeMs: number;
  records: number;
  bytes: number;
  complete: boolean;
}

export interface StoreGcReport {
  policy: StoreGcPolicy;
  dryRun: boolean;
  /** Deleted (or, in a dry run, to be deleted), oldest first. */
  deleted: (StoreGcSession & { reason: 'age' | 'count' })[];
  /** Kept because they may still be recording. */
  protected: (StoreGcSession & { why: string })[];
  kept: number;
  total: number;
  /** Capture bytes of the deleted sessions. */
  freedBytes: number;
  errors: { id: string; message: string }[];
}

/** The tables holding a session's rows, children first. */
const SESSION_TABLES = [
  'mcpscope_records',
  'mcpscope_messages',
  'mcpscope_findings',
  'mcpscope_data_flows',
] as const;

async function listForGc(c: pg.Client): Promise<(StoreGcSession & { pushedAt: Date })[]> {
  const r = await c.query<{
    id: string;
    server: string | null;
    created: Date;
    pushed_at: Date;
    records: number;
    bytes: string;
    complete: boolean;
  }>('SELECT id, server, created, pushed_at, records, bytes, complete FROM mcpscope_sessions');
  return r.rows.map((x) => ({
    id: x.id,
    server: x.server,
    timeMs: (x.complete ? x.created : x.pushed_at).getTime(),
    records: x.records,
    bytes: Number(x.bytes),
    complete: x.complete,
    pushedAt: x.pushed_at,
  }));
}

/** Deletes one session and all its rows in one transaction; throws (nothing deleted) when it changed meanwhile. */
async function deleteSession(c: pg.Client, id: string, pushedAt: Date): Promise<void> {
  await c.query('BEGIN');
  try {
    const row = await c.query<{ pushed_at: Date }>(
      'SELECT pushed_at FROM mcpscope_sessions WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!row.rows[0]) throw new Error('no longer in the store');
    if (row.rows[0].pushed_at.getTime() !== pushedAt.getTime())
      throw new Error('written to since it was listed; kept');
    for (const t of SESSION_TABLES) await c.query(`DELETE FROM ${t} WHERE session_id = $1`, [id]);
    await c.query('DELETE FROM mcpscope_sessions WHERE id = $1', [id]);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

export async function runStoreGc(
  url: string,
  opts: { policy: StoreGcPolicy; dryRun: boolean; now?: number },
): Promise<StoreGcReport> {
  const c = await openStore(url);
  try {
    const sessions = await listForGc(c);
    const byId = new Map(sessions.map((s) => [s.id, s]));
    const files: RetentionFile[] = sessions.map((s) => ({
      path: s.id,
      bytes: 1,
      mtimeMs: s.timeMs,
      ended: s.complete,
    }));
    const plan = planRetention(
      files,
      { maxAgeDays: opts.policy.maxAgeDays, maxBytes: opts.policy.maxSessions },
      opts.now ?? Date.now(),
    );
    const strip = ({ pushedAt: _p, ...s }: StoreGcSession & { pushedAt: Date }): StoreGcSession =>
      s;
    const report: StoreGcReport = {
      policy: opts.policy,
      dryRun: opts.dryRun,
      deleted: [],
      protected: plan.protected.map((p) => ({ ...strip(byId.get(p.path)!), why: p.why })),
      kept: plan.kept,
      total: sessions.length,
      freedBytes: 0,
      errors: [],
    };
    for (const d of plan.delete) {
      const s = byId.get(d.path)!;
      try {
        if (!opts.dryRun) await deleteSession(c, s.id, s.pushedAt);
        report.deleted.push({ ...strip(s), reason: d.reason === 'size' ? 'count' : 'age' });
        report.freedBytes += s.bytes;
      } catch (e) {
        report.errors.push({ id: s.id, message: (e as Error).message });
      }
    }
    return report;
  } finally {
    await c.end().catch(() => undefined);
  }
}
