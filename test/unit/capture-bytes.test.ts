// The engine side of large sessions. readCaptureBytes: byte ranges of a session's plain capture
// file, read back exactly; past the end is empty; a session without a file is refused clearly.
// loadBounded: past its record limit a file is only counted (the same summary), not kept.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../../electron/engine/app/capture-bytes.js';
import { SessionRegistry } from '../../electron/engine/app/registry.js';
import { loadBounded, Session } from '../../electron/engine/app/session.js';
import { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { HostApiError } from '../../shared/host-api.js';
import { scratchDir } from '../helpers/paths.js';

function write(path: string): void {
  const w = new CaptureWriter({ path, source: { transport: 'stdio', command: ['srv'] } });
  for (let i = 1; i <= 50; i++)
    w.append({
      type: 'frame',
      dir: 'c2s',
      channel: 'stdio',
      text: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { n: 'ü✓' } }),
    });
  w.close('done');
}

describe('readCaptureBytes', () => {
  it('returns exact byte ranges of the file and nothing past its end', async () => {
    const dir = scratchDir('capture-bytes');
    const path = join(dir, 'a.mcpscope.jsonl');
    write(path);
    const reg = new SessionRegistry({ capturesDir: dir, emit: () => undefined });
    const s = await reg.openFile(path);
    const file = readFileSync(path);
    const parts: Buffer[] = [];
    for (let at = 0; at < file.length; at += 333) {
      const r = await readCaptureBytes(reg, { sessionId: s.id, start: at, length: 333 });
      expect(r.size).toBe(file.length);
      parts.push(Buffer.from(r.b64, 'base64'));
    }
    expect(Buffer.concat(parts).equals(file)).toBe(true);
    const past = await readCaptureBytes(reg, { sessionId: s.id, start: file.length, length: 10 });
    expect(past.b64).toBe('');
    reg.dispose();
  });

  it('refuses a session without a capture file, saying what to use instead', async () => {
    const dir = scratchDir('capture-bytes-live');
    const reg = new SessionRegistry({ capturesDir: dir, emit: () => undefined });
    const w = new CaptureWriter({
      path: join(dir, 'x.mcpscope.jsonl'),
      source: { transport: 'stdio', command: ['srv'] },
    });
    const s = reg.startLive(w.header, 'client');
    const err = await readCaptureBytes(reg, { sessionId: s.id, start: 0, length: 10 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostApiError);
    expect((err as Error).message).toMatch(/no capture file.*readRecords/);
    w.close('done');
    reg.dispose();
  });
});

describe('loadBounded', () => {
  it('keeps the records under the limit, and past it only the same summary numbers', async () => {
    const dir = scratchDir('capture-bounded');
    const path = join(dir, 'b.mcpscope.jsonl');
    write(path);
    const small = await loadBounded(path, {}, 1000);
    expect(small.state).toBeUndefined();
    expect(small.read.records.filter((r) => r.type === 'frame')).toHaveLength(50);
    expect(small.integrity.intact).toBe(true);
    const big = await loadBounded(path, {}, 10);
    expect(big.read.records).toEqual([]);
    expect(big.integrity.intact).toBe(true);
    const full = new Session({ origin: 'imported', header: small.read.header!, live: false });
    full.add(small.read.records);
    const counted = new Session({
      origin: 'imported',
      header: big.read.header!,
      live: false,
      state: big.state!,
    });
    expect(counted.loaded).toBe(false);
    expect(counted.summary()).toEqual(full.summary());
    expect(counted.summary().frameCount).toBe(50);
  });
});
