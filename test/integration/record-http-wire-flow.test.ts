// The HTTP recorder at the wire level, streams and flow: a client leaving an SSE stream, shutdown
// between chunks, a bug of the proxy's own, back-pressure both ways, an early answer and a slow
// request head. The harness (record-http-wire-harness.ts) scripts a raw TCP target and client.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHttpRecorder } from '../../electron/engine/record/http/proxy.js';
import { WireParser } from '../../electron/engine/record/http/wire.js';
import {
  cleanupWire,
  client,
  delay,
  dir,
  jsonResponse,
  notes,
  ofType,
  recorder,
  recorders,
  recs,
  scriptedTarget,
} from './record-http-wire-harness.js';

afterEach(cleanupWire);

describe('HTTP recorder at the wire level: streams, failures and flow control', () => {
  it('treats a client FIN during an SSE response as the client leaving and closes the target side', async () => {
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      const ev =
        'data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}}\n\n';
      tap.sock.write(
        `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(ev).toString(16)}\r\n${ev}\r\n`,
      );
    });
    const { rec, out, port } = await recorder(target, 'half-close');
    const c = await client(port);
    c.sock.write(
      `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    await c.has('"data":"hi"}}\n\n');
    c.sock.end();
    await target.conns[0]!.until(
      (t) => t.closed,
      'the target connection to be closed by the proxy',
    );
    await c.until((t) => t.closed, 'the client connection to close');

    await rec.close('test');
    const all = recs(out);
    const left =
      notes(all).some((t) => t.includes('the client closed the SSE stream')) ||
      ofType(all, 'error', { where: 'client' }).length > 0;
    expect(left).toBe(true);
  });

  it('ends chunked SSE responses cleanly with 0 CRLF CRLF when shut down between chunks', async () => {
    const ev =
      'data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"tick"}}\n\n';
    const sseHead =
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
    const chunk = `${Buffer.byteLength(ev).toString(16)}\r\n${ev}\r\n`;
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      tap.sock.write(sseHead + chunk); // then holds the stream open
    });
    const { rec, out, port } = await recorder(target, 'shutdown');
    // A GET stream (its body re-chunked by the proxy) and a POST stream (passed byte for byte).
    const get = await client(port);
    get.sock.write(
      `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    const body = '{"jsonrpc":"2.0","id":3,"method":"tools/call"}';
    const post = await client(port);
    post.sock.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await get.has('"data":"tick"}}\n\n\r\n');
    await post.bytes(sseHead.length + chunk.length);
    expect(post.text).toBe(sseHead + chunk);

    await rec.close('test');
    await get.until((t) => t.ended, 'the GET stream to end');
    await post.until((t) => t.ended, 'the POST stream to end');
    expect(get.text.endsWith('\r\n0\r\n\r\n')).toBe(true);
    expect(post.text).toBe(`${sseHead}${chunk}0\r\n\r\n`);
    const all = recs(out);
    expect(notes(all).some((t) => t.startsWith('shutting down: closing 2'))).toBe(true);
    expect(
      ofType(all, 'frame', { dir: 's2c' }).filter((r) => String(r.text).includes('"tick"')),
    ).toHaveLength(2);
    expect(all.at(-1)).toMatchObject({ type: 'end', reason: 'test' });
  });
  it('survives a bug of its own on one connection: that connection is cut and recorded, the next is served', async () => {
    const body = '{"jsonrpc":"2.0","id":1,"result":{}}';
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      tap.sock.write(jsonResponse(body));
    });
    const out = join(dir, 'internal-error.mcpscope.jsonl');
    const logged: string[] = [];
    const rec = await startHttpRecorder({
      target: `http://127.0.0.1:${target.port}/mcp`,
      out,
      log: (l) => logged.push(l),
    });
    recorders.push(rec);
    const port = Number(new URL(rec.origin).port);
    // Stand-in for an unknown bug: the parser throws on the first request it sees.
    const step = vi.spyOn(WireParser.prototype, 'step').mockImplementationOnce(() => {
      throw new Error('injected fault');
    });
    try {
      const first = await client(port);
      first.sock.write(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      await first.until((t) => t.closed, 'the failed connection to close');
      expect(first.text).toBe('');
      const second = await client(port);
      second.sock.write(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      await second.has(body);
      expect(second.text).toBe(jsonResponse(body));
    } finally {
      step.mockRestore();
    }
    await rec.close('test');
    expect(logged.some((l) => l.includes('internal error') && l.includes('injected fault'))).toBe(
      true,
    );
    const all = recs(out);
    expect(
      ofType(all, 'error', { where: 'proxy', code: 'EINTERNAL' }).map((r) => r.message),
    ).toEqual(['mcpscope failed while forwarding this connection and closed it: injected fault']);
    expect(ofType(all, 'http', { dir: 's2c' }).map((r) => r.status)).toEqual([200]);
    expect(all.at(-1)).toMatchObject({ type: 'end', reason: 'test' });
  });

  it('passes a 32 MB request body to a target that reads slowly, and a 32 MB response to a client that reads slowly', async () => {
    const size = 32 * 1024 * 1024;
    const big = Buffer.alloc(size, 0x61);
    const head = (port: number): string =>
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nContent-Length: ${size}\r\n\r\n`;
    const resHead = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${size}\r\n\r\n`;
    let targetGot = 0;
    const target = await scriptedTarget(async (tap) => {
      // Read nothing for a while: the proxy must hold the client back, not buffer 32 MB or stall.
      tap.sock.pause();
      await delay(300);
      tap.sock.resume();
      await tap.until((t) => t.size >= size, 'the whole request body', 20_000);
      targetGot = tap.buf.length;
      tap.buf = Buffer.alloc(0);
      tap.sock.write(resHead);
      tap.sock.write(big);
    });
    const { rec, out, port } = await recorder(target, 'backpressure');
    const c = await client(port);
    c.sock.pause(); // the client too reads nothing at first
    c.sock.write(head(port));
    c.sock.write(big);
    await delay(600);
    c.sock.resume();
    await c.until((t) => t.size >= resHead.length + size, 'the whole response', 20_000);
    expect(targetGot).toBe(
      head(port).replace(`127.0.0.1:${port}`, `127.0.0.1:${target.port}`).length + size,
    );
    expect(c.buf.length).toBe(resHead.length + size);
    expect(c.buf.subarray(0, resHead.length).toString('latin1')).toBe(resHead);
    await rec.close('test');
    const all = recs(out);
    expect(ofType(all, 'frame', { dir: 'c2s' }).map((r) => String(r.text).length)).toEqual([size]);
    expect(ofType(all, 'frame', { dir: 's2c' }).map((r) => String(r.text).length)).toEqual([size]);
  }, 60_000);

  it('keeps passing a request body the target answered early (413), so the next request on the connection stays in step', async () => {
    const early = 'HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n';
    const ok = jsonResponse('{}');
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      tap.sock.write(early); // before the body has arrived
      await tap.has('GET /next');
      await tap.has('\r\n\r\n', tap.text.indexOf('GET /next'));
      tap.sock.write(ok);
    });
    const { rec, out, port } = await recorder(target, 'early-answer');
    const c = await client(port);
    const head = (p: number): string =>
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Length: 10\r\n\r\n`;
    const next = (p: number): string => `GET /next HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`;
    c.sock.write(`${head(port)}01234`);
    await c.has(early);
    c.sock.write('56789');
    await target.conns[0]!.has('0123456789'); // the rest of the body went on before the next request
    c.sock.write(next(port));
    await c.has(ok);
    expect(c.text).toBe(early + ok);
    expect(target.conns).toHaveLength(1);
    expect(target.conns[0]!.text).toBe(`${head(target.port)}0123456789${next(target.port)}`);
    await rec.close('test');
    const all = recs(out);
    expect(ofType(all, 'http', { dir: 's2c' }).map((r) => r.status)).toEqual([413, 200]);
    expect(ofType(all, 'frame', { dir: 'c2s' }).map((r) => r.text)).toEqual(['0123456789']);
  });

  it('answers 408 and closes when a client leaves a request head unfinished, and not when it finishes in time', async () => {
    const target = await scriptedTarget(async (tap) => {
      await tap.has('\r\n\r\n');
      tap.sock.write(jsonResponse('{}'));
    });
    const out = join(dir, 'head-timeout.mcpscope.jsonl');
    const rec = await startHttpRecorder({
      target: `http://127.0.0.1:${target.port}/mcp`,
      out,
      headTimeoutMs: 300,
      log: () => undefined,
    });
    recorders.push(rec);
    const port = Number(new URL(rec.origin).port);
    // In time: the head arrives in two parts 100 ms apart.
    const fine = await client(port);
    fine.sock.write(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    await delay(100);
    fine.sock.write('\r\n');
    await fine.has('{}');
    // Too slow: the rest never comes.
    const slow = await client(port);
    slow.sock.write(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    await slow.until((t) => t.closed || t.ended, 'the proxy to close the slow connection');
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.text).toContain('did not arrive within 300 ms');
    expect(target.conns).toHaveLength(1); // the slow request never reached the target
    await rec.close('test');
    const errs = ofType(recs(out), 'error', { where: 'client', code: 'ETIMEDOUT' });
    expect(errs).toHaveLength(1);
  });
});
