// The Fuzz tab's engine side: startFuzz on an open connection runs a campaign against a fresh
// instance of its server and pushes progress, live findings and the final report as events.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppEngine } from '../../electron/engine/app/engine.js';
import type { EventName, FuzzDoneEvent, HostEvents } from '../../shared/host-api.js';
import { ROOT, scratchDir } from '../helpers/paths.js';

const TARGET = join(ROOT, 'test', 'fixtures', 'servers', 'fuzz-target.mjs');

describe('host API: startFuzz / stopFuzz', () => {
  const engine = new AppEngine({
    mode: 'browser',
    dataDir: scratchDir('mcpscope-fuzz-app-'),
    liveFeed: false,
    scan: false,
  });
  const events: { name: EventName; payload: HostEvents[EventName] }[] = [];
  engine.subscribe((name, payload) => events.push({ name, payload }));
  afterAll(() => engine.dispose());

  it('runs a campaign on a connection and reports findings as events', async () => {
    const conn = await engine.commands.connect({
      transport: 'stdio',
      command: process.execPath,
      args: [TARGET],
    });
    const done = new Promise<FuzzDoneEvent>((resolve) =>
      engine.subscribe((n, p) => n === 'onFuzzDone' && resolve(p as FuzzDoneEvent)),
    );
    const info = await engine.commands.startFuzz({
      connectionId: conn.id,
      cases: 200,
      seed: 11,
      tools: ['config', 'stats'],
      families: ['tools'],
    });
    expect(info.seed).toBe(11);
    const end = await done;
    expect(end.runId).toBe(info.runId);
    expect(end.report?.findings.map((f) => [f.kind, f.tool, f.minimized])).toEqual(
      expect.arrayContaining([
        ['sensitive-output', 'config', { key: 'debug' }],
        ['schema-violation', 'stats', { values: [] }],
      ]),
    );
    expect(events.some((e) => e.name === 'onFuzzFinding')).toBe(true);
    expect(events.some((e) => e.name === 'onFuzzProgress')).toBe(true);
    expect((await engine.commands.stopFuzz({ runId: info.runId })).stopped).toBe(false);
  }, 90_000);

  it('rejects bad arguments with a clear message', async () => {
    const conn = (await engine.commands.listConnections(undefined))[0]!;
    await expect(
      engine.commands.startFuzz({ connectionId: conn.id, families: ['nope' as 'tools'] }),
    ).rejects.toThrow(/families.0.*expected one of "tools"\|"protocol"\|"framing"/);
    await expect(engine.commands.startFuzz({ connectionId: 'missing' })).rejects.toThrow(
      /no connection/,
    );
  });
});
