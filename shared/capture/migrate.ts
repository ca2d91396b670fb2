// Format migrations, one step at a time (migrate_1_to_2, migrate_2_to_3, …). A record read from an
// older file is lifted to the current version before validation; the hash chain is always checked
// on the text as written.

import { CAPTURE_VERSION } from './types.js';

export type Migration = (record: Record<string, unknown>) => Record<string, unknown>;

/** `MIGRATIONS[n]` lifts a version-n record to version n+1. Empty while v1 is the only version. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export function migrateRecord(
  record: Record<string, unknown>,
  fromVersion: number,
  toVersion: number = CAPTURE_VERSION,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
): Record<string, unknown> {
  let r = record;
  for (let v = fromVersion; v < toVersion; v++) {
    const step = migrations[v];
    if (!step) throw new Error(`no migration from capture format v${v} to v${v + 1}`);
    r = step(r);
  }
  if (r.type === 'header') r = { ...r, version: toVersion };
  return r;
}
