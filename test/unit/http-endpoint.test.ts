import { describe, expect, it } from 'vitest';
import { FirstEventRewriter, rewriteEndpoint } from '../../shared/http/endpoint.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (parts: Uint8Array[]): string => parts.map((p) => dec.decode(p)).join('');

describe('rewriteEndpoint', () => {
  const target = 'http://localhost:3001/sse';
  const proxy = 'http://127.0.0.1:4000';

  it('leaves a relative endpoint alone: it already resolves against the proxy', () => {
    expect(rewriteEndpoint('/message?sessionId=1', target, proxy)).toEqual({
      data: '/message?sessionId=1',
      rewritten: false,
      foreign: false,
    });
  });

  it('rewrites an absolute endpoint on the target origin to the proxy origin', () => {
    expect(rewriteEndpoint('http://localhost:3001/message?sessionId=1', target, proxy)).toEqual({
      data: 'http://127.0.0.1:4000/message?sessionId=1',
      rewritten: true,
      foreign: false,
    });
  });

  it('flags an absolute endpoint on another origin without touching it', () => {
    expect(rewriteEndpoint('https://elsewhere.example/m', target, proxy)).toEqual({
      data: 'https://elsewhere.example/m',
      rewritten: false,
      foreign: true,
    });
  });
});

describe('FirstEventRewriter', () => {
  const mk = (): FirstEventRewriter =>
    new FirstEventRewriter('http://localhost:3001/sse', 'http://127.0.0.1:4000');

  it('rewrites the endpoint event split over chunks and passes the rest untouched', () => {
    const r = mk();
    const stream =
      'event: endpoint\r\ndata: http://localhost:3001/message?s=1\r\n\r\ndata: {"jsonrpc":"2.0"}\r\n\r\n';
    const out: Uint8Array[] = [];
    let endpoint;
    for (const piece of [stream.slice(0, 10), stream.slice(10, 40), stream.slice(40)]) {
      const res = r.push(enc.encode(piece));
      out.push(...res.out);
      endpoint ??= res.endpoint;
    }
    expect(text(out)).toBe(
      'event: endpoint\r\ndata: http://127.0.0.1:4000/message?s=1\r\n\r\ndata: {"jsonrpc":"2.0"}\r\n\r\n',
    );
    expect(endpoint).toMatchObject({
      original: 'http://localhost:3001/message?s=1',
      rewritten: true,
    });
    // After the first event everything is passed through as the same chunk objects.
    const later = enc.encode('data: x\n\n');
    expect(r.push(later).out[0]).toBe(later);
  });

  it('holds nothing back beyond the first event and forwards a non-endpoint stream unchanged', () => {
    const r = mk();
    expect(r.push(enc.encode('data: {"a":1}')).out).toEqual([]);
    const res = r.push(enc.encode('\n\ndata: b\n'));
    expect(text(res.out)).toBe('data: {"a":1}\n\ndata: b\n');
    expect(res.endpoint).toBeUndefined();
  });

  it('waits when a chunk ends in CR, since LF may follow', () => {
    const r = mk();
    expect(r.push(enc.encode('event: endpoint\rdata: /m\r\r')).out).toEqual([]);
    expect(text(r.push(enc.encode('\n')).out)).toBe('event: endpoint\rdata: /m\r\r\n');
  });

  it('gives up holding after maxHold bytes and releases the held bytes on flush', () => {
    const r = new FirstEventRewriter('http://a/sse', 'http://b', 8);
    expect(text(r.push(enc.encode('data: 0123456789')).out)).toBe('data: 0123456789');
    const r2 = mk();
    r2.push(enc.encode('data: partial'));
    expect(text(r2.flush())).toBe('data: partial');
  });
});
