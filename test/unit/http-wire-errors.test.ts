// The recorder's passive HTTP/1.1 parser (record/http/wire.ts): refused input, and its state
// between and inside messages (finish, idle, chunk boundaries).
import { describe, expect, it } from 'vitest';
import { WireParser } from '../../electron/engine/record/http/wire.js';
import {
  b,
  feed,
  request,
  response,
  heads,
  bodies,
  types,
  errorOf,
  bytewise,
  expectFailed,
} from './http-wire-helpers.js';

describe('WireParser: refused input', () => {
  const refused: [string, string, RegExp][] = [
    [
      'both Transfer-Encoding and Content-Length',
      'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n',
      /both Transfer-Encoding and Content-Length/,
    ],
    [
      'two different Content-Length values in two headers',
      'POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd',
      /two different Content-Length/,
    ],
    [
      'two different Content-Length values in one header',
      'POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\nabcd',
      /two different Content-Length/,
    ],
    [
      'a non-numeric Content-Length',
      'POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n',
      /Content-Length "1x" is not a number/,
    ],
    ['a negative Content-Length', 'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', /not a number/],
    ['an empty Content-Length', 'POST / HTTP/1.1\r\nContent-Length:\r\n\r\n', /not a number/],
    [
      'a Transfer-Encoding on a request not ending in chunked',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
      /does not end in chunked/,
    ],
    ['an obs-fold header line', 'GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n', /folded/],
    ['an obs-fold with a tab', 'GET / HTTP/1.1\r\nX-A: one\r\n\ttwo\r\n\r\n', /folded/],
    [
      'a space before the colon',
      'GET / HTTP/1.1\r\nHost : x\r\n\r\n',
      /header line "Host : x" is malformed/,
    ],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost\r\n\r\n', /malformed/],
    ['an empty header name', 'GET / HTTP/1.1\r\n: x\r\n\r\n', /malformed/],
    ['a bare LF inside a header value', 'GET / HTTP/1.1\r\nX-A: a\nb\r\n\r\n', /control character/],
    ['a NUL inside a header value', 'GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n', /control character/],
    [
      'a request line with two spaces',
      'GET  / HTTP/1.1\r\n\r\n',
      /request line "GET {2}\/ HTTP\/1.1" is not HTTP\/1.x/,
    ],
    ['a request line of HTTP/2', 'GET / HTTP/2.0\r\n\r\n', /request line/],
    ['a request line without a version', 'GET /\r\n\r\n', /request line/],
    ['a request line with a bad method', 'G(T / HTTP/1.1\r\n\r\n', /request line/],
  ];

  it.each(refused)('refuses a request with %s', (_name, input, message) => {
    const { p, r } = request([input]);
    expect(types(r).at(-1)).toBe('error');
    expect(r.messages).toEqual([]);
    const m = errorOf(r);
    expect(m).toMatch(message);
    expectFailed(p, m);
  });

  it.each([
    [
      'a bad status line',
      'HTTP/1.1 20 OK\r\n\r\n',
      /status line "HTTP\/1.1 20 OK" is not HTTP\/1.x/,
    ],
    ['a status line of another protocol', 'ICY 200 OK\r\n\r\n', /status line/],
    [
      'two Content-Length values',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      /two different Content-Length/,
    ],
    ['a folded header', 'HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n', /folded/],
  ])('refuses a response with %s', (_name, input, message) => {
    const { p, r } = response(['GET'], [input]);
    const m = errorOf(r);
    expect(m).toMatch(message);
    expect(r.messages).toEqual([]);
    expectFailed(p, m);
  });

  it('refuses a head larger than maxHead, whole in one chunk', () => {
    const head = `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(100)}\r\n\r\n`;
    const { p, r } = request([head], { maxHead: 64 });
    const m = errorOf(r);
    expect(m).toBe('the request head is larger than 64 bytes');
    expectFailed(p, m);
  });

  it('refuses a head larger than maxHead before its end arrives', () => {
    const p = new WireParser('request', { maxHead: 64 });
    const r = feed(p, [b('GET / HTTP/1.1\r\nX-Big: '), b('a'.repeat(30)), b('a'.repeat(30))]);
    const m = errorOf(r);
    expect(m).toBe('the request head is larger than 64 bytes');
    expectFailed(p, m);
  });

  it('accepts a head of exactly maxHead bytes, split or whole', () => {
    const head = `GET / HTTP/1.1\r\nX: ${'a'.repeat(10)}\r\n\r\n`;
    const whole = request([head], { maxHead: head.length });
    expect(types(whole.r)).toEqual(['head', 'done']);
    const split = request(bytewise(b(head)), { maxHead: head.length });
    expect(types(split.r)).toEqual(['head', 'done']);
    const over = request([head], { maxHead: head.length - 1 });
    expect(errorOf(over.r)).toBe(`the request head is larger than ${head.length - 1} bytes`);
  });

  it('names the response side in the maxHead error', () => {
    const p = new WireParser('response', { maxHead: 20 });
    const r = feed(p, [b('HTTP/1.1 200 OK\r\nServer: something long\r\n\r\n')]);
    expect(errorOf(r)).toBe('the response head is larger than 20 bytes');
  });

  it.each([
    ['a non-hex chunk size', 'zz\r\n'],
    ['an empty chunk size', '\r\nabc\r\n'],
    ['a negative chunk size', '-1\r\n'],
    ['a chunk size with leading whitespace', ' 5\r\nhello\r\n0\r\n\r\n'],
    ['a chunk size of 13 hex digits', '1000000000000\r\n'],
    ['garbage after the chunk size', '5x\r\nhello\r\n0\r\n\r\n'],
  ])('refuses %s', (_name, body) => {
    const { p, r } = request([`POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${body}`]);
    const m = errorOf(r);
    expect(m).toMatch(/^bad chunk size .*\(chunked encoding is malformed\)$/);
    expect(r.messages[0]?.done).toBe(false);
    expectFailed(p, m);
  });

  it.each([
    ['data followed by other bytes', '3\r\nabcX\r\n0\r\n\r\n'],
    ['data longer than its size', '3\r\nabcd\r\n0\r\n\r\n'],
    ['data followed by a bare LF', '3\r\nabc\n0\r\n\r\n'],
    ['data followed by CR and something else', '3\r\nabc\rX0\r\n\r\n'],
  ])('refuses chunk %s', (_name, body) => {
    const { p, r } = request([`POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${body}`]);
    const m = errorOf(r);
    expect(m).toMatch(/not followed by CRLF/);
    expectFailed(p, m);
  });

  it('refuses a missing CRLF after chunk data even when split byte by byte', () => {
    const { p, r } = request(
      bytewise(b('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\rX')),
    );
    expect(errorOf(r)).toMatch(/not followed by CRLF/);
    expect(bodies(r)).toEqual(['abc']);
    expectFailed(p, errorOf(r));
  });

  it('refuses an overlong chunk-size line and an overlong trailer line', () => {
    const big = request([
      `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;${'x'.repeat(9000)}`,
    ]);
    expect(errorOf(big.r)).toMatch(/chunk-size line is too long/);
    const trailer = request([
      `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: ${'y'.repeat(9000)}`,
    ]);
    expect(errorOf(trailer.r)).toMatch(/trailer line is too long/);
  });

  it('refuses after a good message, keeping what came before', () => {
    const { p, r } = request(['GET /ok HTTP/1.1\r\n\r\nGET bad\r\n\r\n']);
    expect(types(r)).toEqual(['head', 'done', 'error']);
    expect(heads(r)[0]?.target).toBe('/ok');
    expectFailed(p, errorOf(r));
    p.tunnel();
    expect(p.step(b('x'), 0).type).toBe('error');
  });
});

describe('WireParser: finish, idle, busy and chunk boundaries', () => {
  it('finish() is idle on a fresh parser and between messages', () => {
    const p = new WireParser('request');
    expect(p.idle).toBe(true);
    expect(p.busy).toBe(false);
    expect(p.finish()).toBe('idle');
    feed(p, [b('POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab')]);
    expect(p.finish()).toBe('idle');
  });

  it('finish() is incomplete inside a head, a length body or a chunked body', () => {
    expect(request(['GET / HTTP/1.1\r\nHost:']).p.finish()).toBe('incomplete');
    const len = request(['POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc']);
    expect(len.p.busy).toBe(true);
    expect(len.p.finish()).toBe('incomplete');
    const ch = request(['POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n']);
    expect(ch.p.finish()).toBe('incomplete');
    const trailers = request([
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n',
    ]);
    expect(trailers.p.finish()).toBe('incomplete');
  });

  it('a message whose body just ended is not idle until its done step is taken', () => {
    const p = new WireParser('request');
    const chunk = b('POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx');
    const h = p.step(chunk, 0);
    expect(h.type).toBe('head');
    const body = p.step(chunk, h.type === 'head' ? h.next : 0);
    expect(body).toMatchObject({ type: 'body', next: chunk.length });
    expect(p.idle).toBe(false);
    expect(p.busy).toBe(true);
    expect(p.step(chunk, chunk.length)).toEqual({ type: 'done', next: chunk.length });
    expect(p.idle).toBe(true);
  });

  it('atChunkBoundary is true between chunks and false inside one', () => {
    const p = new WireParser('request');
    const seen: boolean[] = [];
    const run = feed(p, []);
    const input = b(
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
    );
    const headLen = input.indexOf('\r\n\r\n') + 4;
    expect(p.atChunkBoundary).toBe(false);
    feed(p, [input.subarray(0, headLen)], undefined, run);
    seen.push(p.atChunkBoundary); // right after the head: before the first chunk
    for (let i = headLen; i < input.length; i++) {
      feed(p, [input.subarray(i, i + 1)], undefined, run);
      seen.push(p.atChunkBoundary);
    }
    // Positions after each byte of "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n".
    const body = '3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n';
    const boundaries = new Set([0, '3\r\nabc\r\n'.length, '3\r\nabc\r\n2\r\nde\r\n'.length]);
    expect(seen).toEqual([...Array(body.length + 1).keys()].map((i) => boundaries.has(i)));
    expect(p.idle).toBe(true);
    expect(bodies(run)).toEqual(['abcde']);
    expect(run.wire).toEqual(input);
  });

  it('atChunkBoundary is false outside chunked bodies', () => {
    const p = new WireParser('request');
    feed(p, [b('POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\na')]);
    expect(p.atChunkBoundary).toBe(false);
    expect(request([]).p.atChunkBoundary).toBe(false);
  });
});
