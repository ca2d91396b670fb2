// The pure half of raw-case minimisation: variants get smaller, keep what makes them reproducible
// (the final newline), and recompute which ids a conforming server must still answer.
import { describe, expect, it } from 'vitest';
import {
  chunkVariants,
  escapeBytes,
  lineVariants,
  withChunks,
  withLines,
  type FramingCase,
  type ProtocolCase,
} from '../../shared/fuzz/index.js';

const proto: ProtocolCase = {
  family: 'protocol',
  index: 3,
  mutation: 'duplicate-id',
  lines: ['{"jsonrpc":"2.0","id":7,"method":"ping"}', '{"jsonrpc":"2.0","id":7,"method":"ping"}'],
  mustAnswer: ['n:7'],
  mayAnswer: [],
};

describe('lineVariants / withLines', () => {
  it('drops lines first, then shrinks each line as JSON', () => {
    const vs = [...lineVariants(proto.lines)];
    expect(vs[0]).toEqual([proto.lines[1]]);
    expect(vs).toContainEqual(['{"id":7,"method":"ping"}', proto.lines[1]]);
    for (const v of vs)
      expect(JSON.stringify(v).length).toBeLessThanOrEqual(JSON.stringify(proto.lines).length);
  });

  it('shrinks a line that is not JSON as text, and a deeply nested one too', () => {
    expect([...lineVariants(['{"a":'])]).toContainEqual(['']);
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const first = lineVariants([deep]).next().value;
    expect(first).toEqual(['']);
  });

  it('a variant must answer only the well-formed requests it still has', () => {
    expect(withLines(proto, ['{"id":7,"method":"ping"}'])).toMatchObject({
      mustAnswer: [],
      mayAnswer: ['n:7'],
    });
    expect(withLines(proto, [proto.lines[0]!]).mustAnswer).toEqual(['n:7']);
    expect(withLines(proto, ['[{"jsonrpc":"2.0","id":"x","method":"ping"}]']).mayAnswer).toEqual(
      expect.arrayContaining(['n:7', 's:x']),
    );
  });
});

describe('chunkVariants / withChunks / escapeBytes', () => {
  const bad = `{"jsonrpc":"2.0","id":9,"method":"ping","x":"${String.fromCharCode(0xff)}"}\n`;
  const framing: FramingCase = {
    family: 'framing',
    index: 1,
    mutation: 'split-frame',
    chunks: [bad.slice(0, 10), bad.slice(10)],
    mustAnswer: [],
    mayAnswer: ['n:9', 'null'],
  };

  it('merges chunks first and keeps the final newline in every variant', () => {
    const vs = [...chunkVariants(framing.chunks)];
    expect(vs[0]).toEqual([bad]);
    expect(vs.length).toBeGreaterThan(10);
    for (const v of vs) expect(v.join('').endsWith('\n')).toBe(true);
  });

  it('recomputes ids from complete lines only', () => {
    const ok = '{"jsonrpc":"2.0","id":9,"method":"ping"}\n';
    expect(withChunks({ ...framing, mustAnswer: ['n:9'], mayAnswer: [] }, [ok]).mustAnswer).toEqual(
      ['n:9'],
    );
    expect(
      withChunks({ ...framing, mustAnswer: ['n:9'], mayAnswer: [] }, [ok.slice(0, -1)]).mustAnswer,
    ).toEqual([]);
  });

  it('escapes bytes that are not printable ASCII', () => {
    expect(escapeBytes(`a\\b${String.fromCharCode(0xc3, 0, 13)}\n`)).toBe('a\\\\b\\xc3\\x00\\r\\n');
  });
});
