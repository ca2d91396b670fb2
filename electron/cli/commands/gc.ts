// mcpscope gc: apply the retention policy to the captures folder and the library. Thin: read the
// policy (flags over the settings file), call the engine's gc, print what went and what stayed.

import { relative } from 'node:path';
import type { GcReport } from '../../../shared/host-api-retention.js';
import {
  describePolicy,
  formatBytes,
  hasLimit,
  LIVE_WINDOW_MS,
  parseMaxAge,
  parseMaxSize,
  RetentionInputError,
  type RetentionPolicy,
} from '../../../shared/retention.js';
import { gcFolders, runGc } from '../../engine/gc/gc.js';
import { readRetention, retentionFile, RetentionSettingsError } from '../../engine/gc/settings.js';
import { dataDir } from '../../engine/paths.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { runStoreGcCommand } from './gc-store.js';
import { safe } from '../format.js';

export const usage = `usage: mcpscope gc [--dry-run] [--max-age AGE] [--max-size SIZE] [--json]
       mcpscope gc --from postgres://… [--dry-run] [--max-age AGE] [--max-sessions N] [--json]

Applies the retention policy: DELETES capture files (*.mcpscope.jsonl, and *.mcpscope.jsonl.age)
in the captures folder and in the library's imported copies (captures/imported) of the data
directory — nothing else, nowhere else (no symlink is followed; other users' files are skipped).
First every capture last written longer ago than AGE, then the oldest ones until all of them
together take at most SIZE. A capture without an end record written to in the last
${LIVE_WINDOW_MS / 3_600_000} hours may still be recording and is never deleted. Prints each file it
deleted (or would delete) with its size.

  --dry-run        only list what would be deleted
  --max-age AGE    e.g. 30d, 2w, 1y; "none" for no age limit
  --max-size SIZE  e.g. 500MB, 2GB (1 GB = 1024³ bytes); "none" for no size limit
  --json           the report as JSON: {policy, dryRun, deleted:[{path, bytes, mtimeMs, reason}],
                   protected, kept, totalBytes, freedBytes, errors}

Defaults come from <data dir>/retention.json ({"maxAgeDays": n|null, "maxBytes": n|null}), which
the app's Settings writes; without it and without flags nothing expires.
With --from, applies the policy to the sessions of a team store instead (nothing on disk): DELETES
every session recorded longer ago than AGE, then the oldest ones until the newest N are left, each
with all its rows in one transaction. An incomplete session written to in the last
${LIVE_WINDOW_MS / 3_600_000} hours may still be recording and is never deleted. Needs --max-age
and/or --max-sessions (the settings file is for the captures folder). JSON: {policy, dryRun,
deleted:[{id, server, timeMs, records, bytes, complete, reason}], protected, kept, total,
freedBytes, errors}.
Exit: 0 done (or nothing to do), 1 a file or session could not be deleted (or the store is
unreachable), 2 usage or a damaged settings file.`;

function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function printText(r: GcReport, root: string, io: Io): void {
  const rel = (p: string) => safe(relative(root, p) || p);
  const n = r.deleted.length;
  const verb = r.dryRun ? 'would delete' : 'deleted';
  io.out(`policy: ${describePolicy(r.policy)}\n`);
  io.out(
    `${verb} ${n} capture${n === 1 ? '' : 's'} (${formatBytes(r.freedBytes)}) of ${r.deleted.length + r.kept + r.errors.length} (${formatBytes(r.totalBytes)}) in ${safe(root)}${n ? ':' : ''}\n`,
  );
  for (const d of r.deleted)
    io.out(
      `  ${when(d.mtimeMs)}  ${formatBytes(d.bytes).padStart(8)}  ${d.reason.padEnd(4)}  ${rel(d.path)}\n`,
    );
  io.out(`kept ${r.kept} (${formatBytes(r.totalBytes - r.freedBytes)})\n`);
  for (const p of r.protected) io.out(`  kept, ${safe(p.why)}: ${rel(p.path)}\n`);
  for (const e of r.errors) io.out(`  NOT deleted: ${rel(e.path)}: ${safe(e.message)}\n`);
  if (r.dryRun && n)
    io.out('dry run: nothing was deleted; run without --dry-run to delete these.\n');
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{
    help?: boolean;
    'dry-run'?: boolean;
    'max-age'?: string;
    'max-size'?: string;
    'max-sessions'?: string;
    from?: string;
    json?: boolean;
  }>(
    argv,
    {
      help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean', short: 'n' },
      'max-age': { type: 'string' },
      'max-size': { type: 'string' },
      'max-sessions': { type: 'string' },
      from: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `gc takes no file names; it works on the data directory's captures folder.\n\n${usage}`,
    );
  if (values.from !== undefined)
    return runStoreGcCommand({ ...values, from: values.from }, io, usage);
  if (values['max-sessions'] !== undefined)
    throw new UsageError(
      `--max-sessions applies to a team store (--from postgres://…).\n\n${usage}`,
    );
  const dir = dataDir();
  let policy: RetentionPolicy;
  try {
    policy = readRetention(dir);
  } catch (e) {
    if (e instanceof RetentionSettingsError) throw new UsageError(e.message);
    throw e;
  }
  try {
    if (values['max-age'] !== undefined)
      policy = { ...policy, maxAgeDays: parseMaxAge(values['max-age']) };
    if (values['max-size'] !== undefined)
      policy = { ...policy, maxBytes: parseMaxSize(values['max-size']) };
  } catch (e) {
    if (e instanceof RetentionInputError) throw new UsageError(`${e.message}\n\n${usage}`);
    throw e;
  }
  if (!hasLimit(policy) && !values.json) {
    io.out(
      `no retention policy: nothing expires. Give --max-age/--max-size, or set them in the app's Settings (saved in ${safe(retentionFile(dir))}).\n`,
    );
    return 0;
  }
  const report = runGc({ dataDir: dir, policy, dryRun: values['dry-run'] === true });
  if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else printText(report, gcFolders(dir)[0]!, io);
  return report.errors.length > 0 ? 1 : 0;
}
