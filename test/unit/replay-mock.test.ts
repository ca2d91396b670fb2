import { describe, expect, it } from 'vitest';
import { buildPlan, MOCK_ERRORS, MockScript } from '../../shared/replay/index.js';
import { note, req, res } from '../helpers/factories.js';
import { makeCapture } from './replay-capture.js';

const plan = buildPlan(
  makeCapture([
    [
      'c2s',
      req(0, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'c', version: '1' },
      }),
    ],
    [
      's2c',
      res(0, {
        protocolVersion: '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 's', version: '1' },
      }),
    ],
    ['c2s', note('notifications/initialized')],
    ['s2c', note('notifications/message', { level: 'info', data: 'ready' })],
    ['c2s', req(1, 'tools/call', { name: 'echo', arguments: { message: 'a' } })],
    ['s2c', res(1, { content: [{ type: 'text', text: 'Echo: a' }] })],
    ['c2s', req(2, 'tools/call', { name: 'echo', arguments: { message: 'b' } })],
    ['s2c', res(2, { content: [{ type: 'text', text: 'Echo: b' }] })],
    ['c2s', req(3, 'tools/call', { name: 'echo', arguments: { message: 'a' } })],
    ['s2c', res(3, { content: [{ type: 'text', text: 'Echo: a (again)' }] })],
    ['c2s', req(4, 'tools/call', { name: 'slow', _meta: { progressToken: 'p1' } })],
    ['s2c', note('notifications/progress', { progressToken: 'p1', progress: 1, total: 2 })],
    ['s2c', req(9, 'roots/list')],
    ['c2s', res(9, { roots: [] })],
    ['s2c', res(4, { content: [] })],
  ]),
);

const sent = (outs: ReturnType<MockScript['handle']>) =>
  outs.map((o) => (o.type === 'send' ? o.message : { ask: o.method }));

describe('MockScript', () => {
  it('answers initialize from the recording with the live id, then the notifications at their places', () => {
    const m = new MockScript(plan);
    expect(sent(m.handle(req('x', 'initialize', { protocolVersion: '2024-11-05' })))).toEqual([
      { jsonrpc: '2.0', id: 'x', result: plan.initialize!.answer!.result },
    ]);
    expect(sent(m.handle(note('notifications/initialized')))).toEqual([
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'ready' } },
    ]);
  });

  it('gives each argument set its own answer and identical calls their answers in order', () => {
    const m = new MockScript(plan);
    const text = (o: ReturnType<MockScript['handle']>) => JSON.stringify(sent(o));
    expect(
      text(m.handle(req(10, 'tools/call', { arguments: { message: 'b' }, name: 'echo' }))),
    ).toContain('Echo: b');
    expect(
      text(m.handle(req(11, 'tools/call', { name: 'echo', arguments: { message: 'a' } }))),
    ).toContain('"Echo: a"');
    expect(
      text(m.handle(req(12, 'tools/call', { name: 'echo', arguments: { message: 'a' } }))),
    ).toContain('Echo: a (again)');
    expect(
      text(m.handle(req(13, 'tools/call', { name: 'echo', arguments: { message: 'a' } }))),
    ).toContain('Echo: a (again)');
  });

  it('rewrites progress tokens, and asks the recorded server requests in order', () => {
    const m = new MockScript(plan);
    const out = sent(
      m.handle(req(20, 'tools/call', { name: 'slow', _meta: { progressToken: 'live' } })),
    );
    expect(out).toEqual([
      {
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'live', progress: 1, total: 2 },
      },
      { ask: 'roots/list' },
      { jsonrpc: '2.0', id: 20, result: { content: [] } },
    ]);
    // Without a token nobody asked for progress.
    expect(sent(new MockScript(plan).handle(req(21, 'tools/call', { name: 'slow' })))[0]).toEqual({
      ask: 'roots/list',
    });
  });

  it('names the closest recorded request when a request was never recorded', () => {
    const m = new MockScript(plan);
    const [out] = sent(
      m.handle(req(30, 'tools/call', { name: 'echo', arguments: { message: 'zzz' } })),
    );
    expect(out).toMatchObject({ id: 30, error: { code: MOCK_ERRORS.unrecorded } });
    const msg = (out as { error: { message: string } }).error.message;
    expect(msg).toContain(
      'no recorded answer for tools/call {"arguments":{"message":"zzz"},"name":"echo"}',
    );
    expect(msg).toMatch(
      /Closest recorded request: seq \d+ tools\/call \{"arguments":\{"message":"a"\},"name":"echo"\}/,
    );
    const [unknown] = sent(m.handle(req(31, 'resources/read', { uri: 'x' })));
    expect(unknown).toMatchObject({ error: { code: MOCK_ERRORS.unknownMethod } });
  });

  it('--strict rejects requests out of recorded order', () => {
    const m = new MockScript(plan, { strict: true });
    const [bad] = sent(
      m.handle(req(40, 'tools/call', { name: 'echo', arguments: { message: 'b' } })),
    );
    expect((bad as { error: { message: string } }).error.message).toMatch(
      /out of order: expected seq 5 tools\/call .*"a".* next/,
    );
    expect(
      JSON.stringify(
        sent(m.handle(req(41, 'tools/call', { name: 'echo', arguments: { message: 'a' } }))),
      ),
    ).toContain('Echo: a');
  });

  it('answers invalid messages with an error, never silence', () => {
    const [out] = sent(new MockScript(plan).handle({ jsonrpc: '1.0', id: 5, method: 'x' }));
    expect(out).toMatchObject({ id: 5, error: { code: MOCK_ERRORS.invalid } });
  });
});
