// Files of the app's Export menu. Each exportAs streams its output into an owner-only file in the
// data dir (`exports/`, 0700; files 0600), so neither the engine nor the page holds it whole. The
// page downloads it with a download ticket: random, single use, valid for 60 s and bound to that
// one file, so the URL it opens (and that browser history keeps) grants nothing afterwards and is
// never the session credential. A file is deleted once it has been sent, when the dialog discards
// it, when the engine stops, and (left by an engine that was killed) an hour after it was written.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { HostApiError, type ExportDownload } from '../../../shared/host-api.js';
import { ensurePrivateDir } from '../fsperm.js';

export const DOWNLOAD_TICKET_TTL_MS = 60_000;
/** Files never downloaded are removed after this (checked at each export and at start). */
export const EXPORT_FILE_TTL_MS = 60 * 60_000;
/** At most this many files wait to be downloaded; older ones are removed first. */
const MAX_FILES = 20;
const TICKET = /^[A-Za-z0-9_-]{32}$/;

export interface ExportFile {
  id: string;
  path: string;
  fileName: string;
  mimeType: string;
  created: number;
}

/** What a redeemed ticket grants: one file, to be sent once; `done` deletes it. */
export interface DownloadGrant {
  path: string;
  fileName: string;
  mimeType: string;
  size: number;
  done(): void;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ExportFiles {
  private readonly files = new Map<string, ExportFile>();
  private readonly tickets = new Map<string, { id: string; expires: number }>();

  constructor(
    readonly dir: string,
    private readonly dataDir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new (not yet written) file for an export named `fileName`. */
  create(fileName: string, mimeType: string): ExportFile {
    ensurePrivateDir(this.dir, this.dataDir);
    this.sweep();
    const id = randomBytes(16).toString('hex');
    const f = { id, path: join(this.dir, `${id}.export`), fileName, mimeType, created: this.now() };
    this.files.set(id, f);
    while (this.files.size > MAX_FILES) this.discard(this.files.keys().next().value!);
    return f;
  }

  /** Delete a file (written or not) and the tickets for it. */
  discard(id: string): boolean {
    const f = this.files.get(id);
    if (!f) return false;
    this.files.delete(id);
    for (const [t, v] of this.tickets) if (v.id === id) this.tickets.delete(t);
    try {
      unlinkSync(f.path);
    } catch {
      // never written, or already gone
    }
    return true;
  }

  /** A single-use URL (relative to the page) for one written file. */
  ticket(id: string): ExportDownload {
    this.sweep();
    const f = this.files.get(id);
    if (!f || !exists(f.path))
      throw new HostApiError(
        'not-found',
        'this export is no longer kept (it was downloaded, replaced or expired): export again',
      );
    const t = randomBytes(24).toString('base64url');
    this.tickets.set(t, { id, expires: this.now() + DOWNLOAD_TICKET_TTL_MS });
    return { url: `download/${t}`, expiresInMs: DOWNLOAD_TICKET_TTL_MS };
  }

  /** Spend a ticket: the file it is bound to, or undefined (unknown, used or expired). */
  redeem(ticket: string): DownloadGrant | undefined {
    this.sweep();
    if (!TICKET.test(ticket)) return undefined;
    let hit: string | undefined;
    for (const t of this.tickets.keys()) if (same(t, ticket)) hit = t;
    if (hit === undefined) return undefined;
    const { id } = this.tickets.get(hit)!;
    this.tickets.delete(hit);
    const f = this.files.get(id);
    if (!f) return undefined;
    let size: number;
    try {
      size = statSync(f.path).size;
    } catch {
      this.discard(id);
      return undefined;
    }
    // The file is bound to this one download: no other ticket may be issued for it.
    for (const [t, v] of this.tickets) if (v.id === id) this.tickets.delete(t);
    return {
      path: f.path,
      fileName: f.fileName,
      mimeType: f.mimeType,
      size,
      done: () => void this.discard(id),
    };
  }

  /** Drop expired tickets and files older than EXPORT_FILE_TTL_MS (also those of past runs). */
  sweep(): void {
    const now = this.now();
    for (const [t, v] of this.tickets) if (v.expires < now) this.tickets.delete(t);
    for (const f of [...this.files.values()])
      if (now - f.created > EXPORT_FILE_TTL_MS) this.discard(f.id);
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (!/^[0-9a-f]{32}\.export$/.test(n) || this.files.has(n.slice(0, 32))) continue;
      try {
        const p = join(this.dir, n);
        if (now - statSync(p).mtimeMs > EXPORT_FILE_TTL_MS) unlinkSync(p);
      } catch {
        // another engine removed it
      }
    }
  }

  /** The engine stops: nothing it wrote is kept. */
  dispose(): void {
    for (const id of [...this.files.keys()]) this.discard(id);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
