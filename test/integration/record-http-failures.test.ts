// Failures on either side of the HTTP recorder: each is recorded, the other side gets a real HTTP
// error (or a broken stream), and the proxy keeps serving. The target is a small node:http server.
import {
  request as httpRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';
import {
  freePort,
  readRecords,
  startRecorder,
  type Proc,
  type Rec,
} from './record-http-harness.js';

const dir = scratchDir('mcpscope-http-fail-');
const procs: Proc[] = [];
let target: Server;
let port = 0;
let streamClosed: () => void = () => undefined;
let streamClosedP: Promise<void>;
const BIG = `{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"${'y'.repeat(16 * 1024 * 1024)}"}}`;

function route(req: IncomingMessage, res: ServerResponse): void {
  const body: Buffer[] = [];
  req.on('data', (c: Buffer) => body.push(c));
  req.on('end', () => {
    const text = Buffer.concat(body).toString('utf8');
    switch (req.url) {
      case '/json':
        res.sendDate = false; // the proxy must not add one either
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Custom-Case': 'Kept' });
        res.end(
          `{"jsonrpc":"2.0",  "id":1, "result":{"authSeen":${JSON.stringify(req.headers.authorization === 'Bearer secret-xyz-123')}, "len":${text.length}}}`,
        );
        return;
      case '/text':
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad request: not JSON');
        return;
      case '/503':
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('overloaded');
        return;
      case '/hang':
        return; // never answers
      case '/reset-mid':
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(
          'data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"before reset"}}\n\n',
        );
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      case '/stream':
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(
          'id: ev1\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}}\n\n',
        );
        req.socket.on('close', () => streamClosed());
        return;
      case '/big': {
        // A 16 MB SSE event written in 64 KiB pieces.
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        const data = Buffer.from(`id: big\ndata: ${BIG}\n\n`);
        for (let i = 0; i < data.length; i += 65536) res.write(data.subarray(i, i + 65536));
        res.end();
        return;
      }
      case '/sse':
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(`event: endpoint\ndata: http://127.0.0.1:${port}/message?sessionId=abc\n\n`);
        return;
      default:
        res.writeHead(404).end();
    }
  });
}

beforeAll(async () => {
  target = createServer(route);
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const a = target.address();
  port = typeof a === 'object' && a ? a.port : 0;
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  target.closeAllConnections();
  await new Promise<void>((r) => target.close(() => r()));
});

const errorsOf = (recs: Rec[]): Rec[] => recs.filter((r) => r.type === 'error');

describe('HTTP recorder failure handling', () => {
  it('forwards bytes faithfully, masks secrets in the record only, and answers every failure with a real HTTP error', async () => {
    const out = join(dir, 'failures.mcpscope.jsonl');
    const rec = await startRecorder([
      '--target',
      `http://127.0.0.1:${port}/mcp`,
      '--timeout',
      '400',
      '--out',
      out,
    ]);
    procs.push(rec);
    const origin = new URL(rec.url).origin;

    // Faithful forwarding: exact body bytes and header case; the secret reaches the target untouched.
    const ok = await fetch(`${origin}/json`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret-xyz-123', 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(await ok.text()).toBe(
      '{"jsonrpc":"2.0",  "id":1, "result":{"authSeen":true, "len":40}}',
    );
    expect(ok.headers.get('x-custom-case')).toBe('Kept');
    expect(ok.headers.get('date')).toBeNull();

    // A body that is not JSON is forwarded and recorded as is.
    const bad = await fetch(`${origin}/text`, { method: 'POST', body: 'not json at all' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('bad request: not JSON');

    // 5xx from the target: passed on unchanged, recorded as an error.
    const over = await fetch(`${origin}/503`);
    expect(over.status).toBe(503);
    expect(await over.text()).toBe('overloaded');

    // No answer in time: 504 with an explanation.
    const hang = await fetch(`${origin}/hang`);
    expect(hang.status).toBe(504);
    expect(((await hang.json()) as { error: { message: string } }).error.message).toContain(
      '--timeout',
    );

    // The target resets mid-stream: the client gets the event sent before and then a broken stream.
    const mid = await fetch(`${origin}/reset-mid`);
    await expect(mid.text()).rejects.toThrow();

    // The client leaves an SSE stream: the upstream request is closed too.
    streamClosedP = new Promise((r) => (streamClosed = r));
    const ac = new AbortController();
    const stream = await fetch(`${origin}/stream`, { signal: ac.signal });
    const reader = stream.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"data":"hi"');
    ac.abort();
    await streamClosedP;

    // Legacy endpoint event with an absolute URL on the target: rewritten to the proxy.
    const legacy = await fetch(`${origin}/sse`);
    const lr = legacy.body!.getReader();
    const ev = new TextDecoder().decode((await lr.read()).value);
    expect(ev).toBe(`event: endpoint\ndata: ${origin}/message?sessionId=abc\n\n`);

    // A foreign Host header (DNS rebinding) is refused.
    const status = await new Promise<number>((resolve, reject) => {
      const r = httpRequest(
        {
          host: '127.0.0.1',
          port: Number(new URL(origin).port),
          path: '/json',
          headers: { host: 'evil.example' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      r.on('error', reject);
      r.end();
    });
    expect(status).toBe(403);

    // Still serving after all that; then a clean shutdown closes the open legacy stream.
    expect((await fetch(`${origin}/json`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect(await rec.stop('SIGTERM')).toBe(0);
    await expect(lr.read()).resolves.toMatchObject({ done: true });

    const recs = readRecords(out);
    const text = JSON.stringify(recs);
    expect(text).not.toContain('secret-xyz-123');
    expect(recs.find((r) => r.type === 'http' && r.path === '/json')!.headers).toMatchObject({
      authorization: 'Bearer [REDACTED]',
    });
    expect(
      recs.some((r) => r.type === 'frame' && r.dir === 'c2s' && r.text === 'not json at all'),
    ).toBe(true);
    expect(
      recs.some(
        (r) =>
          r.type === 'frame' &&
          r.dir === 's2c' &&
          r.channel === 'http-response' &&
          r.text === 'bad request: not JSON',
      ),
    ).toBe(true);
    const errs = errorsOf(recs);
    expect(errs.some((e) => e.code === 'HTTP_503')).toBe(true);
    expect(errs.some((e) => e.code === 'ETIMEDOUT' && e.where === 'upstream')).toBe(true);
    expect(errs.some((e) => String(e.message).includes('mid-stream'))).toBe(true);
    expect(recs.some((r) => r.type === 'frame' && String(r.text).includes('before reset'))).toBe(
      true,
    );
    expect(
      recs.some(
        (r) => r.type === 'note' && String(r.text).includes('the client closed the SSE stream'),
      ),
    ).toBe(true);
    expect(
      recs.some(
        (r) =>
          r.type === 'note' &&
          String(r.text).includes(`rewritten to ${origin}/message?sessionId=abc`),
      ),
    ).toBe(true);
    expect(
      recs.some((r) => r.type === 'note' && String(r.text).startsWith('shutting down: closing 1')),
    ).toBe(true);
    expect(recs.at(-1)).toMatchObject({ type: 'end', reason: 'stopped by SIGTERM' });
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('passes and records a 16 MB SSE event intact', async () => {
    const out = join(dir, 'big.mcpscope.jsonl');
    const rec = await startRecorder(['--target', `http://127.0.0.1:${port}/mcp`, '--out', out]);
    procs.push(rec);
    const res = await fetch(`${new URL(rec.url).origin}/big`);
    expect(await res.text()).toBe(`id: big\ndata: ${BIG}\n\n`);
    expect(await rec.stop('SIGINT')).toBe(0);
    const frame = readRecords(out).find((r) => r.type === 'frame' && r.eventId === 'big')!;
    expect(frame.text === BIG).toBe(true);
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('answers 502 when the target refuses connections, and keeps serving', async () => {
    const closed = await freePort();
    const out = join(dir, 'refused.mcpscope.jsonl');
    const rec = await startRecorder(['--target', `http://127.0.0.1:${closed}/mcp`, '--out', out]);
    procs.push(rec);
    for (let i = 0; i < 2; i++) {
      const r = await fetch(rec.url, {
        method: 'POST',
        body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      });
      expect(r.status).toBe(502);
      expect(((await r.json()) as { error: { message: string } }).error.message).toContain(
        'ECONNREFUSED',
      );
    }
    expect(await rec.stop('SIGINT')).toBe(0);
    const recs = readRecords(out);
    expect(errorsOf(recs).filter((e) => e.code === 'ECONNREFUSED')).toHaveLength(2);
    expect(recs.filter((r) => r.type === 'frame' && r.dir === 'c2s')).toHaveLength(2);
  });

  it('rejects bad arguments with exit 2 and a reason', async () => {
    const r1 = await runCli(['record', '--target', 'ftp://x/y']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('only http:// and https://');
    const r2 = await runCli([
      'record',
      '--target',
      'http://127.0.0.1:1/mcp',
      '--listen',
      '10.1.2.3:0',
    ]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--allow-remote');
  });
});
