// `record --sink` stopped by a signal mid-traffic (a host closing), against a real PostgreSQL:
// the final push gets a bounded grace (STOP_GRACE_MS) instead of dying with the process, and
// whatever it cannot finish leaves the session incomplete in the store, listed by `sessions` and
// completed by `push FILE`. Either way the store ends with the capture file's exact bytes (pull
// verifies).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/index.js';
import { runCli } from '../helpers/cli.js';
import { CLI, EVERYTHING, scratchDir } from '../helpers/paths.js';
import { pgMissing, startPg, type TestPg } from '../helpers/postgres.js';
import { TapTransport } from '../helpers/tap-transport.js';

const missing = pgMissing();
if (missing && process.env.CI === 'true')
  throw new Error(`team-store tests need PostgreSQL: ${missing}`);

const dir = scratchDir();
let db: TestPg;

interface StoredSession {
  id: string;
  complete: boolean;
  records: number;
}
const sessions = async (): Promise<StoredSession[]> =>
  (
    JSON.parse((await runCli(['sessions', '--json', '--from', db.url])).stdout) as {
      sessions: StoredSession[];
    }
  ).sessions;

/** Waits (bounded: 20 s) until the store holds at least `n` live lines of session `id`. */
async function untilStored(id: string, n: number): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const r = await c
      .query<{ n: string }>('SELECT count(*) AS n FROM mcpscope_records WHERE session_id = $1', [
        id,
      ])
      .finally(() => c.end());
    if (Number(r.rows[0]!.n) >= n) return;
    if (Date.now() > end) throw new Error(`the sink stored fewer than ${n} lines within 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits (bounded: 20 s) until the recorder's stderr contains `text`. */
async function untilStderr(tap: TapTransport, text: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!tap.stderr.includes(text)) {
    if (Date.now() > end) throw new Error(`no "${text}" on stderr within 20 s: ${tap.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A recorder with --sink and an SDK client calling echo in a loop until the recorder goes. */
async function busyRecorder(name: string) {
  const capture = join(dir, `${name}.mcpscope.jsonl`);
  const tap = new TapTransport(process.execPath, [
    CLI,
    'record',
    '--sink',
    db.url,
    '--out',
    capture,
    '--',
    process.execPath,
    EVERYTHING,
    'stdio',
  ]);
  const client = new Client({ name, version: '1.0.0' }, { capabilities: {} });
  await client.connect(tap);
  let calls = 0;
  const traffic = (async () => {
    const end = Date.now() + 60_000;
    // Bounded in count and time; ends when the recorder is gone (the call fails).
    for (; calls < 5000 && Date.now() < end; calls++)
      await client.callTool({ name: 'echo', arguments: { message: `m${calls}` } });
  })().catch(() => undefined);
  return { capture, tap, client, traffic, calls: () => calls };
}

/** The store must end with the capture's exact bytes: at once, or after `push FILE`. */
async function expectStoredExactly(capture: string, id: string): Promise<'complete' | 'pushed'> {
  let how: 'complete' | 'pushed' = 'complete';
  const s = (await sessions()).find((x) => x.id === id);
  expect(s).toBeDefined();
  if (!s!.complete) {
    how = 'pushed';
    const pushed = await runCli(['push', capture, '--to', db.url]);
    expect(pushed.stdout).toMatch(/^caught up \(completed a live session\)/);
  }
  const out = join(dir, `${id}-pulled.mcpscope.jsonl`);
  expect((await runCli(['pull', id, '--from', db.url, '--out', out])).code).toBe(0);
  expect(readFileSync(out).equals(readFileSync(capture))).toBe(true);
  expect((await runCli(['verify', out])).code).toBe(0);
  expect((await sessions()).find((x) => x.id === id)).toMatchObject({ complete: true });
  return how;
}

describe.skipIf(missing !== undefined)('record --sink stopped by a signal', () => {
  beforeAll(async () => {
    db = await startPg();
  }, 120_000);
  afterAll(() => db?.stop());

  it('SIGTERM mid-traffic: the final push finishes within the grace, the store has the exact capture', async () => {
    const r = await busyRecorder('sigterm');
    try {
      const id = readCapture(readFileSync(r.capture, 'utf8')).header!.id;
      await untilStored(id, 20);
      const before = r.calls();
      r.tap.kill('SIGTERM');
      const exit = await r.tap.exit!;
      await r.traffic;
      expect(r.calls()).toBeGreaterThanOrEqual(before);
      expect(exit.signal).toBeNull(); // the recorder handled the signal and exited by itself
      expect(r.tap.stderr).toContain('SIGTERM: the team store gets at most 10 s');
      const read = readCapture(readFileSync(r.capture, 'utf8'));
      expect(read.closed).toBe(true);
      expect(read.problems).toEqual([]);
      // Unloaded, 10 s is plenty: the push completes inside the grace.
      const stored = r.tap.stderr.includes('capture stored in the team store');
      const cut = r.tap.stderr.includes('the final push to the team store was cut short');
      expect(stored !== cut).toBe(true);
      expect(await expectStoredExactly(r.capture, id)).toBe(stored ? 'complete' : 'pushed');
    } finally {
      r.tap.kill('SIGKILL');
    }
  }, 120_000);

  it('a second SIGTERM stops at once: the session stays incomplete, listed, and push completes it', async () => {
    const r = await busyRecorder('sigterm-twice');
    try {
      const id = readCapture(readFileSync(r.capture, 'utf8')).header!.id;
      await untilStored(id, 20);
      r.tap.kill('SIGTERM');
      // Signals are not queued: the second is sent once the first was handled.
      await untilStderr(r.tap, 'SIGTERM: the team store gets at most');
      r.tap.kill('SIGTERM');
      await r.tap.exit!;
      await r.traffic;
      expect(readCapture(readFileSync(r.capture, 'utf8')).closed).toBe(true);
      expect(r.tap.stderr).toContain(
        'the final push to the team store was cut short (SIGTERM received again); the session stays incomplete there',
      );
      expect(r.tap.stderr).toContain(`mcpscope push ${r.capture} --to URL`);
      expect(r.tap.stderr).not.toContain('capture stored in the team store');
      const live = (await sessions()).find((x) => x.id === id);
      expect(live).toMatchObject({ complete: false });
      expect(live!.records).toBeGreaterThanOrEqual(20);
      const early = await runCli(['pull', id, '--from', db.url, '--out', join(dir, 'early.jsonl')]);
      expect(early.code).toBe(1);
      expect(await expectStoredExactly(r.capture, id)).toBe('pushed');
    } finally {
      r.tap.kill('SIGKILL');
    }
  }, 120_000);
});
