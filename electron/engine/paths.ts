// Where mcpscope keeps its data: MCPSCOPE_HOME if set, else the platform's user data directory.
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { CAPTURE_EXTENSION } from '../../shared/capture/index.js';

export function dataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.MCPSCOPE_HOME) return env.MCPSCOPE_HOME;
  const home = homedir();
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'mcpscope');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'mcpscope');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'mcpscope');
}

export function capturesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'captures');
}

/** `2026-11-22T22-52-12-123Z-server-name-4242.mcpscope.jsonl`: sortable, unique per process. */
export function defaultCapturePath(label: string, env: NodeJS.ProcessEnv = process.env): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const safe =
    basename(label)
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .slice(0, 40) || 'session';
  return join(capturesDir(env), `${stamp}-${safe}-${process.pid}${CAPTURE_EXTENSION}`);
}
