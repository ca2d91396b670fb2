// The large-session index (renderer/src/worker/) against the small-session path: the same
// capture streamed from a Blob in small chunks must give the same counts, the same filter results
// and, read back by byte range, each frame's exact raw text.

import { describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/reader.js';
import { parseFilter } from '../../shared/filter/index.js';
import { SessionData } from '../../renderer/src/model/session-data.js';
import { filterMessages } from '../../renderer/src/store/timeline.js';
import { LargeIndex } from '../../renderer/src/worker/large-index.js';
import { streamLines } from '../../renderer/src/worker/stream-lines.js';
import { makeSessionCapture } from '../helpers/factories.js';

/** A Blob whose stream yields `size`-byte chunks (so lines straddle chunk borders). */
function chunkedBlob(bytes: Uint8Array, size: number): Blob {
  const b = new Blob([bytes as BlobPart]);
  return Object.assign(b, {
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
          c.close();
        },
      }),
  });
}

function capture(): string {
  const c = makeSessionCapture();
  for (let i = 10; i < 200; i++) {
    c.frame('c2s', {
      jsonrpc: '2.0',
      id: i,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: i % 7 === 0 ? `Grüße ✓ ${i}` : `hello ${i}` } },
    });
    if (i % 5 === 0)
      c.frame('s2c', { jsonrpc: '2.0', id: i, error: { code: -32000, message: `boom ${i}` } });
    else if (i % 11 !== 0)
      c.frame(
        's2c',
        { jsonrpc: '2.0', id: i, result: { content: [{ type: 'text', text: `HELLO ${i}` }] } },
        i % 13 === 0 ? 900 : 2,
      );
  }
  c.frame('c2s', 'not json at all');
  c.frame('c2s', [
    { jsonrpc: '2.0', method: 'notifications/progress', params: {} },
    { jsonrpc: '2.0', id: 'b', method: 'ping' },
  ]);
  c.add({ type: 'stderr', text: 'bye' });
  return c.text();
}

async function index(text: string, chunk: number): Promise<LargeIndex> {
  const bytes = new TextEncoder().encode(text);
  const ix = new LargeIndex();
  const nl = await streamLines(chunkedBlob(bytes, chunk).stream(), (l, s, n) => ix.push(l, s, n));
  ix.finish(nl);
  return ix;
}

const QUERIES = [
  '',
  'status:error',
  'method:tools/call dir:s2c',
  'latency:>500',
  'hello 19',
  'grüße',
  'HELLO -kind:request',
  'kind:request -method:tools/call',
  'status:pending',
  'has:progress',
  'has:error,pair',
  'has:cancel',
  'has:flag -status:ok',
  'status:unpaired,pending',
  'status:ok latency:<3',
  'id:12,13',
  'size:>150 seq:10..300',
  'kind:notification,error dir:c2s',
  'method:notifications/* -has:progress',
  'severity:high',
  '-hello',
];

describe('LargeIndex', () => {
  it('gives the small path counts, filter results and exact raw text for any chunking', async () => {
    const text = capture();
    const read = readCapture(text);
    const small = new SessionData('s', read.header);
    small.append(read.records);
    const bytes = new TextEncoder().encode(text);
    for (const chunk of [7, 64, 4096]) {
      const ix = await index(text, chunk);
      expect(ix.counts).toEqual(small.counts);
      expect(ix.header?.id).toBe('cafe0001');
      expect(ix.summary?.frames).toBe(small.counts.frames);
      for (const q of QUERIES) {
        expect(parseFilter(q).errors, q).toEqual([]);
        const want = filterMessages(small, parseFilter(q));
        expect([...ix.filter(q)], `query ${q} chunk ${chunk}`).toEqual(want);
      }
      expect(ix.filter('hello 19').length).toBeGreaterThan(0);
      expect(ix.filter('grüße').length).toBeGreaterThan(0);
      expect(ix.filter('status:error').length).toBeGreaterThan(0);
      for (const m of small.messages) {
        const at = ix.lineOf(m.mid)!;
        const line = new TextDecoder().decode(bytes.subarray(at.start, at.start + at.len));
        const rec = JSON.parse(line) as { text?: string; seq: number };
        expect(rec.seq).toBe(m.seq);
        expect(rec.text).toBe(small.rawText(m));
        const row = ix.rows([m.mid])[0]!;
        expect(row.kind).toBe(m.kind);
        expect(row.latencyMs).toBe(m.latencyMs);
        expect(row.pair).toBe(m.pair);
      }
    }
  });

  it('reads a file without a final newline and skips bad lines like the reader', async () => {
    const text = capture();
    const lines = text.trimEnd().split('\n');
    lines.splice(5, 0, '{not json');
    const cut = lines.join('\n');
    const ix = await index(cut, 100);
    const read = readCapture(cut);
    expect(ix.problems).toBe(read.problems.length);
    expect(ix.problems).toBe(1);
    expect(ix.counts.frames).toBe(read.records.filter((r) => r.type === 'frame').length);
  });

  it('rejects a file that is not a capture', async () => {
    await expect(index('hello\nworld\n', 4)).rejects.toThrow(/header/);
  });
});
