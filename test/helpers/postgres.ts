// A real PostgreSQL for the team-store tests: MCPSCOPE_TEST_PG_URL when CI started one
// (.ci/run), else a throwaway cluster (initdb + pg_ctl as the `postgres` user) in a temp dir on a
// free port, stopped afterwards. Without the binaries the tests fail under CI=true, skip otherwise.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';

export const PG_BIN = process.env.MCPSCOPE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** One query on a connection of its own: the rows. */
export async function pgQuery<T extends import('pg').QueryResultRow>(
  url: string,
  sql: string,
  args: unknown[] = [],
): Promise<T[]> {
  const pg = await import('pg');
  const c = new pg.default.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, args)).rows;
  } finally {
    await c.end();
  }
}

export interface TestPg {
  url: string;
  stop(): void;
  /** Own clusters only: stops the server (the data stays), to test a database going away. */
  pause?(): void;
  /** Starts a paused server again on the same port. */
  resume?(): void;
}

/** Why a throwaway PostgreSQL cannot run here, or undefined. */
export function pgMissing(): string | undefined {
  if (process.env.MCPSCOPE_TEST_PG_URL) return undefined;
  if (!existsSync(join(PG_BIN, 'initdb'))) return `no PostgreSQL binaries in ${PG_BIN}`;
  return undefined;
}

const asPostgres = (args: string[]): string[] =>
  process.getuid?.() === 0 ? ['-u', 'postgres', '--', ...args] : args;

/** `own`: a cluster of its own even when CI started one (to stop and restart it). */
export async function startPg(opts: { own?: boolean } = {}): Promise<TestPg> {
  if (process.env.MCPSCOPE_TEST_PG_URL && !opts.own) {
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
  const start = () =>
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
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pause: () => void run([join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']),
    resume: () => void start(),
    stop() {
      try {
        run([join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
