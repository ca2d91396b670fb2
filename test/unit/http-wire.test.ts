import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunkOf,
  LAST_CHUNK,
  WireParser,
  type Head,
  type Step,
} from '../../electron/engine/record/http/wire.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

type Ev = { type: 'head'; head: Head } | { type: 'done' } | { type: 'error'; message: string };

interface Message {
  head: Head;
  body: Buffer;
  done: boolean;
}

interface Run {
  /** Heads, dones and errors in order (body steps are summed up in `messages`). */
  events: Ev[];
  /** One per head, with the decoded payload of its body. */
  messages: Message[];
  /** Heads' raw bytes and body ranges, concatenated in order: what the parser accounted for. */
  wire: Buffer;
  /** Number of body steps seen. */
  bodySteps: number;
}

/**
 * Feed the pieces, stepping each one until `need`, and check the step contract as it goes: a body
 * starts where the previous step ended, every step moves forward, and `done` does not consume.
 * Feeding stops at the first error. `onHead` runs right after a head (to call `tunnel()` etc.).
 */
function feed(p: WireParser, pieces: Buffer[], onHead?: (h: Head) => void, run?: Run): Run {
  const r: Run = run ?? { events: [], messages: [], wire: Buffer.alloc(0), bodySteps: 0 };
  const wire: Buffer[] = [r.wire];
  try {
    for (const chunk of pieces) {
      let at = 0;
      for (let guard = 0; ; guard++) {
        if (guard > 100_000) throw new Error('the parser does not make progress');
        const s: Step = p.step(chunk, at);
        if (s.type === 'need') break;
        if (s.type === 'error') {
          r.events.push({ type: 'error', message: s.message });
          return r;
        }
        if (s.type === 'head') {
          if (s.next <= at || s.next > chunk.length)
            throw new Error(`head next ${s.next} out of [${at + 1}, ${chunk.length}]`);
          r.events.push({ type: 'head', head: s.head });
          r.messages.push({ head: s.head, body: Buffer.alloc(0), done: false });
          wire.push(s.head.raw);
          at = s.next;
          onHead?.(s.head);
        } else if (s.type === 'body') {
          if (s.start !== at) throw new Error(`body starts at ${s.start}, expected ${at}`);
          if (s.next <= s.start || s.next > chunk.length)
            throw new Error(`body next ${s.next} out of (${s.start}, ${chunk.length}]`);
          const m = r.messages.at(-1);
          // Tunnel bytes after a request's done (the proxy called tunnel()) carry no payload.
          if (!m || m.done) {
            if (s.data.length > 0) throw new Error('payload outside a message');
          } else m.body = Buffer.concat([m.body, ...s.data]);
          wire.push(chunk.subarray(s.start, s.next));
          r.bodySteps++;
          at = s.next;
        } else {
          if (s.next !== at) throw new Error(`done at ${s.next}, expected ${at}`);
          const m = r.messages.at(-1);
          if (!m || m.done) throw new Error('done without a message');
          m.done = true;
          r.events.push({ type: 'done' });
        }
      }
    }
    return r;
  } finally {
    r.wire = Buffer.concat(wire);
  }
}

function request(
  pieces: (string | Buffer)[],
  limits?: { maxHead: number },
): { p: WireParser; r: Run } {
  const p = new WireParser('request', limits);
  const r = feed(
    p,
    pieces.map((x) => (typeof x === 'string' ? b(x) : x)),
  );
  return { p, r };
}

/** A response parser told the requests' methods first. */
function response(
  methods: string[],
  pieces: (string | Buffer)[],
  onHead?: (h: Head, p: WireParser) => void,
): { p: WireParser; r: Run } {
  const p = new WireParser('response');
  for (const m of methods) p.expect(m);
  const r = feed(
    p,
    pieces.map((x) => (typeof x === 'string' ? b(x) : x)),
    onHead && ((h) => onHead(h, p)),
  );
  return { p, r };
}

const heads = (r: Run): Head[] => r.messages.map((m) => m.head);
const bodies = (r: Run): string[] => r.messages.map((m) => m.body.toString('latin1'));
const types = (r: Run): string[] => r.events.map((e) => e.type);
const errorOf = (r: Run): string => {
  const e = r.events.at(-1);
  if (e?.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(types(r))}`);
  return e.message;
};

/** Split bytes at the given cut points (taken modulo length + 1, sorted, deduplicated). */
function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const pt of points) {
    out.push(bytes.subarray(prev, pt));
    prev = pt;
  }
  out.push(bytes.subarray(prev));
  return out;
}

const bytewise = (bytes: Buffer): Buffer[] => [...bytes].map((x) => Buffer.from([x]));

/** An error run must leave the parser failed: any later step repeats the error. */
function expectFailed(p: WireParser, message: string): void {
  expect(p.step(b('GET / HTTP/1.1\r\n\r\n'), 0)).toEqual({ type: 'error', message });
  expect(p.step(Buffer.alloc(0), 0)).toEqual({ type: 'error', message });
  expect(p.busy).toBe(false);
  expect(p.idle).toBe(false);
  expect(p.finish()).toBe('incomplete');
}

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

describe('chunkOf and LAST_CHUNK', () => {
  it('writes a chunk as hex size, data and CRLF', () => {
    const data = new Uint8Array(26).fill(0x61);
    expect(Buffer.concat(chunkOf(data)).toString('latin1')).toBe(`1a\r\n${'a'.repeat(26)}\r\n`);
    expect(LAST_CHUNK.toString('latin1')).toBe('0\r\n\r\n');
  });

  it('takes a view of a larger buffer without its neighbours', () => {
    const whole = b('xxHELLOyy');
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, 5);
    expect(Buffer.concat(chunkOf(view)).toString('latin1')).toBe('5\r\nHELLO\r\n');
  });

  it('produces a chunked body the parser decodes back to the data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (datas, cuts) => {
          const body = Buffer.concat([...datas.flatMap((d) => chunkOf(d)), LAST_CHUNK]);
          const input = Buffer.concat([
            b('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'),
            body,
          ]);
          const { p, r } = request(splitAt(input, cuts));
          expect(types(r)).toEqual(['head', 'done']);
          expect(r.messages[0]?.body).toEqual(Buffer.concat(datas));
          expect(r.wire).toEqual(input);
          expect(p.idle).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: any split of a byte stream gives the same messages, and every byte is accounted for.

type Kind = 'length' | 'chunked' | 'none';

interface GenMessage {
  kind: Kind;
  body: Buffer;
  /** Cut points for the HTTP chunks of a chunked body. */
  cuts: number[];
  upperHex: boolean;
  ext: boolean;
  trailers: string[];
  headers: [string, string][];
}

const arbMessage: fc.Arbitrary<GenMessage> = fc.record({
  kind: fc.constantFrom<Kind>('length', 'chunked', 'none'),
  body: fc.uint8Array({ maxLength: 120 }).map((u) => Buffer.from(u)),
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
  upperHex: fc.boolean(),
  ext: fc.boolean(),
  trailers: fc.array(fc.constantFrom('X-Checksum: abc', 'X-A: 1', 'Expires: never'), {
    maxLength: 2,
  }),
  headers: fc.array(
    fc.tuple(
      fc.constantFrom('Accept', 'X-Id', 'User-Agent', 'Mcp-Session-Id'),
      fc.stringMatching(/^[a-z0-9]{0,12}$/),
    ),
    { maxLength: 3 },
  ),
});

/** The body bytes of the message as put on the wire, and the payload it carries. */
function encodeBody(m: GenMessage): { wire: Buffer; payload: Buffer; header: string } {
  if (m.kind === 'none') return { wire: Buffer.alloc(0), payload: Buffer.alloc(0), header: '' };
  if (m.kind === 'length')
    return { wire: m.body, payload: m.body, header: `Content-Length: ${m.body.length}\r\n` };
  const parts: Buffer[] = [];
  for (const piece of splitAt(m.body, m.cuts)) {
    if (piece.length === 0) continue; // an empty chunk is the last chunk
    const hex = piece.length.toString(16);
    parts.push(
      b(`${m.upperHex ? hex.toUpperCase() : hex}${m.ext ? ';ext="v"' : ''}\r\n`),
      piece,
      b('\r\n'),
    );
  }
  parts.push(b(`0${m.ext ? ';end' : ''}\r\n${m.trailers.map((t) => `${t}\r\n`).join('')}\r\n`));
  return { wire: Buffer.concat(parts), payload: m.body, header: 'Transfer-Encoding: chunked\r\n' };
}

function encodeRequests(ms: GenMessage[]): {
  input: Buffer;
  payloads: Buffer[];
  startLines: string[];
} {
  const parts: Buffer[] = [];
  const payloads: Buffer[] = [];
  const startLines: string[] = [];
  ms.forEach((m, i) => {
    const e = encodeBody(m);
    const startLine = `${m.kind === 'none' ? 'GET' : 'POST'} /m/${i} HTTP/1.1`;
    startLines.push(startLine);
    parts.push(
      b(`${startLine}\r\n${m.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}${e.header}\r\n`),
      e.wire,
    );
    payloads.push(e.payload);
  });
  return { input: Buffer.concat(parts), payloads, startLines };
}

/** What a run says, without the split-dependent body step boundaries. */
function summary(r: Run): { events: Ev[]; bodies: Buffer[]; done: boolean[] } {
  return {
    events: r.events,
    bodies: r.messages.map((m) => m.body),
    done: r.messages.map((m) => m.done),
  };
}

describe('WireParser properties', () => {
  it('requests: any split gives the same heads, bodies and dones as one piece, and accounts for every byte', () => {
    fc.assert(
      fc.property(
        fc.array(arbMessage, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (ms, cuts) => {
          const { input, payloads, startLines } = encodeRequests(ms);
          const one = request([input]);
          expect(one.r.events.filter((e) => e.type === 'error')).toEqual([]);
          expect(heads(one.r).map((h) => h.startLine)).toEqual(startLines);
          expect(heads(one.r).map((h) => h.framing)).toEqual(ms.map((m) => m.kind));
          expect(one.r.messages.map((m) => m.body)).toEqual(payloads);
          expect(one.r.messages.every((m) => m.done)).toBe(true);
          expect(one.r.wire).toEqual(input);
          expect(one.p.idle).toBe(true);

          const split = request(splitAt(input, cuts));
          expect(summary(split.r)).toEqual(summary(one.r));
          expect(split.r.wire).toEqual(input);
          expect(split.p.idle).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('requests: feeding one byte at a time gives the same result', () => {
    fc.assert(
      fc.property(fc.array(arbMessage, { minLength: 1, maxLength: 3 }), (ms) => {
        const { input } = encodeRequests(ms);
        const one = request([input]);
        const bytes = request(bytewise(input));
        expect(summary(bytes.r)).toEqual(summary(one.r));
        expect(bytes.r.wire).toEqual(input);
        expect(bytes.p.idle).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  type RKind = 'length' | 'chunked' | 'no-content' | 'head' | 'continue';

  const arbResponse = fc.record({
    rkind: fc.constantFrom<RKind>('length', 'chunked', 'no-content', 'head', 'continue'),
    msg: arbMessage,
  });

  it('responses: any split gives the same result, including interim, HEAD and close-delimited responses', () => {
    fc.assert(
      fc.property(
        fc.array(arbResponse, { maxLength: 4 }),
        fc.option(
          fc.uint8Array({ maxLength: 100 }).map((u) => Buffer.from(u)),
          { nil: undefined },
        ),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (rs, closeBody, cuts, bytewiseSplit) => {
          const methods: string[] = [];
          const parts: Buffer[] = [];
          const payloads: Buffer[] = [];
          const expectedTypes: string[] = [];
          for (const { rkind, msg } of rs) {
            if (rkind === 'head') {
              methods.push('HEAD');
              parts.push(b(`HTTP/1.1 200 OK\r\nContent-Length: ${msg.body.length + 1}\r\n\r\n`));
              payloads.push(Buffer.alloc(0));
              expectedTypes.push('head', 'done');
            } else if (rkind === 'no-content') {
              methods.push('POST');
              parts.push(b('HTTP/1.1 204 No Content\r\n\r\n'));
              payloads.push(Buffer.alloc(0));
              expectedTypes.push('head', 'done');
            } else {
              methods.push('POST');
              if (rkind === 'continue') {
                parts.push(b('HTTP/1.1 100 Continue\r\n\r\n'));
                payloads.push(Buffer.alloc(0));
                expectedTypes.push('head');
              }
              const e = encodeBody({ ...msg, kind: rkind === 'chunked' ? 'chunked' : 'length' });
              parts.push(
                b(
                  `HTTP/1.1 200 OK\r\n${msg.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}${e.header}\r\n`,
                ),
                e.wire,
              );
              payloads.push(e.payload);
              expectedTypes.push('head', 'done');
            }
          }
          if (closeBody) {
            methods.push('GET');
            parts.push(
              b('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n'),
              closeBody,
            );
            payloads.push(closeBody);
            expectedTypes.push('head');
          }
          const input = Buffer.concat(parts);

          const one = response(methods, [input]);
          expect(types(one.r)).toEqual(expectedTypes);
          expect(one.r.messages.map((m) => m.body)).toEqual(payloads);
          expect(one.r.wire).toEqual(input);
          expect(one.p.finish()).toBe(closeBody ? 'complete' : 'idle');

          const split = response(methods, bytewiseSplit ? bytewise(input) : splitAt(input, cuts));
          expect(summary(split.r)).toEqual(summary(one.r));
          expect(split.r.wire).toEqual(input);
          expect(split.p.finish()).toBe(closeBody ? 'complete' : 'idle');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a cut stream never emits a done it has not received, and finishes incomplete unless cut between messages', () => {
    fc.assert(
      fc.property(fc.array(arbMessage, { minLength: 1, maxLength: 3 }), fc.nat(), (ms, cutAt) => {
        const { input } = encodeRequests(ms);
        const n = cutAt % input.length; // a strict prefix
        const whole = request([input]);
        // Where each message ends in the stream.
        const ends: number[] = [];
        let end = 0;
        whole.r.messages.forEach((m, i) => {
          end += m.head.raw.length + encodeBody(ms[i]!).wire.length;
          ends.push(end);
        });
        expect(ends.at(-1)).toBe(input.length);
        const prefix = request([input.subarray(0, n)]);
        const between = n === 0 || ends.includes(n);
        expect(prefix.r.events.filter((e) => e.type === 'done').length).toBe(
          ends.filter((e) => e <= n).length,
        );
        expect(prefix.r.wire).toEqual(input.subarray(0, prefix.r.wire.length));
        expect(prefix.p.idle).toBe(between);
        expect(prefix.p.finish()).toBe(between ? 'idle' : 'incomplete');
      }),
      { numRuns: 200 },
    );
  });
});
