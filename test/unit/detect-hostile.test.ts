// Hostile input must not stall detection (a recording proxy feeds it live): multi-megabyte
// strings shaped to make regexes backtrack, deep nesting, broken JSON. Each case has a time bound
// far above its normal cost and far below what quadratic behaviour would take.
import { describe, expect, it } from 'vitest';
import { detectServers } from '../../shared/detect/run.js';
import { TimelineDetector } from '../../shared/detect/timeline.js';
import { makeFrame, makeHeader, makeServer, makeSession } from '../helpers/factories.js';

const MB = 1_000_000;
const timed = (fn: () => unknown): number => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

describe('hostile input', () => {
  it.each([
    ['a megabyte of spaces', ' '.repeat(MB)],
    ['a megabyte of base64', 'QUFB'.repeat(MB / 4)],
    ['many unclosed HTML comments', '<!-- x '.repeat(MB / 7)],
    ['a megabyte-long URL with many separators', `https://x.example.net/?${'a=1&'.repeat(MB / 4)}`],
    ['many pseudo-tags', '<IMPORTANT>'.repeat(MB / 11)],
    ['alternating words and newlines', 'ignore\n'.repeat(MB / 7)],
  ])('%s in a tool description and a tool result', (_n, big) => {
    const meta = timed(() =>
      detectServers([
        makeServer('s', [{ name: 't', description: big, inputSchema: { type: 'object' } }]),
      ]),
    );
    const d = new TimelineDetector(makeHeader());
    const result = timed(() =>
      makeSession({ tools: [{ name: 't' }], result: big }).forEach((r) => d.add(r)),
    );
    expect(meta).toBeLessThan(5_000);
    expect(result).toBeLessThan(5_000);
  });

  it('a frame with thousands of hits in thousands of strings', () => {
    const d = new TimelineDetector(makeHeader());
    const items = Array.from({ length: 5000 }, (_, i) => ({
      id: i,
      owner: `user${i}@acme-corp.io`,
      note: 'x'.repeat(20),
    }));
    let found = 0;
    const ms = timed(() => {
      found = makeSession({ tools: [{ name: 't' }], result: JSON.stringify(items) }).flatMap((r) =>
        d.add(r),
      ).length;
    });
    expect(found).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(5_000);
  });

  it('deeply nested JSON and invalid frames are reported, not fatal', () => {
    const d = new TimelineDetector(makeHeader());
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const fs = [
      makeFrame(1, 's2c', deep),
      makeFrame(2, 's2c', '{"jsonrpc":"2.0","id":'),
      makeFrame(3, 's2c', '\u0000\u001b[2J'),
    ].flatMap((r) => d.add(r));
    expect(fs.filter((f) => f.rule === 'protocol.invalid-frame').map((f) => f.target.seq)).toEqual([
      1, 2, 3,
    ]);
  });
});
