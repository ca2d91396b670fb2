// Imports of large capture files from the UI, in slices (host-api-upload.ts): each slice is
// appended to a private `.part` file under captures/imported/; when the last one arrived the file
// gets its capture name and is opened like `mcpscope ui FILE` (streamed and verified; a large one
// is only counted and stays unloaded). Nothing holds the whole file in memory on either side.

import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CAPTURE_EXTENSION } from '../../../shared/capture/index.js';
import { HostApiError, type HostCommandsApi } from '../../../shared/host-api.js';
import { ensurePrivateDir, tightenFile } from '../fsperm.js';
import { importedPath } from './imported-path.js';
import type { SessionRegistry } from './registry.js';

type UploadApi = Pick<
  HostCommandsApi,
  'importBegin' | 'importChunk' | 'importFinish' | 'importAbort'
>;

interface Upload {
  name: string;
  size: number;
  part: string;
  fd: number;
  received: number;
  lastActive: number;
}

/** An upload nobody sent a slice to for this long is dropped (its part file deleted). */
const STALE_MS = 10 * 60_000;
/** At most this many uploads at once. */
const MAX_UPLOADS = 4;

export class Uploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly capturesDir: string,
    private readonly registry: SessionRegistry,
  ) {}

  private drop(id: string): boolean {
    const u = this.uploads.get(id);
    if (!u) return false;
    this.uploads.delete(id);
    try {
      closeSync(u.fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(u.part);
    } catch {
      // already gone
    }
    return true;
  }

  private get(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u)
      throw new HostApiError(
        'not-found',
        'no such import in progress (it finished, was cancelled, or waited over 10 minutes); import the file again',
      );
    u.lastActive = Date.now();
    return u;
  }

  dispose(): void {
    for (const id of [...this.uploads.keys()]) this.drop(id);
  }

  commands(): UploadApi {
    return {
      importBegin: async ({ name, size }) => {
        const now = Date.now();
        for (const [id, u] of this.uploads) if (now - u.lastActive > STALE_MS) this.drop(id);
        if (this.uploads.size >= MAX_UPLOADS)
          throw new HostApiError(
            'unavailable',
            `${MAX_UPLOADS} imports are already running; wait for one to finish`,
          );
        const dir = join(this.capturesDir, 'imported');
        ensurePrivateDir(dir, this.capturesDir);
        const uploadId = randomUUID();
        const part = join(dir, `.${uploadId}.part`);
        const fd = openSync(part, 'wx', 0o600);
        this.uploads.set(uploadId, { name, size, part, fd, received: 0, lastActive: now });
        return { uploadId };
      },
      importChunk: async ({ uploadId, offset, b64 }) => {
        const u = this.get(uploadId);
        if (offset !== u.received)
          throw new HostApiError(
            'bad-request',
            `slice at byte ${offset}, but ${u.received} bytes were received so far; send the slices in order`,
          );
        const bytes = Buffer.from(b64, 'base64');
        if (u.received + bytes.length > u.size) {
          this.drop(uploadId);
          throw new HostApiError(
            'bad-request',
            `${basename(u.name)}: more bytes than the ${u.size} announced; the import was cancelled`,
          );
        }
        try {
          for (let at = 0; at < bytes.length;) at += writeSync(u.fd, bytes, at, bytes.length - at);
        } catch (e) {
          this.drop(uploadId);
          throw new HostApiError(
            'unavailable',
            `cannot write the imported copy: ${(e as Error).message}; free disk space and import again`,
          );
        }
        u.received += bytes.length;
        return { received: u.received };
      },
      importFinish: async ({ uploadId }) => {
        const u = this.get(uploadId);
        if (u.received !== u.size) {
          this.drop(uploadId);
          throw new HostApiError(
            'bad-request',
            `${basename(u.name)}: ${u.received} of ${u.size} bytes arrived; the import was cancelled, import the file again`,
          );
        }
        this.uploads.delete(uploadId);
        closeSync(u.fd);
        const path = importedPath(join(this.capturesDir, 'imported'), u.name, CAPTURE_EXTENSION);
        renameSync(u.part, path);
        tightenFile(path);
        try {
          return (await this.registry.openFile(path, 'imported')).summary();
        } catch (e) {
          // Not a capture: nothing of it stays in the library's folder.
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
          throw new HostApiError('bad-request', `${basename(u.name)}: ${(e as Error).message}`);
        }
      },
      importAbort: async ({ uploadId }) => ({ aborted: this.drop(uploadId) }),
    };
  }
}
