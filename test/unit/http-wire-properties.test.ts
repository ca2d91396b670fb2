// The recorder's passive HTTP/1.1 parser (record/http/wire.ts): chunk writing, and properties
// over generated messages split at random places.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkOf, LAST_CHUNK } from '../../electron/engine/record/http/wire.js';
import {
  b,
  type Ev,
  type Run,
  request,
  response,
  heads,
  types,
  splitAt,
  bytewise,
} from './http-wire-helpers.js';

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
