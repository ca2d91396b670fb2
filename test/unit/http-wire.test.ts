// The recorder's passive HTTP/1.1 parser (record/http/wire.ts): requests, the close flag and
// responses. Refused input: http-wire-errors.test.ts; chunk writing and properties:
// http-wire-properties.test.ts.
import { describe, expect, it } from 'vitest';
import { WireParser } from '../../electron/engine/record/http/wire.js';
import { b, feed, request, response, heads, bodies, types, errorOf } from './http-wire-helpers.js';

describe('WireParser: requests', () => {
  it('frames a request with Content-Length and decodes its body', () => {
    const input = 'POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello';
    const { p, r } = request([input]);
    expect(types(r)).toEqual(['head', 'done']);
    const h = heads(r)[0]!;
    expect(h).toMatchObject({
      startLine: 'POST /mcp HTTP/1.1',
      method: 'POST',
      target: '/mcp',
      version: 'HTTP/1.1',
      status: 0,
      reason: '',
      rawHeaders: ['Host', 'x', 'Content-Length', '5'],
      framing: 'length',
      length: 5,
      close: false,
      interim: false,
    });
    expect(h.raw.toString('latin1')).toBe(
      'POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n',
    );
    expect(bodies(r)).toEqual(['hello']);
    expect(r.wire.toString('latin1')).toBe(input);
    expect(p.idle).toBe(true);
    expect(p.busy).toBe(false);
    expect(p.finish()).toBe('idle');
  });

  it('reports head, body and done steps with exact offsets', () => {
    const chunk = b('POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET');
    const p = new WireParser('request');
    const s1 = p.step(chunk, 0);
    expect(s1.type).toBe('head');
    const headLen = 'POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n'.length;
    expect(s1).toMatchObject({ next: headLen });
    const s2 = p.step(chunk, headLen);
    expect(s2).toEqual({ type: 'body', start: headLen, next: headLen + 3, data: [b('abc')] });
    expect(p.busy).toBe(true);
    expect(p.step(chunk, headLen + 3)).toEqual({ type: 'done', next: headLen + 3 });
    expect(p.idle).toBe(true);
    // The start of the next request is held until its head is complete.
    expect(p.step(chunk, headLen + 3)).toEqual({ type: 'need' });
    expect(p.idle).toBe(false);
    expect(p.busy).toBe(true);
    expect(p.finish()).toBe('incomplete');
  });

  it('decodes a chunked body with chunk extensions and trailers', () => {
    const body =
      '5;name=value\r\nhello\r\n6;a=1;b="x y"\r\n world\r\nA\r\n0123456789\r\n0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n';
    const input = `POST /upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${body}`;
    const { p, r } = request([input]);
    expect(types(r)).toEqual(['head', 'done']);
    expect(heads(r)[0]).toMatchObject({ framing: 'chunked', length: 0 });
    expect(bodies(r)).toEqual(['hello world0123456789']);
    expect(r.wire.toString('latin1')).toBe(input);
    expect(p.idle).toBe(true);
  });

  it('accepts Transfer-Encoding lists ending in chunked, across several header lines', () => {
    const input =
      'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\ntransfer-encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    const { r } = request([input]);
    expect(heads(r)[0]?.framing).toBe('chunked');
    expect(bodies(r)).toEqual(['abc']);
  });

  it('frames a request without a body (GET) as complete at the end of its head', () => {
    const input = 'GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n';
    const { p, r } = request([input]);
    expect(types(r)).toEqual(['head', 'done']);
    expect(heads(r)[0]).toMatchObject({ method: 'GET', target: '/sse', framing: 'none' });
    expect(bodies(r)).toEqual(['']);
    expect(r.wire.toString('latin1')).toBe(input);
    expect(p.finish()).toBe('idle');
  });

  it('treats Content-Length: 0 as an empty body that is complete at once', () => {
    const { r } = request(['POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n']);
    expect(types(r)).toEqual(['head', 'done']);
    expect(heads(r)[0]).toMatchObject({ framing: 'length', length: 0 });
  });

  it("refuses a repeated identical Content-Length, as Node's parser does", () => {
    for (const h of ['Content-Length: 3, 3\r\n', 'Content-Length: 3\r\nContent-Length: 3\r\n']) {
      const { r } = request([`POST / HTTP/1.1\r\n${h}\r\nabc`]);
      expect(types(r)).toEqual(['error']);
    }
  });

  it('separates two pipelined requests received in one chunk', () => {
    const input =
      'POST /a HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcdPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\nGET /c HTTP/1.1\r\n\r\n';
    const { p, r } = request([input]);
    expect(types(r)).toEqual(['head', 'done', 'head', 'done', 'head', 'done']);
    expect(heads(r).map((h) => h.target)).toEqual(['/a', '/b', '/c']);
    expect(bodies(r)).toEqual(['abcd', 'xy', '']);
    expect(r.wire.toString('latin1')).toBe(input);
    expect(p.idle).toBe(true);
  });

  it('ignores empty lines before a request line', () => {
    const { r } = request([
      '\r\n\r\nGET / HTTP/1.1\r\n\r\n',
      '\r\n',
      '\n',
      'GET /2 HTTP/1.1\r\n\r\n',
    ]);
    expect(types(r)).toEqual(['head', 'done', 'head', 'done']);
    expect(heads(r).map((h) => h.startLine)).toEqual(['GET / HTTP/1.1', 'GET /2 HTTP/1.1']);
    // The skipped line ends are not part of any head.
    expect(heads(r)[0]?.raw.toString('latin1')).toBe('GET / HTTP/1.1\r\n\r\n');
  });

  it('stays idle after a stray CRLF following a body', () => {
    const { p } = request(['POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx\r\n']);
    expect(p.idle).toBe(true);
    expect(p.finish()).toBe('idle');
  });

  it('keeps a head split over several chunks and reports it whole, with the next offset in the last chunk', () => {
    const p = new WireParser('request');
    expect(p.step(b('GET /lo'), 0)).toEqual({ type: 'need' });
    expect(p.busy).toBe(true);
    expect(p.step(b('ng HTTP/1.1\r\nHost: h\r'), 0)).toEqual({ type: 'need' });
    const last = b('\n\r\nPOST');
    const s = p.step(last, 0);
    expect(s.type).toBe('head');
    if (s.type !== 'head') return;
    expect(s.next).toBe(3);
    expect(s.head.raw.toString('latin1')).toBe('GET /long HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(s.head.rawHeaders).toEqual(['Host', 'h']);
  });

  it('keeps header values as received without surrounding whitespace', () => {
    const { r } = request(['GET / HTTP/1.1\r\nX-A:   spaced  value \t\r\nX-Empty:\r\n\r\n']);
    expect(heads(r)[0]?.rawHeaders).toEqual(['X-A', 'spaced  value', 'X-Empty', '']);
  });
});

describe('WireParser: the close flag', () => {
  it('is set by Connection: close (among other tokens)', () => {
    const { r } = request(['GET / HTTP/1.1\r\nConnection: Upgrade, Close\r\n\r\n']);
    expect(heads(r)[0]?.close).toBe(true);
  });

  it('is not set on an HTTP/1.1 request by default', () => {
    const { r } = request(['GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n']);
    expect(heads(r)[0]?.close).toBe(false);
  });

  it('is set on HTTP/1.0 without keep-alive', () => {
    const { r } = request(['GET / HTTP/1.0\r\n\r\n']);
    expect(heads(r)[0]).toMatchObject({ version: 'HTTP/1.0', close: true });
  });

  it('is not set on HTTP/1.0 with Connection: keep-alive', () => {
    const { r } = request(['GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n']);
    expect(heads(r)[0]).toMatchObject({ version: 'HTTP/1.0', close: false });
  });

  it('is set on an HTTP/1.0 response without keep-alive, not with it', () => {
    const a = response(['GET'], ['HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx']);
    expect(heads(a.r)[0]).toMatchObject({ framing: 'length', close: true });
    const k = response(
      ['GET'],
      ['HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx'],
    );
    expect(heads(k.r)[0]).toMatchObject({ framing: 'length', close: false });
  });

  it('is set on a response whose body is delimited by the close', () => {
    const { r } = response(['GET'], ['HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\nabc']);
    expect(heads(r)[0]).toMatchObject({ framing: 'close', close: true });
  });
});

describe('WireParser: responses', () => {
  it('frames a response with Content-Length', () => {
    const input =
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}';
    const { p, r } = response(['POST'], [input]);
    expect(types(r)).toEqual(['head', 'done']);
    expect(heads(r)[0]).toMatchObject({
      startLine: 'HTTP/1.1 200 OK',
      method: '',
      target: '',
      status: 200,
      reason: 'OK',
      version: 'HTTP/1.1',
      framing: 'length',
      length: 2,
      close: false,
      interim: false,
    });
    expect(bodies(r)).toEqual(['{}']);
    expect(r.wire.toString('latin1')).toBe(input);
    expect(p.finish()).toBe('idle');
  });

  it('parses a status line without a reason phrase, or with spaces in it', () => {
    const { r } = response(
      ['GET', 'GET'],
      [
        'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\nHTTP/1.1 404 Not  Found here\r\nContent-Length: 0\r\n\r\n',
      ],
    );
    expect(heads(r).map((h) => [h.status, h.reason])).toEqual([
      [200, ''],
      [404, 'Not  Found here'],
    ]);
  });

  it('frames a chunked response', () => {
    const input =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1;x\r\nd\r\n0\r\nTrailer: t\r\n\r\n';
    const { r } = response(['GET'], [input]);
    expect(types(r)).toEqual(['head', 'done']);
    expect(heads(r)[0]?.framing).toBe('chunked');
    expect(bodies(r)).toEqual(['abcd']);
    expect(r.wire.toString('latin1')).toBe(input);
  });

  it('lets a chunked Transfer-Encoding win over Content-Length on a response', () => {
    const { r } = response(
      ['GET'],
      [
        'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      ],
    );
    expect(types(r)).toEqual(['head', 'done']);
    expect(bodies(r)).toEqual(['ok']);
  });

  it('delimits a response without a length by the close of the connection', () => {
    const { p, r } = response(
      ['GET'],
      ['HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: 1\n\n', 'data: 2\n\n'],
    );
    expect(types(r)).toEqual(['head']);
    expect(heads(r)[0]).toMatchObject({ framing: 'close', close: true });
    expect(bodies(r)).toEqual(['data: 1\n\ndata: 2\n\n']);
    expect(r.messages[0]?.done).toBe(false);
    expect(p.busy).toBe(true);
    expect(p.idle).toBe(false);
    expect(p.finish()).toBe('complete');
    // Even what looks like another response is part of the body.
    feed(p, [b('HTTP/1.1 200 OK\r\n\r\n')], undefined, r);
    expect(types(r)).toEqual(['head']);
    expect(r.bodySteps).toBe(3);
    expect(bodies(r)).toEqual(['data: 1\n\ndata: 2\n\nHTTP/1.1 200 OK\r\n\r\n']);
  });

  it('treats a Transfer-Encoding not ending in chunked on a response as close-delimited', () => {
    const { p, r } = response(
      ['GET'],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 3\r\n\r\nabcdef'],
    );
    expect(types(r)).toEqual(['head']);
    expect(heads(r)[0]).toMatchObject({ framing: 'close', close: true });
    expect(bodies(r)).toEqual(['abcdef']);
    expect(p.finish()).toBe('complete');
  });

  it('gives a response to HEAD no body even with a Content-Length', () => {
    const input =
      'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    const { p, r } = response(['HEAD', 'GET'], [input]);
    expect(types(r)).toEqual(['head', 'done', 'head', 'done']);
    expect(heads(r).map((h) => h.framing)).toEqual(['none', 'length']);
    expect(bodies(r)).toEqual(['', 'ok']);
    expect(r.wire.toString('latin1')).toBe(input);
    expect(p.idle).toBe(true);
  });

  it('gives a chunked response to HEAD no body', () => {
    const { r } = response(
      ['HEAD', 'GET'],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'],
    );
    expect(types(r)).toEqual(['head', 'done', 'head', 'done']);
    expect(heads(r).map((h) => h.status)).toEqual([200, 204]);
  });

  it.each([204, 304])('gives a %i response no body', (status) => {
    const input = `HTTP/1.1 ${status} X\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz`;
    const { r } = response(['GET', 'GET'], [input]);
    expect(types(r)).toEqual(['head', 'done', 'head', 'done']);
    expect(heads(r).map((h) => [h.status, h.framing])).toEqual([
      [status, 'none'],
      [200, 'length'],
    ]);
    expect(bodies(r)).toEqual(['', 'z']);
  });

  it('reads a 100 Continue as interim: no done, and the final response still answers the same request', () => {
    const input =
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n';
    // The second request is a HEAD: if the interim responses had used up the first request's
    // method, the 200 with Content-Length: 2 would be taken as bodiless.
    const { r } = response(['POST', 'HEAD'], [input]);
    expect(types(r)).toEqual(['head', 'head', 'head', 'done', 'head', 'done']);
    expect(heads(r).map((h) => [h.status, h.interim, h.framing])).toEqual([
      [100, true, 'none'],
      [102, true, 'none'],
      [200, false, 'length'],
      [200, false, 'none'],
    ]);
    expect(bodies(r)).toEqual(['', '', 'hi', '']);
    expect(r.wire.toString('latin1')).toBe(input);
  });

  it('switches to a tunnel on 101: later bytes are body steps without payload', () => {
    const { p, r } = response(
      ['GET'],
      [
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello',
        '\x88\x00',
      ],
    );
    expect(types(r)).toEqual(['head']);
    expect(heads(r)[0]).toMatchObject({ status: 101, framing: 'tunnel', interim: false });
    expect(r.bodySteps).toBe(2);
    expect(bodies(r)).toEqual(['']);
    expect(r.wire.toString('latin1')).toBe(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello\x88\x00',
    );
    expect(p.busy).toBe(true);
    expect(p.finish()).toBe('complete');
  });

  it('switches to a tunnel on a 2xx response to CONNECT, not on a refusal', () => {
    const ok = response(['CONNECT'], ['HTTP/1.1 200 Connection Established\r\n\r\nopaque']);
    expect(heads(ok.r)[0]?.framing).toBe('tunnel');
    expect(ok.r.bodySteps).toBe(1);
    expect(bodies(ok.r)).toEqual(['']);
    const no = response(['CONNECT'], ['HTTP/1.1 407 Proxy Auth\r\nContent-Length: 2\r\n\r\nno']);
    expect(types(no.r)).toEqual(['head', 'done']);
    expect(bodies(no.r)).toEqual(['no']);
  });

  it('turns the request side into a tunnel when told to', () => {
    const p = new WireParser('request');
    const r = feed(p, [b('GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n')]);
    expect(types(r)).toEqual(['head', 'done']);
    p.tunnel();
    expect(p.finish()).toBe('complete');
    const more = feed(p, [b('GET / HTTP/1.1\r\n\r\n'), b('\x00\x01')]);
    expect(types(more)).toEqual([]);
    expect(more.bodySteps).toBe(2);
    expect(more.wire.toString('latin1')).toBe('GET / HTTP/1.1\r\n\r\n\x00\x01');
  });

  it('assumes GET when no method was expected', () => {
    const { r } = response([], ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nq']);
    expect(types(r)).toEqual(['head', 'done']);
    expect(bodies(r)).toEqual(['q']);
  });

  it('does not skip empty lines before a status line', () => {
    const { r } = response(['GET'], ['\r\nHTTP/1.1 200 OK\r\n\r\n']);
    expect(errorOf(r)).toMatch(/status line/);
  });
});
