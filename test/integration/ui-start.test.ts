// `npm start` without the Electron binary (as on this machine: its download is blocked): says so
// and starts browser mode, which serves the UI; Ctrl-C / SIGTERM stops everything with exit 0.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, scratchDir } from '../helpers/paths.js';

/** The same test as scripts/start.mjs: a path that exists, not merely a package that loads. */
function electronBinary(): boolean {
  try {
    const p: unknown = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p);
  } catch {
    return false;
  }
}

// Where the binary IS installed, start.mjs would open a window; MCPSCOPE_NO_ELECTRON makes it take
// the fallback path anyway, so this test runs (and can fail) everywhere instead of skipping.
const forceFallback = electronBinary() ? { MCPSCOPE_NO_ELECTRON: '1' } : {};

describe('scripts/start.mjs', () => {
  it('falls back to browser mode with a clear message', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--no-open'], {
      cwd: ROOT,
      env: { ...process.env, ...forceFallback, MCPSCOPE_HOME: scratchDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL in 30 s: ${err}`)), 30_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(out.split('\n')[0]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    expect(err).toContain('the Electron binary is not installed here');
    expect(err).toContain('browser mode');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#ticket=/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
