// `show FILE` reads the capture in two streamed passes (timeline first, then one line per record
// as it comes). Its output must be exactly what the whole-capture rendering gives (showText and
// JSON.stringify(showJson)) for ordinary and for damaged captures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { showJson, showText } from '../../electron/cli/commands/show.js';
import { readCapture } from '../../shared/capture/index.js';
import { runCli } from '../helpers/cli.js';
import { makeSessionCapture } from '../helpers/factories.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-show-stream-');

function cases(): [name: string, text: string][] {
  const plain = makeSessionCapture('cafe0101');
  const events = makeSessionCapture('cafe0102');
  events.add({ type: 'stderr', text: 'warn: line one\nline two \u001b[31mred\u001b[0m' });
  events.add({ type: 'note', text: 'a note' });
  events.frame('c2s', { jsonrpc: '2.0', id: 9, method: 'constructor', params: {} });
  events.frame('s2c', { jsonrpc: '2.0', id: 9, error: { code: -32601, message: 'no' } });
  events.add({ type: 'exit', code: null, signal: 'SIGTERM' });
  events.add({ type: 'end', reason: 'done' });
  const damaged = makeSessionCapture('cafe0103').text().split('\n');
  damaged.splice(3, 0, 'not json at all', '{"seq":99}');
  const cut = makeSessionCapture('cafe0104').text();
  const empty = makeSessionCapture('cafe0105');
  empty.records.length = 0;
  return [
    ['plain', plain.text()],
    ['events', events.text()],
    ['damaged', damaged.join('\n')],
    ['cut mid-line', cut.slice(0, cut.length - 30)],
    ['header only', empty.text()],
  ];
}

describe('show FILE, streamed', () => {
  for (const [name, text] of cases()) {
    it(`${name}: the same text and JSON as the whole-capture rendering`, async () => {
      const file = join(dir, `${name.replace(/\W/g, '-')}.mcpscope.jsonl`);
      writeFileSync(file, text);
      const read = readCapture(text);
      // Each case exercises what it is named after.
      if (name === 'damaged') expect(read.problems).toHaveLength(2);
      if (name === 'cut mid-line') expect(read.truncatedTail).toBeDefined();
      if (name === 'events')
        expect(read.records.filter((r) => r.type !== 'frame').length).toBeGreaterThanOrEqual(4);
      if (name === 'header only') expect(read.records).toHaveLength(0);
      const t = await runCli(['show', file]);
      expect(t.code, t.stderr).toBe(0);
      expect(t.stdout).toBe(showText(read, file, false));
      const j = await runCli(['show', file, '--json']);
      expect(j.code, j.stderr).toBe(0);
      expect(j.stdout).toBe(`${JSON.stringify(showJson(read), null, 2)}\n`);
    });
  }
});
