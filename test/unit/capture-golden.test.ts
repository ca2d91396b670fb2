// Golden captures, one per format version: every later mcpscope must keep reading them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTimeline, readCapture, sha256Hex, verifyChain } from '../../shared/capture/index.js';
import { ROOT } from '../helpers/paths.js';

const golden = (name: string) =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'captures', name), 'utf8');

describe('golden capture v1 (server-everything over stdio, recorded by mcpscope 0.1.0)', () => {
  const text = golden('v1-everything-stdio.mcpscope.jsonl');

  it('still verifies', () => {
    expect(verifyChain(text, sha256Hex)).toMatchObject({ intact: true, checked: 14, warnings: [] });
  });

  it('still reads, and derives the same timeline', () => {
    const read = readCapture(text);
    expect(read.fileVersion).toBe(1);
    expect(read.problems).toEqual([]);
    const t = buildTimeline(read);
    expect(t.index.messages.map((m) => `${m.dir} ${m.kind} ${m.method ?? ''}`)).toEqual([
      'c2s request initialize',
      'c2s notification notifications/initialized',
      'c2s request tools/list',
      'c2s invalid ',
      'c2s request tools/call',
      's2c notification notifications/tools/list_changed',
      's2c response initialize',
      's2c response tools/list',
      's2c response tools/call',
    ]);
    expect(t.session.handshake.serverInfo?.name).toBe('mcp-servers/everything');
    expect(t.session.lists.tools.items).toHaveLength(13);
    expect(t.events.map((e) => e.type)).toEqual(['spawn', 'stderr', 'exit', 'end']);
  });
});
