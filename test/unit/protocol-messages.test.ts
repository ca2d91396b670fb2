import { describe, expect, it } from 'vitest';
import { MessageIndex } from '../../shared/protocol/messages.js';
import { makeFrameInput, note, req, res, err } from '../helpers/factories.js';

function feed(...frames: ReturnType<typeof makeFrameInput>[]) {
  const idx = new MessageIndex();
  for (const f of frames) idx.add(f);
  return idx;
}

describe('MessageIndex pairing', () => {
  it('pairs a request with its response and computes latency', () => {
    const idx = feed(
      makeFrameInput('c2s', req(1, 'tools/list'), { ts: 100 }),
      makeFrameInput('s2c', res(1), { ts: 142.5 }),
    );
    const [q, a] = idx.messages;
    expect(q!.pair).toBe(a!.mid);
    expect(a!.pair).toBe(q!.mid);
    expect(q!.latencyMs).toBeCloseTo(42.5);
    expect(a!.method).toBe('tools/list');
  });

  it('keeps ids per sender: a server request may reuse a client request id', () => {
    const idx = feed(
      makeFrameInput('c2s', req(1, 'tools/call', { name: 'x' })),
      makeFrameInput('s2c', req(1, 'sampling/createMessage')), // same id, other direction
      makeFrameInput('c2s', res(1, { role: 'assistant' })), // answers the server's request
      makeFrameInput('s2c', res(1, { content: [] })), // answers the client's request
    );
    const [clientReq, serverReq, clientAns, serverAns] = idx.messages;
    expect(clientReq!.flags).not.toContain('duplicate-id');
    expect(serverReq!.flags).not.toContain('duplicate-id');
    expect(clientAns!.pair).toBe(serverReq!.mid);
    expect(clientAns!.method).toBe('sampling/createMessage');
    expect(serverAns!.pair).toBe(clientReq!.mid);
    expect(serverAns!.method).toBe('tools/call');
  });

  it('distinguishes numeric and string ids', () => {
    const idx = feed(makeFrameInput('c2s', req(1, 'ping')), makeFrameInput('s2c', res('1')));
    expect(idx.messages[1]!.flags).toContain('unpaired');
    expect(idx.messages[0]!.pair).toBeUndefined();
  });

  it('flags duplicate in-flight ids and unpaired responses', () => {
    const idx = feed(
      makeFrameInput('c2s', req(5, 'ping')),
      makeFrameInput('c2s', req(5, 'ping')),
      makeFrameInput('s2c', res(9)),
    );
    expect(idx.messages[1]!.flags).toContain('duplicate-id');
    expect(idx.messages[2]!.flags).toContain('unpaired');
  });

  it('pairs error responses and records the code', () => {
    const idx = feed(
      makeFrameInput('c2s', req('a', 'tools/call')),
      makeFrameInput('s2c', err('a', -32602, 'bad args')),
    );
    expect(idx.messages[1]).toMatchObject({
      kind: 'error',
      method: 'tools/call',
      errorCode: -32602,
      pair: 0,
    });
  });

  it('flags tool results that report an error', () => {
    const idx = feed(
      makeFrameInput('c2s', req(1, 'tools/call')),
      makeFrameInput('s2c', res(1, { isError: true, content: [] })),
      makeFrameInput('c2s', req(2, 'tools/call')),
      makeFrameInput('s2c', res(2, { isError: false, content: [] })),
    );
    expect(idx.messages[1]!.flags).toContain('tool-error');
    expect(idx.messages[3]!.flags).not.toContain('tool-error');
  });

  it('links progress notifications to the request that carried the token', () => {
    const idx = feed(
      makeFrameInput(
        'c2s',
        req(3, 'tools/call', { name: 'long', _meta: { progressToken: 'tok' } }),
      ),
      makeFrameInput(
        's2c',
        note('notifications/progress', { progressToken: 'tok', progress: 1, total: 2 }),
      ),
      makeFrameInput(
        's2c',
        note('notifications/progress', { progressToken: 'other', progress: 1 }),
      ),
    );
    expect(idx.messages[1]!.progressOf).toBe(0);
    expect(idx.messages[2]!.progressOf).toBeUndefined();
  });

  it('links a cancellation to the cancelled request (same direction)', () => {
    const idx = feed(
      makeFrameInput('c2s', req(7, 'tools/call')),
      makeFrameInput('s2c', req(7, 'roots/list')),
      makeFrameInput('c2s', note('notifications/cancelled', { requestId: 7, reason: 'user' })),
    );
    expect(idx.messages[2]!.cancels).toBe(0);
    expect(idx.messages[0]!.flags).toContain('cancelled');
    expect(idx.messages[1]!.flags).not.toContain('cancelled');
  });

  it('gives each batch element its own message and pairing', () => {
    const idx = feed(
      makeFrameInput('c2s', [req(1, 'ping'), req(2, 'tools/list')]),
      makeFrameInput('s2c', [res(2), res(1)]),
    );
    expect(idx.messages).toHaveLength(4);
    expect(idx.messages.map((m) => m.index)).toEqual([0, 1, 0, 1]);
    expect(idx.messages[2]!.method).toBe('tools/list');
    expect(idx.messages[3]!.method).toBe('ping');
    expect(idx.messages.every((m) => m.flags.includes('batch'))).toBe(true);
  });

  it('marks frames that are not UTF-8 or were truncated as invalid with a reason', () => {
    const idx = feed(
      { seq: 1, ts: 1, dir: 's2c', size: 3 },
      { seq: 2, ts: 2, dir: 's2c', size: 999, text: '{"jsonrpc"', truncated: 999 },
    );
    expect(idx.messages[0]).toMatchObject({ kind: 'invalid', flags: ['not-utf8'] });
    expect(idx.messages[1]).toMatchObject({ kind: 'invalid', flags: ['truncated'] });
    expect(idx.messages[1]!.reason).toContain('999 bytes');
  });

  it('lists requests still waiting for an answer', () => {
    const idx = feed(
      makeFrameInput('c2s', req(1, 'a')),
      makeFrameInput('c2s', req(2, 'b')),
      makeFrameInput('s2c', res(1)),
    );
    expect(idx.unanswered().map((m) => m.method)).toEqual(['b']);
  });
});
