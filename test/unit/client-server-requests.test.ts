// Server → client requests: raised to a listener, answered or rejected by it, decided by the
// headless policy when nobody listens or the listener does not answer in time, dropped when the
// server cancels, rejected when the connection closes.
import { describe, expect, it } from 'vitest';
import {
  RpcError,
  ServerRequests,
  USER_REJECTED,
} from '../../electron/engine/client/server-requests.js';
import type { HeadlessPolicy, PendingServerRequest } from '../../electron/engine/client/types.js';

function make(opts: { policy?: HeadlessPolicy; waitMs?: number; listening?: boolean } = {}) {
  const raised: PendingServerRequest[] = [];
  const sr = new ServerRequests(
    'c1',
    opts.policy,
    opts.waitMs,
    () => opts.listening ?? true,
    (r) => raised.push(r),
  );
  return { sr, raised };
}

const sampling = { role: 'assistant', model: 'm', content: { type: 'text', text: 'hi' } };

describe('ServerRequests', () => {
  it("raises the request and resolves with the listener's answer", async () => {
    const { sr, raised } = make();
    const p = sr.handle(
      'sampling/createMessage',
      7,
      { maxTokens: 5 },
      new AbortController().signal,
    );
    expect(raised).toEqual([
      expect.objectContaining({
        connId: 'c1',
        key: 'n:7',
        id: 7,
        method: 'sampling/createMessage',
        params: { maxTokens: 5 },
      }),
    ]);
    expect(sr.list()).toHaveLength(1);
    expect(sr.answer('n:7', sampling)).toBe(true);
    await expect(p).resolves.toEqual(sampling);
    expect(sr.answer('n:7', sampling)).toBe(false);
    expect(sr.list()).toEqual([]);
  });

  it("rejects with the listener's JSON-RPC error, code and message intact", async () => {
    const { sr } = make();
    const p = sr.handle('elicitation/create', 's1', {}, new AbortController().signal);
    sr.reject('s:s1', { code: -32000, message: 'user said no', data: { why: 'test' } });
    await expect(p).rejects.toMatchObject({
      code: -32000,
      message: 'user said no',
      data: { why: 'test' },
    });
  });

  it('without a listener the policy answers at once; without an answer it declines clearly', async () => {
    const { sr, raised } = make({ listening: false, policy: { roots: [{ uri: 'file:///r' }] } });
    await expect(sr.handle('roots/list', 1, {}, new AbortController().signal)).resolves.toEqual({
      roots: [{ uri: 'file:///r' }],
    });
    const refused = sr.handle('sampling/createMessage', 2, {}, new AbortController().signal);
    await expect(refused).rejects.toBeInstanceOf(RpcError);
    await expect(refused).rejects.toMatchObject({
      code: USER_REJECTED,
      message: expect.stringContaining('declined sampling/createMessage'),
    });
    expect(raised).toEqual([]);
  });

  it('falls back to the policy when the listener does not answer within waitMs', async () => {
    const { sr, raised } = make({
      waitMs: 20,
      policy: { answers: { 'sampling/createMessage': sampling } },
    });
    await expect(
      sr.handle('sampling/createMessage', 3, {}, new AbortController().signal),
    ).resolves.toEqual(sampling);
    expect(raised).toHaveLength(1);
    expect(sr.answer('n:3', {})).toBe(false);
  });

  it('drops a request the server cancelled, and rejects all on close', async () => {
    const { sr } = make();
    const ctl = new AbortController();
    const cancelled = sr.handle('elicitation/create', 4, {}, ctl.signal);
    ctl.abort();
    await expect(cancelled).rejects.toThrow(/cancelled by the server/);
    const pending = sr.handle('roots/list', 5, {}, new AbortController().signal);
    sr.rejectAll('connection closed (server exited with code 1)');
    await expect(pending).rejects.toThrow('connection closed (server exited with code 1)');
  });

  it('treats hostile params as an empty object', () => {
    const { sr, raised } = make();
    void sr
      .handle('roots/list', 6, ['not', 'an', 'object'], new AbortController().signal)
      .catch(() => undefined);
    expect(raised[0]?.params).toEqual({});
    sr.rejectAll('done');
  });
});
