// Part of the host API (see host-api.ts): the retention policy of the captures folder and the
// library (shared/retention.ts), saved in the engine's data directory (retention.json), and a
// clean-up that first shows what it would delete.

import type { RetentionPolicy } from './retention.js';

export interface RetentionSettings {
  policy: RetentionPolicy;
  /** The settings file (in the data directory). */
  file: string;
  /** The folders the policy applies to. */
  folders: string[];
}

export interface GcItem {
  path: string;
  bytes: number;
  mtimeMs: number;
}

export interface GcReport {
  policy: RetentionPolicy;
  dryRun: boolean;
  /** Deleted (or, in a dry run, to be deleted), oldest first. */
  deleted: (GcItem & { reason: 'age' | 'size' })[];
  /** Kept because they may still be recording. */
  protected: (GcItem & { why: string })[];
  kept: number;
  totalBytes: number;
  freedBytes: number;
  /** Files that could not be deleted, and why. */
  errors: { path: string; message: string }[];
}

export interface RetentionCommands {
  getRetention: { args: undefined; result: RetentionSettings };
  setRetention: { args: { policy: RetentionPolicy }; result: RetentionSettings };
  /** Apply a policy (the saved one unless `policy` is given); `dryRun` only lists. */
  runRetention: { args: { dryRun: boolean; policy?: RetentionPolicy }; result: GcReport };
}

export const RETENTION_COMMAND_FLAGS: Record<keyof RetentionCommands, true> = {
  getRetention: true,
  setRetention: true,
  runRetention: true,
};
