import { describe, expect, it } from 'vitest';
import {
  dependsOnPairing,
  matches,
  parseFilter,
  usesFindings,
  type FilterSubject,
  type Severity,
} from '../../shared/filter/index.js';
import { MessageIndex, type Message } from '../../shared/protocol/index.js';

/** A small real exchange, derived by the real MessageIndex (no hand-built messages). */
function makeTimeline(): Message[] {
  const idx = new MessageIndex();
  let seq = 1;
  const add = (dir: 'c2s' | 's2c', value: unknown, ts: number) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    idx.add({ seq: seq++, ts, dir, text, size: text.length });
  };
  add('c2s', { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }, 0); // 0
  add('s2c', { jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18' } }, 20); // 1
  add('c2s', { jsonrpc: '2.0', method: 'notifications/initialized' }, 21); // 2
  add(
    'c2s',
    {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'echo', arguments: { msg: 'Hello SECRET' }, _meta: { progressToken: 'p' } },
    },
    100,
  ); // 3
  add(
    's2c',
    {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'p', progress: 1 },
    },
    200,
  ); // 4
  add('s2c', { jsonrpc: '2.0', id: 2, error: { code: -32602, message: 'bad' } }, 900); // 5
  add('c2s', { jsonrpc: '2.0', id: 3, method: 'tools/list' }, 1000); // 6
  add('s2c', 'not json', 1001); // 7
  add('s2c', { jsonrpc: '2.0', id: 'x', result: {} }, 1002); // 8 unpaired
  add('s2c', { jsonrpc: '2.0', id: '5', method: 'sampling/createMessage', params: {} }, 1003); // 9
  return idx.messages;
}

const msgs = makeTimeline();

function subjects(findings: Record<number, Severity[]> = {}): FilterSubject[] {
  return msgs.map((m) => {
    const s: FilterSubject = {
      msg: m,
      haystack: () => `${m.method ?? ''} ${JSON.stringify(m.parsed.value ?? '')}`.toLowerCase(),
    };
    if (m.pair !== undefined) s.pair = msgs[m.pair];
    if (findings[m.mid]) s.findings = findings[m.mid];
    return s;
  });
}

function run(q: string, findings?: Record<number, Severity[]>): number[] {
  const parsed = parseFilter(q);
  expect(parsed.errors).toEqual([]);
  return subjects(findings)
    .filter((s) => matches(parsed, s))
    .map((s) => s.msg.mid);
}

describe('matches', () => {
  it('empty filter matches everything', () => {
    expect(run('')).toHaveLength(msgs.length);
  });

  it('method exact and glob, including responses (which carry the request method)', () => {
    expect(run('method:tools/call')).toEqual([3, 5]);
    expect(run('method:tools/*')).toEqual([3, 5, 6]);
    expect(run('method:notifications/*')).toEqual([2, 4]);
  });

  it('dir', () => {
    expect(run('dir:c2s')).toEqual([0, 2, 3, 6]);
  });

  it('kind', () => {
    expect(run('kind:error')).toEqual([5]);
    expect(run('kind:invalid')).toEqual([7]);
    expect(run('kind:request,notification')).toEqual([0, 2, 3, 4, 6, 9]);
  });

  it('status: requests answered by errors count as errors; pending; unpaired', () => {
    expect(run('status:error')).toEqual([3, 5, 7]);
    expect(run('status:ok')).toEqual([0, 1]);
    expect(run('status:pending')).toEqual([6, 9]);
    expect(run('status:unpaired')).toEqual([8]);
  });

  it('latency on both halves of a pair', () => {
    expect(run('latency:>500')).toEqual([3, 5]);
    expect(run('latency:<=20')).toEqual([0, 1]);
    expect(run('latency:10..30')).toEqual([0, 1]);
  });

  it('id matches numbers and strings by their text', () => {
    expect(run('id:5')).toEqual([9]);
    expect(run('id:1,2')).toEqual([0, 1, 3, 5]);
    expect(run('id:x')).toEqual([8]);
  });

  it('has:pair/progress/error/flag', () => {
    expect(run('has:progress')).toEqual([4]);
    expect(run('has:error')).toEqual([3, 5, 7]);
    expect(run('has:pair')).toEqual([0, 1, 3, 5]);
    expect(run('has:flag')).toEqual([8]);
  });

  it('findings and severity (at or above the level)', () => {
    const f: Record<number, Severity[]> = { 3: ['high'], 5: ['low'], 9: ['critical', 'info'] };
    expect(run('has:finding', f)).toEqual([3, 5, 9]);
    expect(run('severity:high', f)).toEqual([3, 9]);
    expect(run('severity:critical', f)).toEqual([9]);
    expect(run('severity:info', f)).toEqual([3, 5, 9]);
    expect(run('has:finding')).toEqual([]);
  });

  it('free text is case-insensitive and negatable', () => {
    expect(run('secret')).toEqual([3]);
    expect(run('SECRET')).toEqual([3]);
    expect(run('-secret kind:request')).toEqual([0, 6, 9]);
  });

  it('clauses are AND-ed', () => {
    expect(run('dir:s2c kind:response')).toEqual([1, 8]);
    expect(run('method:tools/call status:error dir:s2c')).toEqual([5]);
  });

  it('negated clauses', () => {
    expect(run('-dir:s2c')).toEqual([0, 2, 3, 6]);
    expect(run('-kind:notification,request')).toEqual([1, 5, 7, 8]);
  });

  it('size and seq', () => {
    expect(run('seq:1..2')).toEqual([0, 1]);
    const big = msgs.filter((m) => m.size > 100).map((m) => m.mid);
    expect(run('size:>100')).toEqual(big);
  });

  it('does not compute the haystack unless text is searched', () => {
    let calls = 0;
    const q = parseFilter('dir:c2s');
    for (const m of msgs) matches(q, { msg: m, haystack: () => String(calls++) });
    expect(calls).toBe(0);
  });

  it('dependsOnPairing', () => {
    expect(dependsOnPairing(parseFilter('status:pending'))).toBe(true);
    expect(dependsOnPairing(parseFilter('latency:>5'))).toBe(true);
    expect(dependsOnPairing(parseFilter('has:cancel'))).toBe(true);
    expect(dependsOnPairing(parseFilter('method:x dir:c2s has:progress hello'))).toBe(false);
  });

  it('uses a search function instead of the haystack when given one', () => {
    const q = parseFilter('Hello');
    let needle = '';
    const m = msgs[3]!;
    expect(
      matches(q, {
        msg: m,
        haystack: () => {
          throw new Error('not used');
        },
        search: (n) => ((needle = n), true),
      }),
    ).toBe(true);
    expect(needle).toBe('hello');
  });

  it('usesFindings', () => {
    expect(usesFindings(parseFilter('has:finding'))).toBe(true);
    expect(usesFindings(parseFilter('severity:low'))).toBe(true);
    expect(usesFindings(parseFilter('has:error dir:c2s'))).toBe(false);
  });
});
