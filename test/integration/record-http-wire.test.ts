// The HTTP recorder at the wire level, HTTP/1.1 framing: byte transparency, pipelining, HEAD,
// interim responses, refused and malformed messages, connection reuse and tunnels. The harness
// (record-http-wire-harness.ts) scripts a raw TCP target and a raw TCP client.
import { afterEach, describe, expect, it } from 'vitest';
import {
  answerMarker,
  cleanupWire,
  client,
  capturePath,
  jsonResponse,
  MARKER_RES,
  markerAfter,
  markerRequest,
  notes,
  ofType,
  recorded,
  recorder,
  recs,
  scriptedTarget,
} from './record-http-wire-harness.js';
import { readRecords } from './record-http-harness.js';

afterEach(cleanupWire);

describe('HTTP recorder at the wire level: framing', () => {
  it('passes a POST and its chunked response byte for byte, rewriting only the Host value, and records both', async () => {
    const reqBody = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
    const resBody = '{"jsonrpc":"2.0","id":1,"result":{}}';
    const rest = resBody.slice(5);
    const response =
      'HTTP/1.1 200 OK\r\nconTent-TYPE:application/json\r\nX-Weird-CASE:   spaced   out  \r\nTransfer-Encoding:  chunked\r\n\r\n' +
      `5;ext=1\r\n${resBody.slice(0, 5)}\r\n${rest.length.toString(16).toUpperCase()}\r\n${rest}\r\n0\r\nX-Trailer: t\r\n\r\n`;
    let requestLength = 0;
    const target = await scriptedTarget(async (tap) => {
      await tap.bytes(requestLength);
      tap.sock.write(response);
      await answerMarker(tap);
    });
    const { rec, out, port } = await recorder(target, 'transparent');
    const head = (host: string): string =>
      `POST /mcp HTTP/1.1\r\nhOsT:${host}\r\nX-Odd-Case:  a   b \r\ncontent-type: application/json\r\nContent-Length: ${reqBody.length}\r\n\r\n`;
    const sent = head(`   127.0.0.1:${port}  `) + reqBody;
    const expected = head(` 127.0.0.1:${target.port}`) + reqBody;
    requestLength = expected.length;

    const c = await client(port);
    c.sock.write(sent);
    await c.bytes(response.length);
    await markerAfter(c, port, response); // nothing more followed the response
    expect(target.conns).toHaveLength(1);
    expect(target.conns[0]!.text).toBe(expected + markerRequest(target.port));
    expect(c.text.toLowerCase()).not.toContain('date:');
    expect(c.ended).toBe(false); // keep-alive

    await rec.close('test');
    const recs = readRecords(out);
    const req = ofType(recs, 'http', { dir: 'c2s' });
    expect(req.map((r) => r.path)).toEqual(['/mcp', '/marker']);
    expect(req[0]).toMatchObject({ method: 'POST', path: '/mcp' });
    expect(ofType(recs, 'frame', { dir: 'c2s' }).map((r) => r.text)).toEqual([reqBody]);
    const res = ofType(recs, 'http', { dir: 's2c' });
    expect(res).toHaveLength(2);
    expect(res[0]).toMatchObject({ status: 200, stream: req[0]!.stream });
    const frames = ofType(recs, 'frame', { dir: 's2c' });
    expect(frames.map((r) => r.text)).toEqual([resBody, '{"marker":true}']);
    expect(frames[0]).toMatchObject({ channel: 'http-response', stream: req[0]!.stream });
  });

  it('holds a pipelined second request until the first is answered, and answers both in order', async () => {
    const r1 = jsonResponse('{"jsonrpc":"2.0","id":1,"result":{"n":1}}');
    const r2 = jsonResponse('{"jsonrpc":"2.0","id":2,"result":{"n":2}}');
    let seenAtFirstAnswer = '';
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      // End marker instead of a sleep: the recorder has recorded /a, so it has handled the bytes
      // that came with /a in the client's one write (/b too); had it forwarded /b, the target
      // would hold it by now.
      await recorded(
        capturePath('pipelined'),
        (r) => r.type === 'http' && r.dir === 'c2s' && r.path === '/a',
        'the record of GET /a',
      );
      seenAtFirstAnswer = tap.text;
      tap.sock.write(r1);
      await tap.has('GET /b ');
      await tap.has('\r\n\r\n', tap.text.indexOf('GET /b '));
      tap.sock.write(r2);
    });
    const { rec, out, port } = await recorder(target, 'pipelined');
    const c = await client(port);
    const host = `Host: 127.0.0.1:${port}\r\n`;
    c.sock.write(
      `GET /a HTTP/1.1\r\n${host}Accept: application/json\r\n\r\nGET /b HTTP/1.1\r\n${host}Accept: application/json\r\n\r\n`,
    );
    await c.bytes(r1.length + r2.length);

    expect(seenAtFirstAnswer).toBe(
      `GET /a HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nAccept: application/json\r\n\r\n`,
    );
    expect(target.conns).toHaveLength(1);
    expect(target.conns[0]!.text).toBe(
      `${seenAtFirstAnswer}GET /b HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nAccept: application/json\r\n\r\n`,
    );
    expect(c.text).toBe(r1 + r2);

    await rec.close('test');
    const recs = readRecords(out);
    expect(ofType(recs, 'http', { dir: 'c2s' }).map((r) => r.path)).toEqual(['/a', '/b']);
    expect(ofType(recs, 'http', { dir: 's2c' }).map((r) => r.status)).toEqual([200, 200]);
    expect(ofType(recs, 'frame', { dir: 's2c' }).map((r) => r.text)).toEqual([
      '{"jsonrpc":"2.0","id":1,"result":{"n":1}}',
      '{"jsonrpc":"2.0","id":2,"result":{"n":2}}',
    ]);
  });

  it('knows a HEAD response has no body even with Content-Length, and the next GET arrives intact', async () => {
    const headRes =
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n';
    const getRes = jsonResponse('{"ok":true}');
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      tap.sock.write(headRes);
      await tap.has('GET /g ');
      await tap.has('\r\n\r\n', tap.text.indexOf('GET /g '));
      tap.sock.write(getRes);
      await answerMarker(tap);
    });
    const { rec, out, port } = await recorder(target, 'head');
    const c = await client(port);
    c.sock.write(`HEAD /h HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await c.bytes(headRes.length);
    expect(c.text).toBe(headRes);
    c.sock.write(`GET /g HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await c.bytes(headRes.length + getRes.length);
    await markerAfter(c, port, headRes + getRes); // no body bytes followed the HEAD response
    expect(target.conns).toHaveLength(1);

    await rec.close('test');
    const recs = readRecords(out);
    expect(ofType(recs, 'http', { dir: 'c2s' }).map((r) => r.method)).toEqual([
      'HEAD',
      'GET',
      'GET',
    ]);
    expect(ofType(recs, 'http', { dir: 's2c' }).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(ofType(recs, 'frame', { dir: 's2c' }).map((r) => r.text)).toEqual([
      '{"ok":true}',
      '{"marker":true}',
    ]);
  });

  it('passes an interim 100 Continue and then the final response, and notes the interim one', async () => {
    const body = '{"jsonrpc":"2.0","id":7,"method":"ping"}';
    const cont = 'HTTP/1.1 100 Continue\r\n\r\n';
    const final = jsonResponse('{"jsonrpc":"2.0","id":7,"result":{}}');
    let headLength = 0;
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      headLength = tap.buf.length;
      tap.sock.write(cont);
      await tap.bytes(headLength + body.length);
      tap.sock.write(final);
    });
    const { rec, out, port } = await recorder(target, 'continue');
    const c = await client(port);
    c.sock.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await c.bytes(cont.length);
    expect(c.text).toBe(cont);
    expect(headLength).toBeGreaterThan(0); // the head went on without its body
    c.sock.write(body);
    await c.bytes(cont.length + final.length);
    expect(c.text).toBe(cont + final);
    expect(target.conns[0]!.text.slice(headLength)).toBe(body);

    await rec.close('test');
    const recs = readRecords(out);
    expect(notes(recs).some((t) => t.includes('interim response 100'))).toBe(true);
    expect(ofType(recs, 'http', { dir: 's2c' }).map((r) => r.status)).toEqual([200]);
    expect(ofType(recs, 'frame', { dir: 'c2s' }).map((r) => r.text)).toEqual([body]);
  });

  it('refuses a request with both Transfer-Encoding and Content-Length with 400, sending nothing to the target', async () => {
    const target = await scriptedTarget(answerMarker);
    const { rec, out, port } = await recorder(target, 'smuggle');
    const c = await client(port);
    c.sock.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
    );
    await c.until((t) => t.ended, 'the connection to end');
    expect(c.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(c.text).toContain('Transfer-Encoding and Content-Length');
    // End marker: a request on a new connection, answered after the refusal was handled.
    await markerAfter(await client(port), port, '');
    expect(target.conns.map((t) => t.text)).toEqual([markerRequest(target.port)]);

    await rec.close('test');
    const errs = ofType(recs(out), 'error', { where: 'client' });
    expect(errs).toHaveLength(1);
    expect(String(errs[0]!.message)).toContain('malformed HTTP');
  });

  it('answers a malformed response to a GET with a 502 JSON-RPC error', async () => {
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      tap.sock.write('HTTP/1.1 2x OK\r\nContent-Length: 0\r\n\r\n');
    });
    const { rec, out, port } = await recorder(target, 'bad-response');
    const c = await client(port);
    c.sock.write(
      `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    await c.until((t) => t.ended, 'the connection to end');
    expect(c.text).toMatch(/^HTTP\/1\.1 502 /);
    expect(c.text).not.toContain('HTTP/1.1 2x OK\r\n'); // the target's bytes never reach the client
    const body = c.text.slice(c.text.indexOf('\r\n\r\n') + 4);
    const parsed = JSON.parse(body) as { jsonrpc: string; error: { message: string } };
    expect(parsed.jsonrpc).toBe('2.0');
    expect(parsed.error.message).toContain('malformed HTTP');

    await rec.close('test');
    const all = recs(out);
    expect(ofType(all, 'error', { where: 'upstream', code: 'EPROTO' })).toHaveLength(1);
    expect(ofType(all, 'http', { dir: 's2c' }).map((r) => r.status)).toEqual([502]);
  });

  it('closes the client connection after a response that says Connection: close', async () => {
    const response = jsonResponse('{"bye":1}', 'Connection: close\r\n');
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      tap.sock.write(response); // and keeps its end open: the proxy must close anyway
    });
    const { rec, port } = await recorder(target, 'conn-close');
    const c = await client(port);
    c.sock.write(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await c.until((t) => t.ended || t.closed, 'the connection to end');
    expect(c.text).toBe(response);
    await target.conns[0]!.until((t) => t.closed, 'the target connection to close');
    await rec.close('test');
  });

  it('opens a new target connection when the target closed an idle keep-alive one', async () => {
    const target = await scriptedTarget(async (tap, i) => {
      await tap.has('\r\n\r\n');
      if (tap.text.startsWith('GET /marker ')) tap.sock.write(MARKER_RES);
      else tap.sock.end(jsonResponse(`{"conn":${i}}`));
    });
    const { rec, out, port } = await recorder(target, 'idle-close');
    const c = await client(port);
    c.sock.write(`GET /one HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const first = jsonResponse('{"conn":0}');
    await c.bytes(first.length);
    await target.conns[0]!.until((t) => t.closed, 'the first target connection to close');
    // End marker: a round trip on another connection, after the proxy saw the target close.
    await markerAfter(await client(port), port, '');
    expect(c.ended || c.closed).toBe(false);
    c.sock.write(`GET /two HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const second = jsonResponse('{"conn":2}');
    await c.bytes(first.length + second.length);
    expect(c.text).toBe(first + second);
    expect(target.conns).toHaveLength(3);
    expect(target.conns[2]!.text).toContain('GET /two ');

    await rec.close('test');
    const all = recs(out);
    expect(ofType(all, 'http', { dir: 's2c' }).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(ofType(all, 'error')).toHaveLength(0);
  });

  it('turns into an opaque tunnel after 101 Switching Protocols', async () => {
    const switched =
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n';
    let headLength = 0;
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      headLength = tap.buf.length;
      tap.sock.write(switched);
      tap.sock.on('data', (c: Buffer) => tap.sock.write(c)); // echo what follows
    });
    const { rec, out, port } = await recorder(target, 'upgrade');
    const c = await client(port);
    c.sock.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n`,
    );
    await c.bytes(switched.length);
    expect(c.text).toBe(switched);
    // Bytes that are not HTTP, and bytes that look like it: neither may be parsed.
    const payload = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      Buffer.from(
        'GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n\r\n',
        'latin1',
      ),
    ]);
    c.sock.write(payload);
    await c.bytes(switched.length + payload.length);
    expect(c.buf.subarray(switched.length).equals(payload)).toBe(true);
    expect(target.conns[0]!.buf.subarray(headLength).equals(payload)).toBe(true);

    await rec.close('test');
    expect(notes(recs(out)).some((t) => t.includes('switched protocols'))).toBe(true);
  });
});
