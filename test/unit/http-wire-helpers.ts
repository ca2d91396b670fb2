// Helpers of the WireParser unit tests (http-wire*.test.ts): feed pieces, collect what the parser
// reports, build requests and responses.
import { expect } from 'vitest';
import { WireParser, type Head, type Step } from '../../electron/engine/record/http/wire.js';

export const b = (s: string): Buffer => Buffer.from(s, 'latin1');

export type Ev =
  { type: 'head'; head: Head } | { type: 'done' } | { type: 'error'; message: string };

export interface Message {
  head: Head;
  body: Buffer;
  done: boolean;
}

export interface Run {
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
export function feed(p: WireParser, pieces: Buffer[], onHead?: (h: Head) => void, run?: Run): Run {
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

export function request(
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
export function response(
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

export const heads = (r: Run): Head[] => r.messages.map((m) => m.head);
export const bodies = (r: Run): string[] => r.messages.map((m) => m.body.toString('latin1'));
export const types = (r: Run): string[] => r.events.map((e) => e.type);
export const errorOf = (r: Run): string => {
  const e = r.events.at(-1);
  if (e?.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(types(r))}`);
  return e.message;
};

/** Split bytes at the given cut points (taken modulo length + 1, sorted, deduplicated). */
export function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
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

export const bytewise = (bytes: Buffer): Buffer[] => [...bytes].map((x) => Buffer.from([x]));

/** An error run must leave the parser failed: any later step repeats the error. */
export function expectFailed(p: WireParser, message: string): void {
  expect(p.step(b('GET / HTTP/1.1\r\n\r\n'), 0)).toEqual({ type: 'error', message });
  expect(p.step(Buffer.alloc(0), 0)).toEqual({ type: 'error', message });
  expect(p.busy).toBe(false);
  expect(p.idle).toBe(false);
  expect(p.finish()).toBe('incomplete');
}
