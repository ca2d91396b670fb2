// Lifecycle and permissions of what the recorder leaves behind: a server that ignores SIGTERM is
// gone (with what it started) soon after the recorder is stopped, the capture ends with exit and
// end records, and folders/files are private whatever the umask.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, scratchDir } from '../helpers/paths.js';
import { runCli } from '../helpers/cli.js';

const dir = scratchDir('mcpscope-sec-files-');
const posix = process.platform !== 'win32';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed orphan stays a zombie until init reaps it (containers often have no reaper).
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

// A server that ignores SIGTERM and starts a grandchild that ignores it too; both report their pids.
const STUBBORN = `
const { spawn } = require('node:child_process');
process.on('SIGTERM', () => {});
const g = spawn(process.execPath, ['-e', "process.on('SIGTERM',()=>{}); setInterval(()=>{}, 1000)"], { stdio: 'ignore' });
process.stderr.write('pids ' + process.pid + ' ' + g.pid + '\\n');
setInterval(() => {}, 1000);
`;

describe.runIf(posix)('stopping the recorder', () => {
  it('kills a SIGTERM-ignoring server and its children within 10 s and closes the capture', async () => {
    const out = join(dir, 'stubborn.mcpscope.jsonl');
    const rec = spawn(
      process.execPath,
      [CLI, 'record', '--out', out, '--', process.execPath, '-e', STUBBORN],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let err = '';
    const pids = await new Promise<number[]>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 15_000);
      rec.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        const m = /pids (\d+) (\d+)/.exec(err);
        if (m) {
          clearTimeout(t);
          resolve([Number(m[1]), Number(m[2])]);
        }
      });
    });
    const t0 = Date.now();
    rec.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => rec.on('close', (c) => resolve(c)));
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(10_000);
    for (const pid of pids) expect(alive(pid), `pid ${pid} still alive`).toBe(false);
    expect(code).toBe(128 + 9);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; signal?: string });
    const exit = lines.find((l) => l.type === 'exit');
    expect(exit?.signal).toBe('SIGKILL');
    expect(lines[lines.length - 1]!.type).toBe('end');
  }, 30_000);
});

describe.runIf(posix)('permissions under umask 000', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<number | null>((resolve) => {
      // The umask is set by the shell that starts mcpscope, as a user's profile would.
      const sh = spawn(
        '/bin/sh',
        ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, CLI, ...args],
        { env: { ...process.env, ...env }, stdio: 'ignore' },
      );
      sh.on('close', resolve);
    });

  it('creates the data and captures folders 0700 and captures 0600', async () => {
    const home = join(dir, 'home');
    expect(
      await run(['record', '--', process.execPath, '-e', 'process.exit(0)'], {
        MCPSCOPE_HOME: home,
      }),
    ).toBe(0);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const caps = join(home, 'captures');
    expect(statSync(caps).mode & 0o777).toBe(0o700);
    // The capture and its sidecar index, both private.
    const files = readdirSync(caps).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/\.mcpscope\.idx\.json$/);
    expect(files[1]).toMatch(/\.mcpscope\.jsonl$/);
    for (const f of files) expect(statSync(join(caps, f)).mode & 0o777).toBe(0o600);
  });

  it('tightens an existing world-writable captures folder and an existing --out file', async () => {
    const home = join(dir, 'home2');
    await run(['record', '--', process.execPath, '-e', 'process.exit(0)'], { MCPSCOPE_HOME: home });
    chmodSync(join(home, 'captures'), 0o777);
    chmodSync(home, 0o777);
    await run(['record', '--', process.execPath, '-e', 'process.exit(0)'], { MCPSCOPE_HOME: home });
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'captures')).mode & 0o777).toBe(0o700);

    const outDir = join(dir, 'mine');
    mkdirSync(outDir);
    chmodSync(outDir, 0o755);
    const out = join(outDir, 'existing.mcpscope.jsonl');
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    expect(
      await run(['record', '--out', out, '--', process.execPath, '-e', 'process.exit(0)'], {
        MCPSCOPE_HOME: home,
      }),
    ).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    // The user's own folder for --out is not touched.
    expect(statSync(outDir).mode & 0o777).toBe(0o755);
  });

  it('a new folder for --out is created private', async () => {
    const out = join(dir, 'new', 'deeper', 'x.mcpscope.jsonl');
    expect(
      await run(['record', '--out', out, '--', process.execPath, '-e', 'process.exit(0)'], {}),
    ).toBe(0);
    expect(statSync(join(dir, 'new')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'new', 'deeper')).mode & 0o777).toBe(0o700);
    expect(existsSync(out)).toBe(true);
    const r = await runCli(['verify', out]);
    expect(r.code).toBe(0);
  });
});
