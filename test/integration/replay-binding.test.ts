// Value binding end to end: a fixture server hands out random cursors, resource URIs and item ids
// and rejects any it did not issue. A replay passes only if the live values are sent; a drifted
// server shows exactly its drifted pointers; --ignore silences exactly those.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, scratchDir } from '../helpers/paths.js';
import { recordingTransport, replayJson } from './replay-harness.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'servers', 'bound-server.mjs');

describe('replay with value binding against a server that checks the values it issued', () => {
  const dir = scratchDir('mcpscope-replay-bind-');
  const capture = join(dir, 'bound.mcpscope.jsonl');
  let itemId = '';

  beforeAll(async () => {
    const c = new Client({ name: 'bind-it', version: '1' }, { capabilities: {} });
    await c.connect(recordingTransport(capture, [process.execPath, FIXTURE]));
    try {
      const uris: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await c.listResources(cursor === undefined ? undefined : { cursor });
        uris.push(...page.resources.map((r) => r.uri));
        cursor = page.nextCursor;
        if (cursor === undefined) break;
      }
      expect(uris).toHaveLength(6);
      await c.readResource({ uri: uris[3]! });
      const created = await c.callTool({ name: 'create-item', arguments: { name: 'widget' } });
      itemId = (created.structuredContent as { id: string }).id;
      const got = await c.callTool({ name: 'get-item', arguments: { id: itemId } });
      expect(got.isError).toBeFalsy();
    } finally {
      await c.close();
    }
    expect(existsSync(capture)).toBe(true);
  });

  it('replays with no differences: cursors, URIs and ids are bound recorded → live', async () => {
    const r = await replayJson(capture, dir);
    expect(r.json.differences).toEqual([]);
    expect(r.code).toBe(0);
    // handshake, three pages, one read, create, get
    expect(r.json).toMatchObject({ exchanges: 7, same: 7 });
  });

  it('a drifted server shows exactly the drifted pointers', async () => {
    const r = await replayJson(capture, dir, [
      '--env',
      'MCPSCOPE_FIXTURE_DRIFT=1',
      '--',
      process.execPath,
      FIXTURE,
    ]);
    expect(r.code).toBe(1);
    expect(r.json.differences.map((d) => [d.method, d.pointer])).toEqual([
      ['tools/call', '/result/content/0/text'],
      ['tools/call', '/result/structuredContent/color'],
    ]);
    const [text, color] = r.json.differences;
    expect(String(text!.replayed)).toMatch(/ is a widget \(v2\)$/);
    expect(text!.replayed).not.toContain(itemId); // the live id, not the recorded one
    expect(color).toMatchObject({ replayed: 'blue' });
    expect('recorded' in color!).toBe(false);
  });

  it('--ignore silences exactly the ignored pointers', async () => {
    const args = ['--env', 'MCPSCOPE_FIXTURE_DRIFT=1', '--', process.execPath, FIXTURE];
    const one = await replayJson(capture, dir, [
      '--ignore',
      '/result/structuredContent/color',
      ...args,
    ]);
    expect(one.json.differences.map((d) => d.pointer)).toEqual(['/result/content/0/text']);
    const both = await replayJson(capture, dir, [
      '--ignore',
      '/result/structuredContent/color',
      '--ignore',
      '/result/content/*/text',
      ...args,
    ]);
    expect(both.code).toBe(0);
    expect(both.json.differences).toEqual([]);
  });
});
