// `wrap`: route host servers through mcpscope. Per file: compute the edits (jsonc modify keeps the
// rest of the file as it was), show the diff, and unless it is a dry run back the file up, write
// it and record the change in the manifest. An entry already wrapped is never wrapped again.

import { readFileSync, writeFileSync } from 'node:fs';
import {
  noChange,
  type HostChangeReport,
  type HostFileChange,
  type WrapArgs,
} from '../../../shared/host-api-hosts.js';
import type { JsonObject } from '../../../shared/host-api.js';
import { editEntry, parseConfig, serversIn, sha256, textAt, valueAt } from './config.js';
import { unifiedDiff } from './diff.js';
import { loadHostFiles, type LoadedFile } from './discover.js';
import { classify, isWrapped, wrapEntry, type Launcher } from './entries.js';
import { HOST_IDS, type HostEnv } from './locations.js';
import { HostManifest, type ManifestEntry } from './manifest.js';

export interface HostsContext {
  hostEnv: HostEnv;
  dataDir: string;
  launcher: Launcher;
}

interface Plan {
  change: HostFileChange;
  newText?: string;
  entries: Omit<ManifestEntry, 'wrappedText'>[];
}

function planFile(l: LoadedFile, args: WrapArgs, launcher: Launcher): Plan {
  const change = noChange(l.file.host, l.file.path);
  if (l.error !== undefined || !l.cfg || l.text === undefined) {
    change.error = l.error ?? `cannot parse ${l.file.path}`;
    return { change, entries: [] };
  }
  const cfg = l.cfg;
  let text = cfg.text;
  const entries: Plan['entries'] = [];
  const only = args.servers && args.servers.length > 0 ? new Set(args.servers) : undefined;
  for (const s of serversIn(l.file, cfg)) {
    if (only && !only.has(s.name)) continue;
    if (isWrapped(s.value)) {
      change.skipped.push({ name: s.name, reason: 'already wrapped' });
      continue;
    }
    const wrapped = wrapEntry(s.value, launcher);
    if (!wrapped) {
      const k = classify(s.value);
      change.skipped.push({
        name: s.name,
        reason: k.kind === 'unknown' ? `cannot wrap: ${k.reason}` : 'cannot wrap',
      });
      continue;
    }
    text = editEntry(cfg, text, s.path, s.value as JsonObject, wrapped);
    entries.push({
      name: s.name,
      path: s.path,
      original: s.value,
      originalText: textAt(cfg, s.path) ?? JSON.stringify(s.value),
      wrapped,
    });
    change.changed.push(s.name);
  }
  if (only) {
    const present = new Set(serversIn(l.file, cfg).map((s) => s.name));
    for (const name of only)
      if (!present.has(name))
        change.skipped.push({ name, reason: 'no server of that name in this file' });
  }
  if (entries.length === 0) return { change, entries };
  change.diff = unifiedDiff(cfg.text, text, l.file.path, `${l.file.path} (wrapped)`);
  return { change, newText: text, entries };
}

export function wrapHosts(ctx: HostsContext, args: WrapArgs): HostChangeReport {
  const manifest = new HostManifest(ctx.dataDir);
  const files = loadHostFiles(
    ctx.hostEnv,
    args.hosts && args.hosts.length > 0 ? args.hosts : HOST_IDS,
  );
  const changes: HostFileChange[] = [];
  for (const l of files) {
    const plan = planFile(l, args, ctx.launcher);
    const { change } = plan;
    if (change.error === undefined && change.changed.length === 0 && change.skipped.length === 0)
      continue;
    changes.push(change);
    if (args.dryRun || plan.newText === undefined) continue;
    try {
      const before = readFileSync(l.file.path);
      if (before.toString('utf8') !== l.text)
        throw new Error('the file changed while mcpscope was reading it; run wrap again');
      const prior = manifest.get(l.file.path);
      // The first wrap's backup stays the one to restore; a later wrap of an untouched file keeps it exact.
      const backup = manifest.backup(l.file.host, l.file.path);
      const exact = prior ? prior.exact && sha256Buf(before) === prior.wrappedSha256 : true;
      const out = (l.cfg!.bom ? '\uFEFF' : '') + plan.newText;
      const after = parseConfig(plan.newText, l.file.path);
      const entries: ManifestEntry[] = plan.entries.map((e) => ({
        ...e,
        wrappedText: textAt(after, e.path) ?? JSON.stringify(valueAt(after, e.path)),
      }));
      writeFileSync(l.file.path, out);
      manifest.set({
        host: l.file.host,
        path: l.file.path,
        backup: prior?.backup ?? backup,
        wrappedSha256: sha256(out),
        exact,
        wrappedAt: new Date().toISOString(),
        launcherEnvKeys: Object.keys(ctx.launcher.env ?? {}),
        entries: [...(prior?.entries ?? []), ...entries],
      });
      manifest.save();
      change.written = true;
      change.backup = prior?.backup ?? backup;
    } catch (e) {
      change.error = `cannot write ${l.file.path}: ${(e as Error).message}`;
    }
  }
  return { dryRun: args.dryRun === true, changes };
}

function sha256Buf(b: Buffer): string {
  return sha256(b.toString('utf8'));
}
