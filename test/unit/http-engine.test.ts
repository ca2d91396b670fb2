// Node-side helpers of the HTTP recorder: listen addresses, bridge routing, body decoding.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyCollector, DecodedTap } from '../../electron/engine/record/http/body.js';
import { hostAllowed } from '../../electron/engine/record/http/guard.js';
import {
  checkListenHost,
  isLoopback,
  ListenError,
  originOf,
  parseListen,
} from '../../electron/engine/record/http/listen.js';
import { RequestRouter } from '../../electron/engine/record/http/router.js';
import { RecordQueue } from '../../electron/engine/record/http/queue.js';

describe('listen addresses', () => {
  it('parses HOST:PORT forms and defaults to loopback on a free port', () => {
    expect(parseListen(undefined)).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('localhost:1')).toEqual({ host: 'localhost', port: 1 });
    expect(parseListen('[::1]:3000')).toEqual({ host: '::1', port: 3000 });
    expect(() => parseListen('127.0.0.1:99999')).toThrow(ListenError);
    expect(originOf('::1', 5)).toBe('http://[::1]:5');
  });

  it('needs --allow-remote for a non-loopback address, and warns when given', () => {
    expect(isLoopback('127.0.0.2')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(checkListenHost('127.0.0.1', false)).toBeUndefined();
    expect(() => checkListenHost('0.0.0.0', false)).toThrow(/--allow-remote/);
    expect(checkListenHost('0.0.0.0', true)).toMatch(/WARNING/);
  });

  it('accepts only our own Host header on loopback (DNS rebinding)', () => {
    expect(hostAllowed('127.0.0.1:4000', 4000)).toBe(true);
    expect(hostAllowed('LOCALHOST:4000', 4000)).toBe(true);
    expect(hostAllowed('evil.example:4000', 4000)).toBe(false);
    expect(hostAllowed('127.0.0.1:4001', 4000)).toBe(false);
    expect(hostAllowed(undefined, 4000)).toBe(false);
  });
});

describe('RequestRouter (bridge)', () => {
  it('routes progress by token, others to the single request in flight, responses by id', () => {
    const r = new RequestRouter();
    r.fromClient({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { _meta: { progressToken: 'p1' } },
    });
    expect(
      r.fromServer({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'p1', progress: 1 },
      }),
    ).toBe(1);
    expect(
      r.fromServer({ jsonrpc: '2.0', id: 0, method: 'sampling/createMessage', params: {} }),
    ).toBe(1);
    r.fromClient({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    // Two in flight: an unrelated message cannot be attributed.
    expect(
      r.fromServer({ jsonrpc: '2.0', method: 'notifications/message', params: {} }),
    ).toBeUndefined();
    expect(
      r.fromServer({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'p1' },
      }),
    ).toBe(1);
    expect(r.fromServer({ jsonrpc: '2.0', id: 1, result: {} })).toBeUndefined();
    expect(
      r.fromServer({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'p1' },
      }),
    ).toBe(2);
    expect(r.fromServer('garbage')).toBeUndefined();
  });
});

describe('body capture', () => {
  it('keeps the head of an oversized body and its real size', () => {
    const b = new BodyCollector(4);
    b.push(Buffer.from('{"a"'));
    b.push(Buffer.from(':1}'));
    expect(b.payload()).toEqual({ text: '{"a"', truncated: 7 });
    expect(new BodyCollector().payload()).toBeUndefined();
    const bin = new BodyCollector();
    bin.push(Buffer.from([0xff, 0xfe]));
    expect(bin.payload()).toEqual({ b64: '//4=' });
  });

  it('records a gzip body decoded, in order, split anywhere', async () => {
    const zipped = gzipSync(Buffer.from('{"jsonrpc":"2.0","id":1,"result":{}}'));
    const got: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const tap = new DecodedTap('gzip', (c) => got.push(c), resolve, reject);
      for (let i = 0; i < zipped.length; i += 5) tap.push(zipped.subarray(i, i + 5));
      tap.end();
    });
    expect(Buffer.concat(got).toString()).toBe('{"jsonrpc":"2.0","id":1,"result":{}}');
  });

  it('reports a corrupt compressed body instead of throwing', async () => {
    const err = await new Promise<Error>((resolve) => {
      const tap = new DecodedTap(
        'gzip',
        () => undefined,
        () => undefined,
        resolve,
      );
      tap.push(Buffer.from('not gzip at all'));
      tap.end();
    });
    expect(err.message).toMatch(/header|check/i);
  });
});

describe('RecordQueue', () => {
  it('runs tasks in order at the end of the turn, and survives a throwing task', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const q = new RecordQueue({ onError: (e) => errors.push(e.message) });
    q.later(() => seen.push('record 1'));
    q.later(() => {
      throw new Error('boom');
    });
    q.later(() => {
      seen.push('record 2');
      q.later(() => seen.push('queued by a task'));
    });
    expect(seen).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['record 1', 'record 2', 'queued by a task']);
    expect(errors).toEqual(['boom']);
  });

  it('waits up to its delay and wraps each run (one write per batch), or runs at once when many pile up', async () => {
    const runs: number[] = [];
    let n = 0;
    const q = new RecordQueue({
      delayMs: 30,
      maxQueued: 5,
      around: (work) => {
        const before = n;
        work();
        runs.push(n - before);
      },
    });
    for (let i = 0; i < 3; i++) q.later(() => n++);
    await new Promise((r) => setImmediate(r));
    expect(n).toBe(0); // still within the delay
    // Wait for the delayed run itself (bounded), not for a fixed time.
    for (const end = Date.now() + 5000; n < 3 && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 5));
    expect(n).toBe(3);
    expect(runs).toEqual([3]); // the three tasks ran inside one wrapped run
    for (let i = 0; i < 5; i++) q.later(() => n++);
    await new Promise((r) => setImmediate(r));
    expect(n).toBe(8); // the fifth item made it run at the end of the turn, not after 30 ms
    q.later(() => n++);
    q.drain();
    expect(n).toBe(9);
  });
});
