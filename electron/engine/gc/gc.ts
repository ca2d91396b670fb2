// Apply the retention policy (shared/retention.ts) to the captures folder and the library's
// imported copies: list the capture files, plan, delete. Only regular capture files directly in
// those folders, owned by this user, are ever considered (no symlink is followed, nothing outside
// the data directory is touched), and a capture that may still be recording is never deleted.

import {
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import type { GcReport } from '../../../shared/host-api-retention.js';
import {
  planRetention,
  type RetentionFile,
  type RetentionPolicy,
} from '../../../shared/retention.js';

/** Capture files: recordings, imports, redacted copies and their age-encrypted exports. */
export const GC_SUFFIXES = ['.mcpscope.jsonl', '.mcpscope.jsonl.age'] as const;

export function gcFolders(dataDir: string): string[] {
  const captures = join(dataDir, 'captures');
  return [captures, join(captures, 'imported')];
}

const TAIL_BYTES = 64 * 1024;

/** Whether the file's last complete line is an end record (read from its last 64 KiB only). */
export function endsWithEndRecord(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const text = buf.toString('utf8').replace(/\n+$/, '');
    const last = text.slice(text.lastIndexOf('\n') + 1);
    const o = JSON.parse(last) as unknown;
    return typeof o === 'object' && o !== null && (o as { type?: unknown }).type === 'end';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return (
    rel !== '' &&
    !rel.startsWith('..') &&
    !isAbsolute(rel) &&
    !rel.includes('/') &&
    !rel.includes('\\')
  );
}

/** The capture files the policy applies to. */
export function listCaptureFiles(
  dataDir: string,
  livePaths: ReadonlySet<string> = new Set(),
): RetentionFile[] {
  const out: RetentionFile[] = [];
  const uid = process.getuid?.();
  for (const dir of gcFolders(dataDir)) {
    let names: string[];
    try {
      // A folder that is itself a symlink is not followed.
      if (!lstatSync(dir).isDirectory()) continue;
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      if (!GC_SUFFIXES.some((s) => n.endsWith(s))) continue;
      const path = join(dir, n);
      try {
        const st = lstatSync(path);
        if (!st.isFile()) continue; // symlinks, folders, devices: never ours to delete
        if (uid !== undefined && st.uid !== uid) continue;
        out.push({
          path,
          bytes: st.size,
          mtimeMs: st.mtimeMs,
          // An encrypted export is a finished file; a recording is finished when it has an end record.
          ended: n.endsWith('.age') ? true : endsWithEndRecord(path),
          live: livePaths.has(path),
        });
      } catch {
        // vanished meanwhile
      }
    }
  }
  return out;
}

export interface GcOptions {
  dataDir: string;
  policy: RetentionPolicy;
  dryRun: boolean;
  now?: number;
  /** Paths the app knows to be live. */
  livePaths?: ReadonlySet<string>;
}

export function runGc(opts: GcOptions): GcReport {
  const files = listCaptureFiles(opts.dataDir, opts.livePaths);
  const plan = planRetention(files, opts.policy, opts.now ?? Date.now());
  const report: GcReport = {
    policy: opts.policy,
    dryRun: opts.dryRun,
    deleted: [],
    protected: plan.protected,
    kept: plan.kept,
    totalBytes: plan.totalBytes,
    freedBytes: 0,
    errors: [],
  };
  const folders = new Set(
    gcFolders(opts.dataDir).flatMap((d) => {
      try {
        return [realpathSync(d)];
      } catch {
        return [];
      }
    }),
  );
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const d of plan.delete) {
    if (opts.dryRun) {
      report.deleted.push(d);
      report.freedBytes += d.bytes;
      continue;
    }
    try {
      // Checked again right before deleting: still a plain file directly in one of our folders,
      // and not written to since it was listed (a recording that resumed is left alone).
      const real = realpathSync(dirname(d.path));
      if (!folders.has(real) || !inside(real, join(real, relative(dirname(d.path), d.path))))
        throw new Error('not in the captures folder');
      const st = lstatSync(d.path);
      if (!st.isFile()) throw new Error('no longer a regular file');
      if (st.mtimeMs !== byPath.get(d.path)?.mtimeMs)
        throw new Error('written to since it was listed; kept');
      unlinkSync(d.path);
      report.deleted.push(d);
      report.freedBytes += d.bytes;
    } catch (e) {
      report.errors.push({ path: d.path, message: (e as Error).message });
    }
  }
  return report;
}
