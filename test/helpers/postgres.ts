// A real PostgreSQL for the team-store tests: MCPSCOPE_TEST_PG_URL when CI started one
// (.ci/run), else a throwaway cluster (initdb + pg_ctl as the `postgres` user) in a temp dir on a
// free port, stopped afterwards. Without the binaries the tests fail under CI=true, skip otherwise.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';

export const PG_BIN = process.env.MCPSCOPE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPg {
  url: string;
  stop(): void;
}

/** Why a throwaway PostgreSQL cannot run here, or undefined. */
export function pgMissing(): string | undefined {
  if (process.env.MCPSCOPE_TEST_PG_URL) return undefined;
  if (!existsSync(join(PG_BIN, 'initdb'))) return `no PostgreSQL binaries in ${PG_BIN}`;
  return undefined;
}

const asPostgres = (args: string[]): string[] =>
  process.getuid?.() === 0 ? ['-u', 'postgres', '--', ...args] : args;

export async function startPg(): Promise<TestPg> {
  if (process.env.MCPSCOPE_TEST_PG_URL) {
    // A fresh database per call, so tests never see each other's sessions.
    const base = process.env.MCPSCOPE_TEST_PG_URL;
    const name = `t${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: base });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    return { url: u.href, stop: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcpscope-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const run = (args: string[]) =>
    process.getuid?.() === 0
      ? execFileSync('runuser', asPostgres(args), { stdio: 'pipe' })
      : execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });
  run([
    join(PG_BIN, 'initdb'),
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  run([
    join(PG_BIN, 'pg_ctl'),
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run([join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
