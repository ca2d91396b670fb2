// --out checks for commands that write a capture: an unwritable path is reported before anything
// starts, not discovered after the session (when the recording is already lost).

import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Why `path` cannot be written as a new or replaced file, or undefined when it can. */
export function outPathProblem(path: string): string | undefined {
  const full = resolve(path);
  let st;
  try {
    st = statSync(full);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory())
    return `${path} is a folder; give a file name, e.g. ${path.replace(/\/$/, '')}/session.mcpscope.jsonl`;
  // The nearest folder that exists must be writable (the writer creates the rest). No mkdir here:
  // creating folders is the writer's job, and a check must not change the disk.
  let dir = dirname(full);
  for (let i = 0; i < 256; i++) {
    let d;
    try {
      d = statSync(dir);
    } catch {
      d = undefined;
    }
    if (d) {
      if (!d.isDirectory()) return `${dir} is a file, not a folder`;
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  try {
    accessSync(st ? full : dir, constants.W_OK);
  } catch (e) {
    return `cannot write ${st ? full : `in ${dir}`} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  return undefined;
}
