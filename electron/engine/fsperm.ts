// Private files and folders whatever the umask: captures hold whole conversations (and the data
// folder holds the signing key), so another local user may neither read them nor plant files the
// app would load. Modes given to mkdir/open are filtered by the umask only when they create; an
// explicit chmod is what makes them hold.

import { chmodSync, fchmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { dataDir } from './paths.js';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/**
 * Create `path` (and missing parents) as 0700. Folders we create are always tightened; existing
 * folders are tightened only inside mcpscope's data directory (never a user's own `--out` folder).
 */
export function ensurePrivateDir(path: string, root: string = dataDir()): void {
  const target = resolve(path);
  const first = mkdirSync(target, { recursive: true, mode: DIR_MODE });
  if (first !== undefined) {
    // Every folder from the first one created down to target is ours.
    for (let d = target; ; d = dirname(d)) {
      chmodSync(d, DIR_MODE);
      if (d === resolve(first) || d === dirname(d)) break;
    }
  }
  const top = resolve(root);
  if (!inside(top, target)) return;
  for (let d = target; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o777) !== DIR_MODE) chmodSync(d, DIR_MODE);
    if (d === top || d === dirname(d)) break;
  }
}

/** Make an open file 0600 (an existing `--out` file keeps its old mode otherwise). */
export function tightenFd(fd: number): void {
  if (process.platform !== 'win32') fchmodSync(fd, FILE_MODE);
}

/** Make a file 0600 by path. */
export function tightenFile(path: string): void {
  if (process.platform !== 'win32') chmodSync(path, FILE_MODE);
}
