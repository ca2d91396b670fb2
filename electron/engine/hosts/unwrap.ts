// `unwrap`: undo wrap. A file mcpscope was the last to write is restored from its backup byte for
// byte. A file the user (or the host) edited since is restored entry by entry: each wrapped entry
// gets its original text back and every other edit stays. A file that cannot be parsed is left
// alone with an error; the manifest keeps its record so a later unwrap can finish the job.

import { readFileSync, writeFileSync } from 'node:fs';
import {
  noChange,
  type HostChangeReport,
  type HostFileChange,
  type UnwrapArgs,
} from '../../../shared/host-api-hosts.js';
import type { JsonObject } from '../../../shared/host-api.js';
import {
  ConfigParseError,
  deepEqual,
  editEntry,
  parseConfig,
  serversIn,
  setValue,
  sha256,
  spliceAt,
  textAt,
  valueAt,
  type ParsedConfig,
} from './config.js';
import { unifiedDiff } from './diff.js';
import { loadHostFiles } from './discover.js';
import { isObject, isWrapped, unwrapStdioForm } from './entries.js';
import { HOST_IDS, type HostFile } from './locations.js';
import { HostManifest, type FileManifest } from './manifest.js';
import type { HostsContext } from './wrap.js';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Restore each manifest entry in `text`; returns the new text and fills the change's notes. */
function restoreEntries(m: FileManifest, cfg0: ParsedConfig, change: HostFileChange): string {
  let cfg = cfg0;
  // Latest wraps first: a later entry's offsets never depend on an earlier one's restore.
  for (const e of [...m.entries].reverse()) {
    const current = valueAt(cfg, e.path);
    let next: string | undefined;
    if (current === undefined) {
      change.notes.push(`"${e.name}" was removed since it was wrapped; left out`);
      continue;
    }
    if (textAt(cfg, e.path) === e.wrappedText) next = spliceAt(cfg, e.path, e.originalText);
    else if (deepEqual(current, e.wrapped) && isObject(e.original) && isObject(current))
      next = editEntry(cfg, cfg.text, e.path, current, e.original);
    else if (isWrapped(current) && isObject(current)) {
      const plain = unwrapStdioForm(current, m.launcherEnvKeys);
      if (plain) {
        next = editEntry(cfg, cfg.text, e.path, current, plain);
        change.notes.push(`"${e.name}" was edited while wrapped; unwrapped with your edits kept`);
      } else if (isObject(e.original)) {
        next = setValue(cfg, cfg.text, e.path, e.original);
        change.notes.push(
          `"${e.name}" was edited while wrapped; its original entry is back (your edits to it are in the backup of the wrapped file)`,
        );
      }
    } else {
      change.notes.push(`"${e.name}" is no longer wrapped (changed since); left as it is`);
      continue;
    }
    if (next === undefined) continue;
    change.changed.push(e.name);
    cfg = parseConfig(next, m.path);
  }
  return cfg.text;
}

function readBackup(path: string, change: HostFileChange): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    change.notes.push(
      `the backup ${path} cannot be read (${(e as Error).message}); restoring entry by entry instead`,
    );
    return undefined;
  }
}

function unwrapManaged(m: FileManifest, dryRun: boolean): HostFileChange {
  const change: HostFileChange = { ...noChange(m.host, m.path), backup: m.backup };
  let raw: string | undefined;
  try {
    raw = readText(m.path);
  } catch (e) {
    change.error = `cannot read ${m.path}: ${(e as Error).message}. Left untouched.`;
    return change;
  }
  if (raw === undefined) {
    change.error = `${m.path} no longer exists; nothing to restore. Its backup is ${m.backup}.`;
    return change;
  }
  let after: string;
  const backup =
    m.exact && sha256(raw) === m.wrappedSha256 ? readBackup(m.backup, change) : undefined;
  if (backup !== undefined) {
    after = backup;
    change.restore = 'exact';
    change.changed = m.entries.map((e) => e.name);
  } else {
    let cfg: ParsedConfig;
    try {
      cfg = parseConfig(raw, m.path);
    } catch (e) {
      if (!(e instanceof ConfigParseError)) throw e;
      change.error = e.message;
      return change;
    }
    after = (cfg.bom ? '\uFEFF' : '') + restoreEntries(m, cfg, change);
    change.restore = 'entries';
    change.notes.unshift(
      'the file changed since it was wrapped: only the wrapped entries were restored, your other edits are kept',
    );
  }
  change.diff = unifiedDiff(raw, after, m.path, `${m.path} (unwrapped)`);
  if (!dryRun) {
    if (change.restore === 'exact') writeFileSync(m.path, readFileSync(m.backup));
    else if (after !== raw) writeFileSync(m.path, after);
    change.written = true;
  }
  return change;
}

/** Wrapped entries in a file the manifest does not know (copied from elsewhere, or the manifest was lost). */
function unwrapUnmanaged(
  file: HostFile,
  raw: string,
  cfg: ParsedConfig,
  dryRun: boolean,
): HostFileChange | undefined {
  const change = noChange(file.host, file.path);
  let text = cfg.text;
  let cur = cfg;
  for (const s of serversIn(file, cfg)) {
    if (!isWrapped(s.value) || !isObject(s.value)) continue;
    const plain = unwrapStdioForm(s.value as JsonObject, ['ELECTRON_RUN_AS_NODE']);
    if (!plain) {
      change.skipped.push({
        name: s.name,
        reason:
          'a bridged remote entry mcpscope has no record of: put its URL back by hand (it is after --bridge-to in its args)',
      });
      continue;
    }
    text = editEntry(cur, text, s.path, s.value as JsonObject, plain);
    cur = parseConfig(text, file.path);
    change.changed.push(s.name);
  }
  if (change.changed.length === 0 && change.skipped.length === 0) return undefined;
  change.restore = 'entries';
  change.notes.push(
    'mcpscope has no record of wrapping this file: entries were unwrapped from their own arguments',
  );
  const after = (cfg.bom ? '\uFEFF' : '') + text;
  change.diff = unifiedDiff(raw, after, file.path, `${file.path} (unwrapped)`);
  if (!dryRun && after !== raw) {
    writeFileSync(file.path, after);
    change.written = true;
  }
  return change;
}

export function unwrapHosts(ctx: HostsContext, args: UnwrapArgs): HostChangeReport {
  const manifest = new HostManifest(ctx.dataDir);
  const hosts = args.hosts && args.hosts.length > 0 ? args.hosts : HOST_IDS;
  const dryRun = args.dryRun === true;
  const changes: HostFileChange[] = [];
  for (const m of manifest.all()) {
    if (!hosts.includes(m.host)) continue;
    const change = unwrapManaged(m, dryRun);
    changes.push(change);
    if (!dryRun && (change.written || /no longer exists/.test(change.error ?? ''))) {
      manifest.delete(m.path);
      manifest.save();
    }
  }
  for (const l of loadHostFiles(ctx.hostEnv, hosts)) {
    if (manifest.get(l.file.path) || changes.some((c) => c.path === l.file.path)) continue;
    if (l.error !== undefined || !l.cfg || l.text === undefined) {
      if (l.text !== undefined && /\bmcpscope(\.js)?\b/.test(l.text))
        changes.push({ ...noChange(l.file.host, l.file.path), error: l.error ?? 'cannot parse' });
      continue;
    }
    const c = unwrapUnmanaged(l.file, l.text, l.cfg, dryRun);
    if (c) changes.push(c);
  }
  return { dryRun, changes };
}
