import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../../shared/http/sse.js';

const enc = new TextEncoder();

function parseAll(chunks: (string | Uint8Array)[]): SseEvent[] {
  const p = new SseParser();
  return chunks.flatMap((c) => p.push(typeof c === 'string' ? enc.encode(c) : c));
}

/** Split bytes at the given cut points (sorted, deduplicated, inside the array). */
function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

describe('SseParser', () => {
  it('parses events with data, id, event and retry fields', () => {
    const evs = parseAll([
      'event: endpoint\ndata: /message?sessionId=1\n\nid: 7\ndata: {"a":1}\nretry: 3000\n\n',
    ]);
    expect(evs).toEqual([
      { event: 'endpoint', data: '/message?sessionId=1', hasData: true, lastEventId: '' },
      { data: '{"a":1}', hasData: true, id: '7', lastEventId: '7', retry: 3000 },
    ]);
  });

  it('joins multi-line data with newlines, ignores comments and unknown fields', () => {
    const evs = parseAll([': keep-alive\n', 'data: a\ndata:b\nfoo: bar\n\n']);
    expect(evs).toEqual([{ data: 'a\nb', hasData: true, lastEventId: '' }]);
  });

  it('handles CRLF and lone CR line endings, including a CR at the end of a chunk', () => {
    expect(parseAll(['data: x\r\n\r\n', 'data: y\r\r'])).toMatchObject([
      { data: 'x' },
      { data: 'y' },
    ]);
    // "\r" then "\n" in the next chunk is one line end, not two (which would dispatch early).
    expect(parseAll(['data: x\r', '\ndata: y\r', '\n\r', '\n'])).toMatchObject([{ data: 'x\ny' }]);
  });

  it('keeps a UTF-8 character split across chunks intact', () => {
    const bytes = enc.encode('data: {"t":"héllo 😀"}\n\n');
    const cut = bytes.indexOf(0xf0) + 2; // inside the 4-byte emoji
    expect(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toMatchObject([
      { data: '{"t":"héllo 😀"}' },
    ]);
  });

  it('reports an event without data (priming events) and keeps the id across events', () => {
    const evs = parseAll(['id: p1\ndata:\n\n', 'id: e2\n\n', 'data: z\n\n']);
    expect(evs).toEqual([
      { data: '', hasData: true, id: 'p1', lastEventId: 'p1' },
      { data: '', hasData: false, id: 'e2', lastEventId: 'e2' },
      { data: 'z', hasData: true, lastEventId: 'e2' },
    ]);
  });

  it('returns the unterminated rest at the end of the stream', () => {
    const p = new SseParser();
    expect(p.push(enc.encode('data: complete\n\ndata: cut off'))).toHaveLength(1);
    expect(p.end()).toBe('data: cut off');
    expect(p.end()).toBe('');
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const stream = enc.encode(
      'id: 1\r\nevent: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}\r\n\r\n' +
        ': comment\n\nid: 2\ndata: {"jsonrpc":"2.0","id":1,"result":{"text":"ünï 😀"}}\n\n' +
        'data: line1\rdata: line2\r\r',
    );
    const whole = parseAll([stream]);
    expect(whole).toHaveLength(3);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        expect(parseAll(splitAt(stream, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('strips a leading byte order mark', () => {
    expect(
      parseAll([
        new Uint8Array([0xef, 0xbb]),
        new Uint8Array([0xbf, ...enc.encode('data: a\n\n')]),
      ]),
    ).toMatchObject([{ data: 'a' }]);
  });

  it('parses a 20 MB event arriving in 64 KiB chunks in linear time', () => {
    const payload = `{"jsonrpc":"2.0","id":1,"result":{"blob":"${'x'.repeat(20 * 1024 * 1024)}"}}`;
    const bytes = enc.encode(`id: big\ndata: ${payload}\n\n`);
    const p = new SseParser();
    const t0 = performance.now();
    const evs: SseEvent[] = [];
    for (let i = 0; i < bytes.length; i += 65536) evs.push(...p.push(bytes.subarray(i, i + 65536)));
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(evs).toHaveLength(1);
    expect(evs[0]!.data.length).toBe(payload.length);
  });
});
