// HTTP framing: the recorder refuses with 400 what Node's strict parser (llhttp) refuses, before
// forwarding a byte; and a differential fuzz test checks the wire parser never completes a message
// llhttp would reject.
import fc from 'fast-check';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpRecorder, type HttpRecorder } from '../../electron/engine/record/http/proxy.js';
import { WireParser } from '../../electron/engine/record/http/wire.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-sec-framing-');
const H = 'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n';
const CHUNKED = `${H}Transfer-Encoding: chunked\r\n\r\n`;

/** Shapes llhttp refuses that the recorder used to forward (the first eight are the issue's). */
const SHAPES: Record<string, string> = {
  'equal duplicate Content-Length': `${H}Content-Length: 2\r\nContent-Length: 2\r\n\r\nab`,
  'Content-Length list': `${H}Content-Length: 2, 2\r\n\r\nab`,
  'bare LF after a chunk size': `${CHUNKED}2\nab\r\n0\r\n\r\n`,
  'spaces after a chunk size': `${CHUNKED}2  \r\nab\r\n0\r\n\r\n`,
  'TE: chunked,': `${H}Transfer-Encoding: chunked,\r\n\r\n2\r\nab\r\n0\r\n\r\n`,
  'TE: chunked twice': `${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n`,
  'bare LF after a chunk extension': `${CHUNKED}2;a=b\nab\r\n0\r\n\r\n`,
  'bare LF after the last chunk': `${CHUNKED}2\r\nab\r\n0\n\r\n`,
  'control character in a header value': `${H}X-A: a\u0001b\r\nContent-Length: 0\r\n\r\n`,
  'DEL in the target': `POST /mcp\u007f HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`,
  'unknown method': `FROB /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
  'empty chunk extension': `${CHUNKED}2;\r\nab\r\n0\r\n\r\n`,
  'malformed trailer': `${CHUNKED}2\r\nab\r\n0\r\nbad trailer\r\n\r\n`,
  'bare LF line endings': 'POST /mcp HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 0\n\n',
};

let llhttp: HttpServer;
let llPort = 0;
let target: Server;
let targetBytes = 0;
let rec: HttpRecorder;
let recPort = 0;

function send(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => s.destroy(), 3000);
    s.on('data', (c: Buffer) => (got += c.toString('latin1')));
    s.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    s.on('error', () => undefined);
    s.end(Buffer.from(raw, 'latin1'));
  });
}

beforeAll(async () => {
  // Only the parser is compared: Node's server-level Host requirement is switched off.
  llhttp = createHttpServer({ requireHostHeader: false }, (req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
    req.on('error', () => undefined);
  });
  llhttp.on('clientError', (_e, s) =>
    s.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
  );
  await new Promise<void>((r) => llhttp.listen(0, '127.0.0.1', r));
  llPort = (llhttp.address() as { port: number }).port;
  target = createServer((s) => {
    s.on('data', (c: Buffer) => (targetBytes += c.length));
    s.on('error', () => undefined);
    s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  rec = await startHttpRecorder({
    target: `http://127.0.0.1:${(target.address() as { port: number }).port}/mcp`,
    out: join(dir, 'framing.mcpscope.jsonl'),
    log: () => undefined,
  });
  recPort = Number(new URL(rec.origin).port);
});

afterAll(async () => {
  await rec.close('test done');
  llhttp.close();
  target.close();
});

describe('requests Node refuses', () => {
  for (const [name, raw] of Object.entries(SHAPES)) {
    it(`${name}: 400 from the recorder, nothing forwarded`, async () => {
      expect(await send(llPort, raw)).toMatch(/^HTTP\/1\.1 400/);
      const before = targetBytes;
      // Addressed to the recorder by name (its DNS-rebinding check wants its own host:port).
      const toRecorder = raw.replace(/\nHost: 127\.0\.0\.1\r?\n/, (m) =>
        m.replace('127.0.0.1', `127.0.0.1:${recPort}`),
      );
      expect(await send(recPort, toRecorder)).toMatch(/^HTTP\/1\.1 400/);
      expect(targetBytes).toBe(before);
    });
  }
});

type Verdict = 'ok' | 'reject' | 'incomplete';

/** Every message in the input: ok when all complete, reject at the first error. */
function ours(raw: string): Verdict {
  const p = new WireParser('request');
  const b = Buffer.from(raw, 'latin1');
  let at = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const s = p.step(b, at);
    if (s.type === 'need') return p.idle ? 'ok' : 'incomplete';
    if (s.type === 'error') return 'reject';
    at = s.next;
  }
  throw new Error('no progress');
}

async function theirs(raw: string): Promise<Verdict> {
  const got = await send(llPort, raw);
  return got.includes('HTTP/1.1 400')
    ? 'reject'
    : got.startsWith('HTTP/1.1 200')
      ? 'ok'
      : 'incomplete';
}

const valid = fc
  .record({
    chunked: fc.boolean(),
    body: fc.string({ unit: fc.constantFrom('a', 'b', '{', '"', ' ', '}'), maxLength: 12 }),
    ext: fc.constantFrom('', ';x', ';x=1', ';x="a b"'),
  })
  .map(({ chunked, body, ext }) =>
    chunked
      ? `${CHUNKED}${body.length ? `${body.length.toString(16)}${ext}\r\n${body}\r\n` : ''}0\r\nX-T: 1\r\n\r\n`
      : `${H}Content-Length: ${body.length}\r\n\r\n${body}`,
  );
const BYTES = [
  ' ',
  '\t',
  '\r',
  '\n',
  ',',
  ';',
  '=',
  '"',
  ':',
  '0',
  'a',
  'F',
  '\u0000',
  '\u0001',
  '\u007f',
  '\u00ff',
  '-',
  '+',
];
const mutation = fc.array(
  fc.record({
    pos: fc.nat(),
    op: fc.constantFrom('insert', 'replace', 'delete'),
    ch: fc.constantFrom(...BYTES),
  }),
  { minLength: 1, maxLength: 3 },
);

function mutate(raw: string, ms: { pos: number; op: string; ch: string }[]): string {
  let s = raw;
  for (const m of ms) {
    const i = m.pos % (s.length + 1);
    if (m.op === 'insert') s = s.slice(0, i) + m.ch + s.slice(i);
    else if (m.op === 'replace') s = s.slice(0, i) + m.ch + s.slice(i + 1);
    else s = s.slice(0, i) + s.slice(i + 1);
  }
  return s;
}

describe('differential fuzzing against llhttp', () => {
  it('both accept well-formed requests', async () => {
    await fc.assert(
      fc.asyncProperty(valid, async (raw) => {
        expect(ours(raw)).toBe('ok');
        expect(await theirs(raw)).toBe('ok');
      }),
      { numRuns: 60, seed: 12 },
    );
  }, 60_000);

  it('never completes a request that llhttp refuses', async () => {
    await fc.assert(
      fc.asyncProperty(valid, mutation, async (raw, ms) => {
        const m = mutate(raw, ms);
        if ((await theirs(m)) === 'reject') expect(ours(m), JSON.stringify(m)).not.toBe('ok');
      }),
      { numRuns: 400, seed: 2026 },
    );
  }, 120_000);
});
