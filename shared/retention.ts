// THE retention policy for the captures folder and the app library: which capture files to
// delete, given their size, age and whether they are still being recorded. Pure: the engine lists
// the files (electron/engine/gc/), this decides, the engine deletes. `mcpscope gc` and the app's
// Settings both use it.

import { z } from 'zod';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A capture without an end record modified this recently may still be recording: never deleted. */
export const LIVE_WINDOW_MS = DAY_MS;
export const MAX_AGE_DAYS_LIMIT = 36_500;
export const MAX_BYTES_LIMIT = 2 ** 53 - 1;

export const retentionPolicySchema = z.strictObject({
  /** Delete captures last written more than this many days ago (null: no age limit). */
  maxAgeDays: z
    .number({ error: 'must be a number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(1, { error: 'must be at least 1 day' })
    .max(MAX_AGE_DAYS_LIMIT, { error: `must be at most ${MAX_AGE_DAYS_LIMIT} days` })
    .nullable(),
  /** Delete the oldest captures until all of them together take at most this many bytes (null: no size limit). */
  maxBytes: z
    .number({ error: 'must be a number of bytes' })
    .int({ error: 'must be a whole number of bytes' })
    .min(1, { error: 'must be at least 1 byte' })
    .max(MAX_BYTES_LIMIT)
    .nullable(),
});
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

/** No settings file: nothing expires (audit evidence is deleted only by a policy someone chose). */
export const NO_RETENTION: RetentionPolicy = { maxAgeDays: null, maxBytes: null };

export function hasLimit(p: RetentionPolicy): boolean {
  return p.maxAgeDays !== null || p.maxBytes !== null;
}

export class RetentionInputError extends Error {}

/** "30d", "2w", "1y", "12" (days) → whole days; "none"/"off" → null. */
export function parseMaxAge(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'none' || t === 'off') return null;
  const m = /^(\d+)\s*(d|day|days|w|week|weeks|y|year|years)?$/.exec(t);
  if (!m)
    throw new RetentionInputError(
      `max age ${JSON.stringify(text)}: give a number of days with a unit, e.g. 30d, 2w or 1y (or "none")`,
    );
  const n = Number(m[1]);
  const unit = m[2]?.[0] ?? 'd';
  const days = unit === 'w' ? n * 7 : unit === 'y' ? n * 365 : n;
  if (days < 1 || days > MAX_AGE_DAYS_LIMIT)
    throw new RetentionInputError(
      `max age ${JSON.stringify(text)}: must be from 1 day to ${MAX_AGE_DAYS_LIMIT} days`,
    );
  return days;
}

const UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** "2GB", "500 MB", "1.5g", "1048576" (bytes) → bytes (binary units: 1 GB = 1024³ bytes); "none"/"off" → null. */
export function parseMaxSize(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'none' || t === 'off') return null;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(t);
  const mult = m ? (m[2] === '' ? 1 : UNITS[m[2]!]) : undefined;
  if (!m || mult === undefined)
    throw new RetentionInputError(
      `max size ${JSON.stringify(text)}: give a size such as 500MB, 2GB or 1TB (or "none")`,
    );
  const bytes = Math.floor(Number(m[1]) * mult);
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new RetentionInputError(`max size ${JSON.stringify(text)}: must be at least 1 byte`);
  return bytes;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function describePolicy(p: RetentionPolicy): string {
  if (!hasLimit(p)) return 'no limit (nothing expires)';
  const parts: string[] = [];
  if (p.maxAgeDays !== null)
    parts.push(`older than ${p.maxAgeDays} day${p.maxAgeDays === 1 ? '' : 's'}`);
  if (p.maxBytes !== null) parts.push(`beyond ${formatBytes(p.maxBytes)} in total, oldest first`);
  return `delete captures ${parts.join('; ')}`;
}

export interface RetentionFile {
  path: string;
  bytes: number;
  /** Last modification (a capture's last record). */
  mtimeMs: number;
  /** The file ends with an end record (its recorder finished). */
  ended: boolean;
  /** Known to be live (the app's live sessions), whatever its age. */
  live?: boolean;
}

export interface RetentionItem {
  path: string;
  bytes: number;
  mtimeMs: number;
}

export interface RetentionPlan {
  /** Oldest first. */
  delete: (RetentionItem & { reason: 'age' | 'size' })[];
  /** Never deleted: still being recorded. */
  protected: (RetentionItem & { why: string })[];
  kept: number;
  totalBytes: number;
  /** Bytes left once the plan is carried out. */
  keptBytes: number;
}

function isProtected(f: RetentionFile, now: number, liveWindowMs: number): string | undefined {
  if (f.live) return 'live in the app';
  if (!f.ended && now - f.mtimeMs < liveWindowMs)
    return `no end record and written ${Math.max(0, Math.round((now - f.mtimeMs) / 60_000))} min ago: may still be recording`;
  return undefined;
}

/**
 * What the policy deletes: first every capture older than maxAgeDays, then the oldest remaining
 * ones until the total (protected files included) is at most maxBytes. A capture that may still
 * be recording is never deleted, and counts towards the total.
 */
export function planRetention(
  files: readonly RetentionFile[],
  policy: RetentionPolicy,
  now: number,
  liveWindowMs = LIVE_WINDOW_MS,
): RetentionPlan {
  const sorted = [...files].sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
  const plan: RetentionPlan = { delete: [], protected: [], kept: 0, totalBytes: 0, keptBytes: 0 };
  const candidates: RetentionFile[] = [];
  for (const f of sorted) {
    plan.totalBytes += f.bytes;
    const why = isProtected(f, now, liveWindowMs);
    const item = { path: f.path, bytes: f.bytes, mtimeMs: f.mtimeMs };
    if (why) plan.protected.push({ ...item, why });
    else if (policy.maxAgeDays !== null && now - f.mtimeMs > policy.maxAgeDays * DAY_MS)
      plan.delete.push({ ...item, reason: 'age' });
    else candidates.push(f);
  }
  let remaining = plan.totalBytes - plan.delete.reduce((n, d) => n + d.bytes, 0);
  for (const f of candidates) {
    if (policy.maxBytes !== null && remaining > policy.maxBytes) {
      plan.delete.push({ path: f.path, bytes: f.bytes, mtimeMs: f.mtimeMs, reason: 'size' });
      remaining -= f.bytes;
    } else plan.kept++;
  }
  plan.delete.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
  plan.kept += plan.protected.length;
  plan.keptBytes = remaining;
  return plan;
}
