// The streamed export's temporary holding file: what goes in comes out the same, in order, even
// when a multi-byte character straddles a 1 MiB read; and it leaves no file behind.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../electron/engine/export/spool.js';

const spoolDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('mcpscope-export-'));

describe('Spool', () => {
  it('gives back every piece in order, multi-byte text across read boundaries included', () => {
    const before = spoolDirs().length;
    const s = new Spool();
    const pieces: string[] = [];
    for (let i = 0; i < 300; i++) pieces.push(`${i}:${'é€😀'.repeat(997 + (i % 7))}|`);
    for (const p of pieces) s.write(p);
    const out: string[] = [];
    s.drainTo((t) => out.push(t));
    expect(out.join('')).toBe(pieces.join(''));
    expect(out.length).toBeGreaterThan(1);
    expect(spoolDirs().length).toBeLessThanOrEqual(before);
  });

  it('close without draining leaves nothing behind', () => {
    const before = spoolDirs().length;
    const s = new Spool();
    s.write('x'.repeat(3 * 1024 * 1024));
    s.close();
    expect(spoolDirs().length).toBeLessThanOrEqual(before);
  });
});
