// Importing a capture into the engine in slices (issue 12: the app reads any size with bounded
// memory): slices in order make the same file under captures/imported/, opened and listed; a
// large one (over the unload threshold) is only counted, gets its sidecar, and is listed again
// after a restart without a parse; out-of-order, oversized, short and non-capture uploads are
// refused with what to do and leave no file behind.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sidecarPath } from '../../electron/engine/capture/sidecar.js';
import type { AppEngine } from '../../electron/engine/app/engine.js';
import { writeCapture } from '../bench/gen-capture.mjs';
import { enginesPerTest } from '../helpers/engine.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-app-upload-');
const engine = enginesPerTest();

async function upload(e: AppEngine, name: string, bytes: Buffer, slice: number) {
  const { uploadId } = await e.commands.importBegin({ name, size: bytes.length });
  for (let at = 0; at < bytes.length; at += slice)
    await e.commands.importChunk({
      uploadId,
      offset: at,
      b64: bytes.subarray(at, at + slice).toString('base64'),
    });
  return e.commands.importFinish({ uploadId });
}

const imported = (home: string): string[] =>
  readdirSync(join(home, 'captures', 'imported')).filter((n) => !n.endsWith('.json'));

describe('importing a capture in slices', () => {
  it('writes the same bytes, opens the session, refuses what is wrong', async () => {
    const file = join(dir, 'small.mcpscope.jsonl');
    const { id, frames } = await writeCapture(file, { frames: 500 });
    const bytes = readFileSync(file);
    const home = join(dir, 'h1');
    const e = engine(home);
    await e.start();
    const summary = await upload(e, 'small.mcpscope.jsonl', bytes, 7_000);
    expect(summary.id).toBe(id);
    expect(summary.recordCount).toBeGreaterThan(500);
    const stored = join(home, 'captures', 'imported', 'small.mcpscope.jsonl');
    expect(readFileSync(stored).equals(bytes)).toBe(true);
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    const { records } = await e.commands.readRecords({ sessionId: id });
    expect(records.filter((r) => r.type === 'frame')).toHaveLength(frames);

    // Out of order: refused, the upload goes on from where it was.
    const { uploadId } = await e.commands.importBegin({ name: 'x.mcpscope.jsonl', size: 10 });
    await expect(
      e.commands.importChunk({ uploadId, offset: 5, b64: Buffer.from('abc').toString('base64') }),
    ).rejects.toThrow(/slice at byte 5, but 0 bytes were received so far/);
    // More than announced: refused and cancelled.
    await expect(
      e.commands.importChunk({ uploadId, offset: 0, b64: Buffer.alloc(11).toString('base64') }),
    ).rejects.toThrow(/more bytes than the 10 announced/);
    await expect(e.commands.importFinish({ uploadId })).rejects.toThrow(/import the file again/);

    // Short: refused at finish. Not a capture: refused, nothing kept.
    const short = await e.commands.importBegin({ name: 'short.mcpscope.jsonl', size: 100 });
    await e.commands.importChunk({
      uploadId: short.uploadId,
      offset: 0,
      b64: bytes.subarray(0, 50).toString('base64'),
    });
    await expect(e.commands.importFinish({ uploadId: short.uploadId })).rejects.toThrow(
      /50 of 100 bytes arrived/,
    );
    await expect(upload(e, 'notes.txt', Buffer.from('hello\nworld\n'), 1024)).rejects.toThrow(
      /notes\.txt: /,
    );
    expect(imported(home)).toEqual(['small.mcpscope.jsonl']);
  }, 60_000);

  it('a large capture is counted, not held, and listed from its sidecar after a restart', async () => {
    const file = join(dir, 'large.mcpscope.jsonl');
    const { id, frames } = await writeCapture(file, { frames: 210_000 });
    const bytes = readFileSync(file);
    const home = join(dir, 'h2');
    const e = engine(home);
    await e.start();
    const summary = await upload(e, 'large.mcpscope.jsonl', bytes, 8 * 1024 * 1024);
    expect(summary.id).toBe(id);
    expect(summary.frameCount).toBe(frames);
    const stored = join(home, 'captures', 'imported', 'large.mcpscope.jsonl');
    expect(statSync(sidecarPath(stored)).size).toBeGreaterThan(0);
    expect(e.registry.get(id).loaded).toBe(false);
    // Read back by byte range, the way the app's large-session worker reads it.
    const head = await e.commands.readCaptureBytes({ sessionId: id, start: 0, length: 64 });
    expect(Buffer.from(head.b64, 'base64').equals(bytes.subarray(0, 64))).toBe(true);

    await e.dispose();
    const again = engine(home);
    await again.start();
    const listed = (await again.commands.listSessions(undefined)).find((s) => s.id === id);
    expect(listed?.recordCount).toBe(summary.recordCount);
    expect(again.registry.get(id).loaded).toBe(false);
  }, 180_000);
});
