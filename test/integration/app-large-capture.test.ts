// The app opens a capture as a stream: the engine's openFiles (what `mcpscope ui FILE` calls) never
// holds the file as one string. Proof: a ~160 MB capture opens in a Node with a 256 MB heap, where
// reading the same file as one string and then parsing it runs out of memory.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLargeCapture } from '../helpers/capture-file.js';
import { runNode } from '../helpers/cli.js';
import { ROOT, scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-app-large-');
const file = join(dir, 'large.mcpscope.jsonl');
const FRAMES = 160;
const HEAP_MB = 256;
const dist = (p: string) => pathToFileURL(join(ROOT, 'dist', p)).href;

beforeAll(() => {
  writeLargeCapture(file, FRAMES);
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function nodeWithHeap(
  script: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNode([`--max-old-space-size=${HEAP_MB}`, '--input-type=module', '-e', script], {
    MCPSCOPE_HOME: join(dir, 'home'),
  });
}

describe('opening a large capture in the app', () => {
  it('the capture is larger than half the heap', () => {
    expect(statSync(file).size).toBeGreaterThan((HEAP_MB / 2 + 30) * 1024 * 1024);
  });

  it('opens through the engine (streamed, verified) with a 256 MB heap, every record readable', async () => {
    const r = await nodeWithHeap(`
      const { AppEngine } = await import(${JSON.stringify(dist('electron/engine/app/engine.js'))});
      const engine = new AppEngine({ mode: 'browser', liveFeed: false, scan: false });
      await engine.openFiles([${JSON.stringify(file)}]);
      const id = engine.openSessions[0];
      const s = await engine.commands.getSession({ sessionId: id });
      const page = await engine.commands.readRecords({ sessionId: id, fromSeq: ${FRAMES - 1}, limit: 10 });
      console.log(JSON.stringify({ frames: s.frameCount, intact: s.integrity.intact, checked: s.integrity.checked, last: page.records.map((r) => r.seq), done: page.done }));
      await engine.dispose();
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      frames: FRAMES,
      intact: true,
      checked: FRAMES + 2,
      last: [FRAMES - 1, FRAMES, FRAMES + 1],
      done: true,
    });
  }, 300_000);

  it('control: reading the same file as one string and parsing it runs out of that heap', async () => {
    const r = await nodeWithHeap(`
      const { readFileSync } = await import('node:fs');
      const { readCapture } = await import(${JSON.stringify(dist('shared/capture/index.js'))});
      const read = readCapture(readFileSync(${JSON.stringify(file)}, 'utf8'));
      console.log(read.records.length);
    `);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/heap out of memory|Allocation failed/i);
  }, 300_000);
});
