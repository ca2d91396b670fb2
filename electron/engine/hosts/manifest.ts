// What wrap changed, kept in the data directory so unwrap can undo it: per config file, the backup
// of its bytes before mcpscope's first change, the hash of what mcpscope last wrote, and each
// wrapped entry before and after (value and exact text). Written 0600: entries carry the
// servers' env and headers, which often hold tokens.

import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HostId } from '../../../shared/host-api-hosts.js';
import type { JsonObject, JsonValue } from '../../../shared/host-api.js';
import { isObject } from './entries.js';

export interface ManifestEntry {
  name: string;
  path: string[];
  original: JsonValue;
  originalText: string;
  wrapped: JsonObject;
  wrappedText: string;
}

export interface FileManifest {
  host: HostId;
  path: string;
  /** Backup of the file before mcpscope's first change. */
  backup: string;
  /** sha256 of the file as mcpscope last wrote it. */
  wrappedSha256: string;
  /** The file is the backup plus mcpscope's edits only: unwrap may restore the backup byte for byte. */
  exact: boolean;
  wrappedAt: string;
  /** Environment keys the launcher added to entries (removed again on unwrap). */
  launcherEnvKeys: string[];
  entries: ManifestEntry[];
}

export class ManifestError extends Error {}

const VERSION = 1;

export class HostManifest {
  readonly dir: string;
  readonly file: string;
  private readonly byPath = new Map<string, FileManifest>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'hosts');
    this.file = join(this.dir, 'manifest.json');
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    let v: JsonValue;
    try {
      v = JSON.parse(text) as JsonValue;
    } catch (e) {
      throw new ManifestError(
        `${this.file} is not valid JSON (${(e as Error).message}). Move it away to start over; backups are in ${join(this.dir, 'backups')}.`,
      );
    }
    if (!isObject(v) || v.version !== VERSION || !Array.isArray(v.files))
      throw new ManifestError(
        `${this.file} is not an mcpscope host manifest (version ${VERSION}).`,
      );
    for (const f of v.files) {
      if (isObject(f) && typeof f.path === 'string' && Array.isArray(f.entries))
        this.byPath.set(f.path, f as unknown as FileManifest);
    }
  }

  get(path: string): FileManifest | undefined {
    return this.byPath.get(path);
  }

  all(): FileManifest[] {
    return [...this.byPath.values()];
  }

  set(m: FileManifest): void {
    this.byPath.set(m.path, m);
  }

  delete(path: string): void {
    this.byPath.delete(path);
  }

  /** Copy `path` into the backups folder; returns the backup's path. */
  backup(host: HostId, path: string): string {
    const dir = join(this.dir, 'backups');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = join(
      dir,
      `${stamp}-${randomBytes(3).toString('hex')}-${host}-${basename(path)}`,
    );
    copyFileSync(path, target);
    return target;
  }

  save(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: VERSION, files: this.all() }, null, 2)}\n`, {
      mode: 0o600,
    });
    renameSync(tmp, this.file);
  }
}
