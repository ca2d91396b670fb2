// The retention settings file: <data dir>/retention.json (0600), {"maxAgeDays": n|null,
// "maxBytes": n|null}. Read by `mcpscope gc` for its defaults and by the app's Settings. A missing
// file means no policy (nothing expires); a damaged one is an error saying how to fix it.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NO_RETENTION,
  retentionPolicySchema,
  type RetentionPolicy,
} from '../../../shared/retention.js';
import { ensurePrivateDir } from '../fsperm.js';

export class RetentionSettingsError extends Error {}

export function retentionFile(dataDir: string): string {
  return join(dataDir, 'retention.json');
}

export function readRetention(dataDir: string): RetentionPolicy {
  const path = retentionFile(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...NO_RETENTION };
    throw new RetentionSettingsError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RetentionSettingsError(
      `${path} is not JSON (${(e as Error).message}); fix it or delete it (no file = no retention limit)`,
    );
  }
  const r = retentionPolicySchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new RetentionSettingsError(
      `${path}: ${issue.path.join('.') || 'the file'} ${issue.message}; expected {"maxAgeDays": days or null, "maxBytes": bytes or null}`,
    );
  }
  return r.data;
}

export function writeRetention(dataDir: string, policy: RetentionPolicy): void {
  const checked = retentionPolicySchema.parse(policy);
  ensurePrivateDir(dataDir, dataDir);
  const path = retentionFile(dataDir);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
