// mcpscope gc: the retention policy applied to the data directory's captures folder (and the
// library's imported copies). Dry run deletes nothing; oldest first until under the size; a capture
// still being recorded is kept; nothing outside the folders is touched.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { headerRecord, rpc, writeChained } from '../helpers/capture-file.js';
import { scratchDir } from '../helpers/paths.js';

const DAY = 86_400_000;
let home: string;
let captures: string;
const cli = (args: string[]) =>
  runCli(['gc', ...args], { env: { MCPSCOPE_HOME: home }, timeoutMs: 60_000 });

/** A finished capture of about `kb` KiB, last written `ageDays` ago. */
function capture(dir: string, name: string, ageDays: number, kb: number, ended = true): string {
  const path = join(dir, name);
  const records: Record<string, unknown>[] = [
    headerRecord({ id: name.replace(/\W/g, '').slice(0, 16).padEnd(16, '0') }),
    {
      ts: 2,
      type: 'frame',
      dir: 'c2s',
      channel: 'stdio',
      text: rpc({ id: 1, method: 'ping', params: { pad: 'x'.repeat(kb * 1024) } }),
    },
  ];
  if (ended) records.push({ ts: 3, type: 'end', reason: 'done' });
  writeChained(path, records);
  const t = (Date.now() - ageDays * DAY) / 1000;
  utimesSync(path, t, t);
  return path;
}

beforeEach(() => {
  home = scratchDir('mcpscope-gc-');
  captures = join(home, 'captures');
  mkdirSync(join(captures, 'imported'), { recursive: true });
});

const names = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort();

describe('mcpscope gc', () => {
  it('--dry-run lists what would go, with sizes, and deletes nothing', async () => {
    capture(captures, 'old.mcpscope.jsonl', 60, 10);
    capture(captures, 'new.mcpscope.jsonl', 1, 10);
    const r = await cli(['--dry-run', '--max-age', '30d']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would delete 1 capture \(1\d KB\) of 2 \(2\d KB\) in .*captures:/);
    expect(r.stdout).toMatch(/ 1\d KB {2}age {3}old\.mcpscope\.jsonl/);
    expect(r.stdout).toContain('dry run: nothing was deleted');
    expect(names(captures)).toEqual(['new.mcpscope.jsonl', 'old.mcpscope.jsonl']);
  });

  it('--max-size deletes the oldest first until the total fits, imported copies included', async () => {
    capture(captures, 'a.mcpscope.jsonl', 4, 100);
    capture(join(captures, 'imported'), 'b.mcpscope.jsonl', 3, 100);
    capture(captures, 'c.mcpscope.jsonl', 2, 100);
    capture(captures, 'd.mcpscope.jsonl', 1, 100);
    const r = await cli(['--max-size', '250KB', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      deleted: { path: string; reason: string; bytes: number }[];
      freedBytes: number;
    };
    expect(j.deleted.map((d) => d.path.split('/').pop())).toEqual([
      'a.mcpscope.jsonl',
      'b.mcpscope.jsonl',
    ]);
    expect(j.deleted.every((d) => d.reason === 'size' && d.bytes > 100 * 1024)).toBe(true);
    expect(names(captures)).toEqual(['c.mcpscope.jsonl', 'd.mcpscope.jsonl']);
    expect(names(join(captures, 'imported'))).toEqual([]);
  });

  it('never deletes a capture being recorded (no end record, recently written)', async () => {
    capture(captures, 'recording.mcpscope.jsonl', 0, 500, false);
    capture(captures, 'crashed.mcpscope.jsonl', 10, 10, false);
    capture(captures, 'done.mcpscope.jsonl', 5, 10);
    const r = await cli(['--max-size', '1KB', '--max-age', '1d']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deleted 2 captures/);
    expect(r.stdout).toMatch(
      /kept, no end record and written \d+ min ago: may still be recording: recording\.mcpscope\.jsonl/,
    );
    expect(names(captures)).toEqual(['recording.mcpscope.jsonl']);
  });

  it('never touches anything outside the captures folders: symlinks, other files, the key', async () => {
    const outside = scratchDir('mcpscope-gc-outside-');
    const victim = capture(outside, 'victim.mcpscope.jsonl', 90, 1);
    symlinkSync(victim, join(captures, 'link.mcpscope.jsonl'));
    const report = join(captures, 'old.report.html');
    writeFileSync(report, '<html></html>');
    utimesSync(report, 0, 0);
    capture(home, 'beside-captures.mcpscope.jsonl', 90, 1);
    const r = await cli(['--max-age', '1d']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deleted 0 captures/);
    expect(existsSync(victim)).toBe(true);
    expect(existsSync(join(captures, 'link.mcpscope.jsonl'))).toBe(true);
    expect(existsSync(report)).toBe(true);
    expect(existsSync(join(home, 'beside-captures.mcpscope.jsonl'))).toBe(true);
  });

  it('takes its defaults from retention.json; without a policy nothing expires', async () => {
    capture(captures, 'old.mcpscope.jsonl', 60, 1);
    const none = await cli([]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('no retention policy: nothing expires');
    expect(names(captures)).toEqual(['old.mcpscope.jsonl']);
    writeFileSync(join(home, 'retention.json'), JSON.stringify({ maxAgeDays: 30, maxBytes: null }));
    const r = await cli([]);
    expect(r.stdout).toContain('policy: delete captures older than 30 days');
    expect(r.stdout).toMatch(/deleted 1 capture/);
    expect(names(captures)).toEqual([]);
  });

  it('bad input and a damaged settings file are usage errors that say what to do', async () => {
    const bad = await cli(['--max-age', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('e.g. 30d, 2w or 1y');
    writeFileSync(join(home, 'retention.json'), '{"maxAgeDays": -3, "maxBytes": null}');
    const damaged = await cli(['--dry-run']);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/retention\.json: maxAgeDays must be at least 1 day/);
  });
});
