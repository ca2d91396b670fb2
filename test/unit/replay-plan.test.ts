import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Binder,
  buildPlan,
  compareExchange,
  locationKey,
  makeRules,
  summarise,
  toJson,
} from '../../shared/replay/index.js';
import { note, req, res } from '../helpers/factories.js';
import { makeCapture, type Wire } from './replay-capture.js';

const init: Wire[] = [
  [
    'c2s',
    req(0, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: { sampling: {} },
      clientInfo: { name: 'c', version: '1' },
    }),
  ],
  [
    's2c',
    res(0, {
      protocolVersion: '2025-06-18',
      capabilities: {},
      serverInfo: { name: 's', version: '1' },
    }),
  ],
  ['c2s', note('notifications/initialized')],
];

describe('buildPlan', () => {
  it('splits the handshake, steps, answers and what the server sent while handling each', () => {
    const plan = buildPlan(
      makeCapture([
        ...init,
        ['c2s', req(1, 'tools/call', { name: 'slow', _meta: { progressToken: 7 } })],
        ['s2c', note('notifications/progress', { progressToken: 7, progress: 1 })],
        ['s2c', req('s1', 'sampling/createMessage', { messages: [] })],
        [
          'c2s',
          res('s1', { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' }),
        ],
        ['s2c', res(1, { content: [] })],
        ['s2c', note('notifications/tools/list_changed')],
        ['c2s', 'not json'],
      ]),
    );
    expect(plan.initialize?.method).toBe('initialize');
    expect(plan.steps.map((s) => s.method)).toEqual(['notifications/initialized', 'tools/call']);
    const call = plan.steps[1]!;
    expect(call.answer?.result).toEqual({ content: [] });
    expect(call.emits.map((e) => e.kind + (e.kind === 'answer' ? '' : `:${e.method}`))).toEqual([
      'notification:notifications/progress',
      'request:sampling/createMessage',
      'answer',
      'notification:notifications/tools/list_changed',
    ]);
    const ask = call.emits[1]!;
    expect(ask.kind === 'request' && ask.answer?.result).toMatchObject({ model: 'm' });
    expect(plan.skipped).toEqual([{ seq: 10, reason: 'the frame is not valid JSON' }]);
  });

  it('finds server-generated values the client sent back: cursors, ids, tokens inside URIs', () => {
    const plan = buildPlan(
      makeCapture([
        ...init,
        ['c2s', req(1, 'resources/list', {})],
        ['s2c', res(1, { resources: [{ uri: 'test://item/a1b2c3d4' }], nextCursor: 'CUR-9f8e7d' })],
        ['c2s', req(2, 'resources/list', { cursor: 'CUR-9f8e7d' })],
        ['s2c', res(2, { resources: [] })],
        ['c2s', req(3, 'tools/call', { name: 'get', arguments: { id: 'a1b2c3d4' } })],
        ['s2c', res(3, { content: [{ type: 'text', text: 'echo hello-world' }] })],
        ['c2s', req(4, 'tools/call', { name: 'get', arguments: { id: 'hello-world' } })],
        ['s2c', res(4, {})],
      ]),
    );
    expect([...plan.echoed].sort()).toEqual(['CUR-9f8e7d', 'a1b2c3d4']);
    expect([...plan.echoedAt]).toEqual([locationKey('resources/list', '/result/nextCursor')]);
  });

  it('binds every value at a place the client took a handle from, and not text that only mentions one', () => {
    const plan = buildPlan(
      makeCapture([
        ...init,
        ['c2s', req(1, 'resources/list', {})],
        ['s2c', res(1, { resources: [{ uri: 'x://a/1111' }, { uri: 'x://a/2222' }] })],
        ['c2s', req(2, 'resources/read', { uri: 'x://a/2222' })],
        ['s2c', res(2, { contents: [{ text: 'about x://a/2222' }] })],
      ]),
    );
    const b = new Binder(plan.echoed, plan.echoedAt);
    const step = plan.steps.find((s) => s.method === 'resources/list')!;
    const r = compareExchange(
      step,
      { kind: 'answer', result: { resources: [{ uri: 'x://a/9999' }, { uri: 'x://a/8888' }] } },
      b,
      makeRules(),
    );
    expect(r.differences).toEqual([]);
    expect(b.apply({ uri: 'x://a/2222' })).toEqual({ uri: 'x://a/8888' });
    const read = plan.steps.find((s) => s.method === 'resources/read')!;
    const r2 = compareExchange(
      read,
      { kind: 'answer', result: { contents: [{ text: 'about x://a/8888 (changed)' }] } },
      b,
      makeRules(),
    );
    expect(r2.differences.map((d) => d.pointer)).toEqual(['/result/contents/0/text']);
  });
});

describe('Binder and compareExchange', () => {
  const echoed = new Set(['CUR-1234', 'item-42aa']);

  it('binds a changed cursor and id, substitutes them, and never counts them as differences', () => {
    const b = new Binder(echoed);
    const step = {
      seq: 5,
      method: 'resources/list',
      answer: {
        seq: 6,
        result: { nextCursor: 'CUR-1234', text: 'made item-42aa today', items: ['item-42aa'] },
      },
    };
    const live = {
      kind: 'answer' as const,
      result: { nextCursor: 'CUR-zzzz', text: 'made item-77bb today', items: ['item-77bb'] },
    };
    const r = compareExchange(step, live, b, makeRules());
    expect(r.differences).toEqual([]);
    expect(b.bindings()).toEqual(
      expect.arrayContaining([
        { recorded: 'CUR-1234', replayed: 'CUR-zzzz' },
        { recorded: 'item-42aa', replayed: 'item-77bb' },
      ]),
    );
    expect(b.apply({ cursor: 'CUR-1234', uri: 'x://item-42aa/y' })).toEqual({
      cursor: 'CUR-zzzz',
      uri: 'x://item-77bb/y',
    });
  });

  it('learns a binding from inside a string when only the surrounding text matches', () => {
    const b = new Binder(new Set(['abc123xyz']));
    b.learn({ text: 'task abc123xyz started' }, { text: 'task QQQ999 started' });
    expect(b.applyString('abc123xyz')).toBe('QQQ999');
  });

  it('still reports values that are not bound', () => {
    const b = new Binder(echoed);
    const r = compareExchange(
      {
        seq: 1,
        method: 'tools/call',
        params: { name: 'echo' },
        answer: { seq: 2, result: { t: 'a', nextCursor: 'CUR-1234' } },
      },
      { kind: 'answer', result: { t: 'b', nextCursor: 'X' } },
      b,
      makeRules(),
    );
    expect(r.differences).toEqual([{ pointer: '/result/t', recorded: 'a', replayed: 'b' }]);
    const json = toJson([r]);
    expect(json).toEqual({
      exchanges: 1,
      same: 0,
      differences: [
        { seq: 1, method: 'tools/call', pointer: '/result/t', recorded: 'a', replayed: 'b' },
      ],
    });
    expect(summarise([r])).toContain(
      'first divergence: seq 1 tools/call echo at /result/t: recorded "a", replayed "b"',
    );
  });

  it('reports a failure (dead or hung target) as a whole-answer difference', () => {
    const r = compareExchange(
      { seq: 3, method: 'ping', answer: { seq: 4, result: {} } },
      { kind: 'failure', reason: 'the target exited with code 1' },
      new Binder(new Set()),
      makeRules(),
    );
    expect(r.differences).toEqual([
      {
        pointer: '',
        recorded: { result: {} },
        replayed: { failure: 'the target exited with code 1' },
      },
    ]);
  });

  it('a binding makes any renamed echoed value disappear from the diff (property)', () => {
    const token = fc.stringMatching(/^[a-z0-9]{8,12}$/);
    fc.assert(
      fc.property(token, token, fc.string({ maxLength: 10 }), (rec, rep, around) => {
        fc.pre(rec !== rep && !around.includes(rec) && !around.includes(rep));
        const b = new Binder(new Set([rec]));
        const r = compareExchange(
          {
            seq: 1,
            method: 'x',
            answer: { seq: 2, result: { id: rec, text: `${around}${rec}${around}` } },
          },
          { kind: 'answer', result: { id: rep, text: `${around}${rep}${around}` } },
          b,
          makeRules({ defaults: false }),
        );
        expect(r.differences).toEqual([]);
      }),
    );
  });
});
