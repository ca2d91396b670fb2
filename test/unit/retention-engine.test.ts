// The app's retention commands (host API getRetention / setRetention / runRetention): checked
// arguments, the policy saved in the data directory, and a clean-up that leaves live sessions and
// removes deleted captures from the library.
import { existsSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/host-api.js';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { scratchDir } from '../helpers/paths.js';

const engines: AppEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.dispose();
});

function capture(path: string, ageDays: number, close = true): { id: string; w: CaptureWriter } {
  const w = new CaptureWriter({ path, source: { transport: 'stdio', command: ['srv'] } });
  w.append({
    type: 'frame',
    dir: 'c2s',
    channel: 'stdio',
    text: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
  });
  if (close) w.close('done');
  const t = (Date.now() - ageDays * 86_400_000) / 1000;
  utimesSync(path, t, t);
  return { id: w.header.id, w };
}

async function engineWith(dataDir: string) {
  const engine = new AppEngine({ mode: 'browser', dataDir, liveFeed: false });
  engines.push(engine);
  const events: EventName[] = [];
  engine.subscribe((name) => events.push(name));
  await engine.start();
  return { engine, api: engine.commands, events };
}

describe('retention commands', () => {
  it('reject a bad policy with a reason, and save a good one in retention.json', async () => {
    const dataDir = scratchDir('mcpscope-ret-');
    const { api } = await engineWith(dataDir);
    expect((await api.getRetention(undefined)).policy).toEqual({
      maxAgeDays: null,
      maxBytes: null,
    });
    await expect(api.setRetention({ policy: { maxAgeDays: -1, maxBytes: null } })).rejects.toThrow(
      /maxAgeDays.*at least 1 day/,
    );
    await expect(
      api.runRetention({ dryRun: 'yes' } as unknown as { dryRun: boolean }),
    ).rejects.toThrow(/dryRun/);
    const saved = await api.setRetention({ policy: { maxAgeDays: 30, maxBytes: 1024 ** 3 } });
    expect(saved.file).toBe(join(dataDir, 'retention.json'));
    expect(JSON.parse(readFileSync(saved.file, 'utf8'))).toEqual({
      maxAgeDays: 30,
      maxBytes: 1024 ** 3,
    });
    expect((await api.getRetention(undefined)).policy.maxAgeDays).toBe(30);
  });

  it('a dry run deletes nothing; the real run deletes, drops the sessions, and keeps live ones', async () => {
    const dataDir = scratchDir('mcpscope-ret-');
    const captures = join(dataDir, 'captures');
    mkdirSync(captures, { recursive: true });
    const old = capture(join(captures, 'old.mcpscope.jsonl'), 90);
    const fresh = capture(join(captures, 'fresh.mcpscope.jsonl'), 1);
    const { engine, api, events } = await engineWith(dataDir);
    expect((await api.listSessions(undefined)).map((s) => s.id).sort()).toEqual(
      [old.id, fresh.id].sort(),
    );
    // A live session whose file is old and ended still stays (the app knows it is live).
    const livePath = join(captures, 'live.mcpscope.jsonl');
    const live = capture(livePath, 90);
    engine.registry.startLive(live.w.header, 'recorder', { path: livePath });

    const plan = await api.runRetention({
      dryRun: true,
      policy: { maxAgeDays: 30, maxBytes: null },
    });
    expect(plan.deleted.map((d) => d.path)).toEqual([join(captures, 'old.mcpscope.jsonl')]);
    expect(plan.protected.map((p) => [p.path, p.why])).toEqual([[livePath, 'live in the app']]);
    expect(existsSync(join(captures, 'old.mcpscope.jsonl'))).toBe(true);

    const done = await api.runRetention({
      dryRun: false,
      policy: { maxAgeDays: 30, maxBytes: null },
    });
    expect(done.deleted).toHaveLength(1);
    expect(done.freedBytes).toBe(plan.freedBytes);
    expect(existsSync(join(captures, 'old.mcpscope.jsonl'))).toBe(false);
    expect(existsSync(livePath)).toBe(true);
    expect(events).toContain('onSessionRemoved');
    const ids = (await api.listSessions(undefined)).map((s) => s.id);
    expect(ids).not.toContain(old.id);
    expect(ids).toEqual(expect.arrayContaining([fresh.id, live.id]));
  });
});
