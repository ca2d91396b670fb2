// The sidecar index: written by the recorder on close and at checkpoints, used by the library to
// list a capture without parsing it, and ignored (full parse, then rewritten) whenever it is
// missing, stale, malformed or hostile. The summary from the sidecar equals the parsed one.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionRegistry } from '../../electron/engine/app/registry.js';
import { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { readSidecar, sidecarPath } from '../../electron/engine/capture/sidecar.js';
import type { SessionSummary } from '../../shared/host-api.js';
import { scratchDir } from '../helpers/paths.js';

function record(path: string, exchanges: number, close = true): CaptureWriter {
  const w = new CaptureWriter({ path, source: { transport: 'stdio', command: ['srv'] } });
  const frame = (dir: 'c2s' | 's2c', v: unknown): void =>
    void w.append({ type: 'frame', dir, channel: 'stdio', text: JSON.stringify(v) });
  frame('c2s', { jsonrpc: '2.0', id: 0, method: 'initialize', params: {} });
  frame('s2c', {
    jsonrpc: '2.0',
    id: 0,
    result: { protocolVersion: '2025-06-18', serverInfo: { name: 'srv', version: '2' } },
  });
  for (let i = 1; i <= exchanges; i++) {
    frame('c2s', { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'x' } });
    frame(
      's2c',
      i % 3
        ? { jsonrpc: '2.0', id: i, result: {} }
        : { jsonrpc: '2.0', id: i, error: { code: -1, message: 'no' } },
    );
  }
  if (close) w.close('done');
  return w;
}

async function scanned(dir: string): Promise<{ reg: SessionRegistry; list: SessionSummary[] }> {
  const reg = new SessionRegistry({ capturesDir: dir, emit: () => undefined });
  await reg.scan();
  return { reg, list: reg.list().map((s) => s.summary()) };
}

describe('capture sidecar index', () => {
  it('the recorder writes it on close; it describes the file exactly', () => {
    const dir = scratchDir();
    const path = join(dir, 'a.mcpscope.jsonl');
    const w = record(path, 10);
    const idx = JSON.parse(readFileSync(sidecarPath(path), 'utf8'));
    expect(sidecarPath(path)).toBe(join(dir, 'a.mcpscope.idx.json'));
    const st = statSync(path);
    expect(idx).toMatchObject({
      kind: 'mcpscope-index',
      captureId: w.header.id,
      size: st.size,
      mtimeMs: st.mtimeMs,
      frames: 22,
      errors: 3,
      records: w.records,
      ended: true,
      server: { name: 'srv', version: '2' },
      methods: { initialize: 1, 'tools/call': 10 },
    });
  });

  it('is refreshed at checkpoints while recording, so a crashed recorder leaves a usable one', () => {
    const dir = scratchDir();
    const path = join(dir, 'live.mcpscope.jsonl');
    record(path, 1500, false); // > 1024 records: at least one checkpoint, never closed
    const st = statSync(path);
    const before = JSON.parse(readFileSync(sidecarPath(path), 'utf8'));
    expect(before.ended).toBe(false);
    expect(before.records).toBeGreaterThan(1024);
    // Records were written after the last checkpoint: the sidecar is stale, so it is not used.
    expect(before.size).toBeLessThan(st.size);
  });

  it('the library lists from header + sidecar with the same summary as a full parse, and reads records on open', async () => {
    const dir = scratchDir();
    const path = join(dir, 'b.mcpscope.jsonl');
    record(path, 20);
    const fromIndex = await scanned(dir);
    const s = fromIndex.reg.list()[0]!;
    expect(s.loaded).toBe(false); // nothing parsed at start-up
    rmSidecar(path);
    const parsed = await scanned(dir);
    expect(parsed.reg.list()[0]!.loaded).toBe(true); // the fallback parsed it…
    expect(existsSync(sidecarPath(path))).toBe(true); // …and wrote the sidecar again
    expect(fromIndex.list).toEqual(parsed.list);
    // Opening reads the records from the file.
    const opened = await fromIndex.reg.loaded(s.id);
    expect(opened.records).toHaveLength(parsed.reg.list()[0]!.records.length);
  });

  it('a stale sidecar (the file grew) is ignored and rewritten', async () => {
    const dir = scratchDir();
    const path = join(dir, 'c.mcpscope.jsonl');
    record(path, 5);
    const old = readFileSync(sidecarPath(path), 'utf8');
    appendFileSync(path, 'garbage line\n');
    const { reg, list } = await scanned(dir);
    expect(reg.list()[0]!.loaded).toBe(true);
    expect(list[0]!.problems).toBe(1);
    expect(readFileSync(sidecarPath(path), 'utf8')).not.toBe(old);
    expect(readSidecar(path, statSync(path), list[0]!.id)?.problems).toBe(1);
  });

  it('a hostile sidecar never crashes the scan and never changes the numbers', async () => {
    const dir = scratchDir();
    const path = join(dir, 'd.mcpscope.jsonl');
    record(path, 5);
    const good = JSON.parse(readFileSync(sidecarPath(path), 'utf8'));
    const truth = (await scanned(dir)).list;
    const hostile: unknown[] = [
      'not json',
      '[]',
      'null',
      JSON.stringify({ ...good, frames: -1 }),
      JSON.stringify({ ...good, frames: 'many' }),
      JSON.stringify({ ...good, extra: 1 }),
      JSON.stringify({ ...good, captureId: 'someone-else' }),
      JSON.stringify({ ...good, version: 99 }),
      JSON.stringify({ ...good, server: { name: 'x'.repeat(5000) } }),
      JSON.stringify({ ...good, frames: good.records + 1 }),
      JSON.stringify({ ...good, pad: 'x'.repeat(300 * 1024) }),
    ];
    for (const text of hostile) {
      writeFileSync(sidecarPath(path), text as string);
      const { reg, list } = await scanned(dir);
      expect(list).toEqual(truth);
      expect(reg.list()[0]!.loaded).toBe(true); // parsed, not trusted
    }
    // A sidecar that is a directory: still parsed.
    rmSidecar(path);
    mkdirSync(sidecarPath(path));
    expect((await scanned(dir)).list).toEqual(truth);
  });
});

function rmSidecar(path: string): void {
  unlinkSync(sidecarPath(path));
}
