import { describe, expect, it } from 'vitest';
import { encodeLine, splitHash } from '../../shared/capture/codec.js';
import { sha256Hex } from '../../shared/capture/hash.js';
import { migrateRecord } from '../../shared/capture/migrate.js';
import { readCapture, CaptureFormatError } from '../../shared/capture/reader.js';
import { verifyChain } from '../../shared/capture/verify.js';
import { nodeSha256 } from '../../electron/engine/capture/writer.js';

function capture(records: object[]): string {
  let prev = '';
  const lines = [
    {
      seq: 0,
      ts: 1,
      type: 'header',
      format: 'mcpscope-capture',
      version: 1,
      tool: 'mcpscope/test',
      created: '2026-01-01T00:00:00.000Z',
      id: 'abcd',
      source: { transport: 'stdio', command: ['srv'] },
    },
    ...records.map((r, i) => ({ seq: i + 1, ts: 2 + i, ...r })),
  ].map((r) => {
    const { line, hash } = encodeLine(r, prev, sha256Hex);
    prev = hash;
    return line;
  });
  return `${lines.join('\n')}\n`;
}

const frames = [
  { type: 'frame', dir: 'c2s', channel: 'stdio', text: '{"jsonrpc":"2.0","id":1,"method":"ping"}' },
  { type: 'frame', dir: 's2c', channel: 'stdio', text: '{"jsonrpc":"2.0","id":1,"result":{}}' },
  { type: 'stderr', text: 'log line' },
  { type: 'frame', dir: 'c2s', channel: 'stdio', text: '{"jsonrpc":"2.0","method":"x"}' },
  { type: 'end', reason: 'done' },
];

const lines = (t: string) => t.trimEnd().split('\n');
const join = (l: string[]) => `${l.join('\n')}\n`;

describe('hash chain', () => {
  const good = capture(frames);

  it('the pure and the native SHA-256 agree', () => {
    expect(sha256Hex('abc ✓')).toBe(nodeSha256('abc ✓'));
  });

  it('verifies an untouched capture', () => {
    const r = verifyChain(good, sha256Hex);
    expect(r).toMatchObject({ intact: true, checked: 6, warnings: [] });
  });

  it('catches an edited record', () => {
    const l = lines(good);
    l[2] = l[2]!.replace('result', 'resulx');
    expect(l[2]).toContain('resulx');
    const r = verifyChain(join(l), sha256Hex);
    expect(r.intact).toBe(false);
    expect(r.firstBad).toMatchObject({ seq: 2, line: 3 });
  });

  it('catches an edited header', () => {
    const l = lines(good);
    l[0] = l[0]!.replace('"srv"', '"evil"');
    expect(verifyChain(join(l), sha256Hex).firstBad).toMatchObject({ seq: 0 });
  });

  it('catches a deleted record', () => {
    const l = lines(good);
    l.splice(2, 1);
    const r = verifyChain(join(l), sha256Hex);
    expect(r.intact).toBe(false);
    expect(r.firstBad!.line).toBe(3);
    expect(r.firstBad!.reason).toContain('removed, inserted or moved');
  });

  it('catches an inserted record, even one with a self-consistent hash and renumbering', () => {
    const l = lines(good);
    const forged = encodeLine(
      { seq: 2, ts: 2.5, type: 'note', text: 'forged' },
      'f'.repeat(64),
      sha256Hex,
    ).line;
    l.splice(2, 0, forged);
    expect(verifyChain(join(l), sha256Hex).firstBad).toMatchObject({ line: 3, seq: 2 });
  });

  it('catches reordered records', () => {
    const l = lines(good);
    [l[1], l[2]] = [l[2]!, l[1]!];
    const r = verifyChain(join(l), sha256Hex);
    expect(r.intact).toBe(false);
    expect(r.firstBad!.line).toBe(2);
  });

  it('catches a record whose hash was replaced', () => {
    const l = lines(good);
    l[3] = l[3]!.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'0'.repeat(64)}"`);
    expect(verifyChain(join(l), sha256Hex).firstBad).toMatchObject({
      seq: 3,
      reason: expect.stringContaining('hash mismatch'),
    });
  });

  it('tolerates a cut-off last line but says so', () => {
    const t = good.slice(0, good.length - 20);
    const r = verifyChain(t, sha256Hex);
    expect(r.intact).toBe(true);
    expect(r.warnings.join(' ')).toContain('cut off');
  });

  it('warns when the end record is missing', () => {
    const l = lines(good);
    l.pop();
    const r = verifyChain(join(l), sha256Hex);
    expect(r.intact).toBe(true);
    expect(r.warnings.join(' ')).toContain('no end record');
  });

  it('splitHash rejects lines without a proper hash member', () => {
    expect(splitHash('{"seq":1}')).toBeUndefined();
    expect(splitHash('{"seq":1,"hash":"xyz"}')).toBeUndefined();
  });
});

describe('readCapture', () => {
  it('reads records and reports a clean close', () => {
    const r = readCapture(capture(frames));
    expect(r.header?.source.transport).toBe('stdio');
    expect(r.records).toHaveLength(5);
    expect(r.closed).toBe(true);
    expect(r.problems).toEqual([]);
  });

  it('reports a truncated last line without losing the records before it', () => {
    const t = capture(frames);
    const r = readCapture(t.slice(0, t.length - 30));
    expect(r.records).toHaveLength(4);
    expect(r.truncatedTail?.line).toBe(6);
    expect(r.closed).toBe(false);
  });

  it('reports a malformed line in the middle and keeps reading', () => {
    const l = lines(capture(frames));
    l[2] = 'not json at all';
    const r = readCapture(join(l));
    expect(r.problems).toEqual([{ line: 3, message: 'not a JSON object' }]);
    expect(r.records).toHaveLength(4);
  });

  it('treats an unknown field as an error, not something to drop', () => {
    const r = readCapture(
      capture([{ type: 'frame', dir: 'c2s', channel: 'stdio', text: '{}', surprise: 1 }]),
    );
    expect(r.records).toHaveLength(0);
    expect(r.problems[0]!.message).toContain('unknown field "surprise"');
  });

  it('rejects records that break their shape', () => {
    const r = readCapture(
      capture([
        { type: 'frame', dir: 'sideways', channel: 'stdio', text: '{}' },
        { type: 'frame', dir: 'c2s', channel: 'stdio' },
        { type: 'exit', code: 'zero', signal: null },
        { type: 'mystery' },
      ]),
    );
    expect(r.problems.map((p) => p.message)).toEqual([
      'frame record: field "dir" has the wrong type',
      'frame record must have exactly one of "text" and "b64"',
      'exit record: field "code" has the wrong type',
      'unknown record type "mystery"',
    ]);
  });

  it('refuses files that are not captures, or are from a newer version', () => {
    expect(() => readCapture('{"hello":1}\n')).toThrow(CaptureFormatError);
    expect(() => readCapture('')).toThrow(/not an mcpscope capture/);
    const newer = capture([]).replace('"version":1', '"version":99');
    expect(() => readCapture(newer)).toThrow(/newer than this mcpscope/);
  });

  it('tolerates CRLF line endings', () => {
    const r = readCapture(capture(frames).replace(/\n/g, '\r\n'));
    expect(r.records).toHaveLength(5);
    expect(r.problems).toEqual([]);
  });
});

describe('migrations', () => {
  it('lifts a record step by step and refuses a missing step', () => {
    const steps = {
      1: (r: Record<string, unknown>) => ({ ...r, v2: true }),
      2: (r: Record<string, unknown>) => ({ ...r, v3: true }),
    };
    expect(migrateRecord({ type: 'note', text: 'x' }, 1, 3, steps)).toEqual({
      type: 'note',
      text: 'x',
      v2: true,
      v3: true,
    });
    expect(migrateRecord({ type: 'header', version: 1 }, 1, 3, steps)).toMatchObject({
      version: 3,
    });
    expect(() => migrateRecord({ type: 'note' }, 1, 4, steps)).toThrow(
      'no migration from capture format v3 to v4',
    );
  });
});
