// `mcpscope gc --from postgres://…`: the retention policy applied to a team store's sessions
// (electron/engine/gc/store.ts). Thin: parse the limits, call the engine, print like `gc`.

import { formatBytes, parseMaxAge, RetentionInputError } from '../../../shared/retention.js';
import { runStoreGc, type StoreGcPolicy, type StoreGcReport } from '../../engine/gc/store.js';
import { checkStoreUrl, safeStoreUrl, StoreError, StoreUrlError } from '../../engine/store/pg.js';
import { UsageError, type Io } from '../args.js';
import { safe } from '../format.js';

export interface StoreGcFlags {
  from: string;
  'dry-run'?: boolean;
  'max-age'?: string;
  'max-size'?: string;
  'max-sessions'?: string;
  json?: boolean;
}

const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function describeStorePolicy(p: StoreGcPolicy): string {
  const parts: string[] = [];
  if (p.maxAgeDays !== null)
    parts.push(`older than ${p.maxAgeDays} day${p.maxAgeDays === 1 ? '' : 's'}`);
  if (p.maxSessions !== null) parts.push(`beyond the newest ${p.maxSessions}`);
  return `delete sessions ${parts.join('; ')}`;
}

function printText(r: StoreGcReport, url: string, io: Io): void {
  const n = r.deleted.length;
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const line = (s: { id: string; server: string | null; timeMs: number; bytes: number }) =>
    `${when(s.timeMs)}  ${formatBytes(s.bytes).padStart(8)}  ${safe(s.id)}${s.server ? `  ${safe(s.server)}` : ''}`;
  io.out(`policy: ${describeStorePolicy(r.policy)}\n`);
  io.out(
    `${verb} ${n} session${n === 1 ? '' : 's'} (${formatBytes(r.freedBytes)} of captures) of ${r.total} in ${safe(safeStoreUrl(url))}${n ? ':' : ''}\n`,
  );
  for (const d of r.deleted) io.out(`  ${d.reason.padEnd(5)}  ${line(d)}\n`);
  io.out(`kept ${r.kept}\n`);
  for (const p of r.protected) io.out(`  kept, ${safe(p.why)}: ${line(p)}\n`);
  for (const e of r.errors) io.out(`  NOT deleted: ${safe(e.id)}: ${safe(e.message)}\n`);
  if (r.dryRun && n)
    io.out('dry run: nothing was deleted; run without --dry-run to delete these.\n');
}

function parseMaxSessions(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'none' || t === 'off') return null;
  if (!/^\d+$/.test(t) || Number(t) < 1 || !Number.isSafeInteger(Number(t)))
    throw new RetentionInputError(
      `max sessions ${JSON.stringify(text)}: give a whole number of sessions to keep, at least 1 (or "none")`,
    );
  return Number(t);
}

export async function runStoreGcCommand(
  values: StoreGcFlags,
  io: Io,
  usage: string,
): Promise<number> {
  try {
    checkStoreUrl(values.from);
  } catch (e) {
    if (e instanceof StoreUrlError) throw new UsageError(`--from: ${e.message}`);
    throw e;
  }
  if (values['max-size'] !== undefined)
    throw new UsageError(
      `--max-size applies to the captures folder; with --from, limit the store with --max-age and --max-sessions.\n\n${usage}`,
    );
  const policy: StoreGcPolicy = { maxAgeDays: null, maxSessions: null };
  try {
    if (values['max-age'] !== undefined) policy.maxAgeDays = parseMaxAge(values['max-age']);
    if (values['max-sessions'] !== undefined)
      policy.maxSessions = parseMaxSessions(values['max-sessions']);
  } catch (e) {
    if (e instanceof RetentionInputError) throw new UsageError(`${e.message}\n\n${usage}`);
    throw e;
  }
  if (policy.maxAgeDays === null && policy.maxSessions === null)
    throw new UsageError(
      `gc --from needs a limit: --max-age AGE (e.g. 90d) and/or --max-sessions N (the retention settings file applies to the captures folder only).\n\n${usage}`,
    );
  let report: StoreGcReport;
  try {
    report = await runStoreGc(values.from, { policy, dryRun: values['dry-run'] === true });
  } catch (e) {
    if (e instanceof StoreError) {
      io.err(`mcpscope gc: ${safe(e.message)}\n`);
      return 1;
    }
    throw e;
  }
  if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else printText(report, values.from, io);
  return report.errors.length > 0 ? 1 : 0;
}
