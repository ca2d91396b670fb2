import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readCapture,
  sha256Hex,
  signerFromSecret,
  verifyChain,
} from '../../shared/capture/index.js';
import { redactArgs, redactUrl } from '../../shared/capture/redact.js';
import { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { scratchDir } from '../helpers/paths.js';

describe('CaptureWriter', () => {
  const dir = scratchDir();

  it('writes a verifiable, readable file with a flushed line per record', () => {
    const path = join(dir, 'w.mcpscope.jsonl');
    const w = new CaptureWriter({ path, source: { transport: 'stdio', command: ['srv'] } });
    w.append({
      type: 'frame',
      dir: 'c2s',
      channel: 'stdio',
      text: '{"jsonrpc":"2.0","method":"x"}',
    });
    // Already on disk before close: a crash now would lose nothing.
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(2);
    w.append({ type: 'stderr', text: 'hello' });
    w.close('done');
    w.close('again');
    w.append({ type: 'note', text: 'after close' });
    const text = readFileSync(path, 'utf8');
    expect(verifyChain(text, sha256Hex)).toMatchObject({ intact: true, checked: 4 });
    const read = readCapture(text);
    expect(read.records.map((r) => r.type)).toEqual(['frame', 'stderr', 'end']);
    const ts = [read.header!.ts, ...read.records.map((r) => r.ts)];
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(ts.some((t) => !Number.isInteger(t))).toBe(true); // sub-millisecond precision
  });

  it('writes the records of a batch together when it ends, chained like single appends', () => {
    const path = join(dir, 'batch.mcpscope.jsonl');
    const w = new CaptureWriter({ path, source: { transport: 'streamable-http' } });
    const live: number[] = [];
    w.subscribe((r) => live.push(r.seq));
    const linesNow = (): number => readFileSync(path, 'utf8').trimEnd().split('\n').length;
    w.batch(() => {
      w.append({ type: 'note', text: 'one' });
      w.batch(() => w.append({ type: 'note', text: 'nested' })); // joins the outer batch
      w.append({ type: 'note', text: 'two' });
      expect(linesNow()).toBe(1); // only the header so far
      expect(live).toEqual([1, 2, 3]); // live subscribers do not wait for the batch
    });
    expect(linesNow()).toBe(4);
    expect(() =>
      w.batch(() => {
        w.append({ type: 'note', text: 'before a throw' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(linesNow()).toBe(5); // what was appended before the throw is still written
    w.close('done');
    const text = readFileSync(path, 'utf8');
    expect(verifyChain(text, sha256Hex)).toMatchObject({ intact: true, checked: 6 });
    expect(readCapture(text).records.map((r) => (r.type === 'note' ? r.text : r.type))).toEqual([
      'one',
      'nested',
      'two',
      'before a throw',
      'end',
    ]);
  });

  it('checkpoints by record time: records stamped ahead of the wall clock do not each get a signature', () => {
    const path = join(dir, 'ahead.mcpscope.jsonl');
    const w = new CaptureWriter({
      path,
      source: { transport: 'stdio' },
      signer: signerFromSecret('11'.repeat(32)),
    });
    // A synthetic session 1 hour long, one record a second: 360 records, ahead of the wall clock.
    for (let i = 1; i <= 360; i++)
      w.append({ type: 'note', text: `t${i}`, ts: w.header.ts + i * 1000 });
    w.close('done');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const sigs = lines.filter((l) => l.includes('"type":"sig"')).length;
    // One checkpoint per 10 s of record time (about 36), not one per record.
    expect(sigs).toBeGreaterThanOrEqual(30);
    expect(sigs).toBeLessThanOrEqual(40);
    expect(verifyChain(`${lines.join('\n')}\n`, sha256Hex).intact).toBe(true);
  });

  it('reports an unwritable path once and keeps accepting records', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const errors: Error[] = [];
    const w = new CaptureWriter({
      path: join(blocker, 'x.jsonl'),
      source: { transport: 'stdio' },
      onError: (e) => errors.push(e),
    });
    const seen: number[] = [];
    w.subscribe((r) => seen.push(r.seq));
    w.subscribe(() => {
      throw new Error('a broken live subscriber');
    });
    for (let i = 0; i < 5; i++) w.append({ type: 'note', text: String(i) });
    w.close('done');
    expect(errors).toHaveLength(1);
    expect(w.error).toBe(errors[0]);
    // Live subscribers still get everything even though the file failed.
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('redaction of what goes into the header', () => {
  it('masks secret-looking flags and URL credentials', () => {
    expect(
      redactArgs([
        'srv',
        '--api-key',
        'sk-123',
        '--token=abc',
        'GITHUB_TOKEN=ghp_x',
        '--port',
        '8080',
        'https://u:p@h.example/x?token=t&q=1',
      ]),
    ).toEqual([
      'srv',
      '--api-key',
      '[REDACTED]',
      '--token=[REDACTED]',
      'GITHUB_TOKEN=[REDACTED]',
      '--port',
      '8080',
      'https://%5BREDACTED%5D@h.example/x?token=%5BREDACTED%5D&q=1',
    ]);
    expect(redactUrl('not a url')).toBe('not a url');
  });
});
