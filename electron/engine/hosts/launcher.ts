// How a host starts mcpscope: an absolute interpreter and the absolute bin script, so the wrapped
// entry works whatever PATH and working directory the host gives it (GUI apps on macOS get a
// minimal PATH; `npx mcpscope` would resolve per project).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Launcher } from './entries.js';

/** The mcpscope checkout or install this code runs from (the folder holding bin/mcpscope.js). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'bin', 'mcpscope.js')) && existsSync(join(dir, 'package.json')))
      return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(
    `cannot find bin/mcpscope.js above ${from}: run mcpscope from its checkout or install`,
  );
}

export function defaultLauncher(): Launcher {
  const bin = join(packageRoot(), 'bin', 'mcpscope.js');
  // Inside Electron, execPath is the app binary: it runs a script as plain Node with ELECTRON_RUN_AS_NODE.
  if (process.versions.electron)
    return { command: process.execPath, args: [bin], env: { ELECTRON_RUN_AS_NODE: '1' } };
  return { command: process.execPath, args: [bin] };
}
