// Passive HTTP/1.1 message framing for the recorder: where each request or response starts and
// ends in a byte stream, and the body bytes it carries with chunked framing removed. The proxy
// forwards the bytes as they arrived (only a request head is ever rebuilt, to name the target's
// Host), so this never re-encodes anything; it only has to agree with both ends on where a message
// ends (RFC 9112 §6), and refuse what two ends could read differently (request smuggling).
//
// Node's own parser is not reachable without the `http` server and client pair, whose objects,
// streams and header maps cost three times a raw pipe's CPU per exchange on a loaded machine.
// http-parser-js reports no byte offsets, which forwarding bytes as they are needs.

import { HEADER_LINE, parseHead, type Head } from './head.js';

export type { Framing, Head } from './head.js';

export type Step =
  /** A message head; the bytes up to `next` are consumed. */
  | { type: 'head'; head: Head; next: number }
  /** Body bytes `[start, next)` of the chunk as they are on the wire, and the payload they carry. */
  | { type: 'body'; start: number; next: number; data: Buffer[] }
  /** The message is complete at `next`; a following message may start there. */
  | { type: 'done'; next: number }
  /** Everything from the offset was consumed (kept when it is part of an unfinished head). */
  | { type: 'need' }
  | { type: 'error'; message: string };

export interface WireLimits {
  /** Largest head accepted, in bytes. */
  maxHead: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_LINE = 8 * 1024; // a chunk-size line (with extensions) or one trailer line
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const QUOTED =
  '"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t\\x20-\\x7e\\x80-\\xff])*"';
const CHUNK_SIZE_LINE = new RegExp(
  `^([0-9A-Fa-f]{1,12})(?:;${TOKEN}(?:=(?:${TOKEN}|${QUOTED}))?)*\\r$`,
);

type State =
  'head' | 'length' | 'size' | 'data' | 'data-crlf' | 'trailers' | 'close' | 'tunnel' | 'failed';

/**
 * One direction of one connection: requests (client → server) or responses (server → client).
 * Feed it chunks with `step(chunk, offset)` until it says `need`; a response parser must be told
 * each request's method (`expect`) because a response to HEAD has no body.
 */
export class WireParser {
  private state: State = 'head';
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The last (up to) 3 held bytes: where a terminator could begin. */
  private tail: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private line = '';
  private lineLen = 0;
  private crlfSeen = 0;
  private readonly methods: string[] = [];
  private error = '';
  /** The last step ended a message: `done` comes next. */
  private pendingDone = false;

  constructor(
    readonly kind: 'request' | 'response',
    private readonly limits: WireLimits = { maxHead: 64 * 1024 },
  ) {}

  /** A request was sent on this connection: its response will follow in order (response parser). */
  expect(method: string): void {
    this.methods.push(method);
  }

  /** The connection became an opaque tunnel (after 101 Switching Protocols). */
  tunnel(): void {
    if (this.state !== 'failed') this.state = 'tunnel';
  }

  /** Between messages, nothing of the next one received yet. */
  get idle(): boolean {
    return this.state === 'head' && this.heldBytes === 0 && !this.pendingDone;
  }

  /** Part of a head has arrived, not all of it. */
  get headPending(): boolean {
    return this.state === 'head' && this.heldBytes > 0;
  }

  /** In a chunked body between chunks: ending the message here with `0\r\n\r\n` is well-formed. */
  get atChunkBoundary(): boolean {
    return this.state === 'size' && this.lineLen === 0;
  }

  /** Inside a message (head or body) that has not ended. */
  get busy(): boolean {
    return !this.idle && this.state !== 'failed';
  }

  /**
   * The connection ended. `complete` when a body delimited by the close just ended (or nothing was
   * in progress: `idle`), `incomplete` when a message was cut.
   */
  finish(): 'complete' | 'idle' | 'incomplete' {
    if (this.state === 'close' || this.state === 'tunnel') return 'complete';
    if (this.idle) return 'idle';
    return 'incomplete';
  }

  step(chunk: Buffer, at: number): Step {
    switch (this.state) {
      case 'failed':
        return { type: 'error', message: this.error };
      case 'head':
        return this.head(chunk, at);
      case 'length': {
        if (at >= chunk.length) return { type: 'need' };
        const n = Math.min(this.remaining, chunk.length - at);
        this.remaining -= n;
        const next = at + n;
        if (this.remaining === 0) {
          this.state = 'head';
          this.pendingDone = true;
        }
        return { type: 'body', start: at, next, data: [chunk.subarray(at, next)] };
      }
      case 'close':
      case 'tunnel':
        if (at >= chunk.length) return { type: 'need' };
        return {
          type: 'body',
          start: at,
          next: chunk.length,
          data: this.state === 'close' ? [chunk.subarray(at)] : [],
        };
      default:
        return this.chunked(chunk, at);
    }
  }

  private fail(message: string): Step {
    this.state = 'failed';
    this.error = message;
    return { type: 'error', message };
  }

  private head(chunk: Buffer, at: number): Step {
    if (this.pendingDone) {
      this.pendingDone = false;
      return { type: 'done', next: at };
    }
    // Empty lines before a request line are ignored (RFC 9112 §2.2): some clients send a CRLF
    // after a body.
    if (this.heldBytes === 0 && this.kind === 'request') {
      while (at < chunk.length && (chunk[at] === 13 || chunk[at] === 10)) at++;
    }
    if (at >= chunk.length) return { type: 'need' };
    const tooBig = (): Step =>
      this.fail(`the ${this.kind} head is larger than ${this.limits.maxHead} bytes`);
    let raw: Buffer;
    let next: number;
    if (this.heldBytes === 0) {
      const end = chunk.indexOf(CRLFCRLF, at);
      if (end < 0) {
        if (hasBareLf(chunk, at, chunk.length, -1))
          return this.fail(`the ${this.kind} head has a line ending in a bare LF (CRLF expected)`);
        if (chunk.length - at > this.limits.maxHead) return tooBig();
        this.held = [Buffer.from(chunk.subarray(at))];
        this.heldBytes = chunk.length - at;
        this.tail = chunk.subarray(Math.max(at, chunk.length - 3));
        return { type: 'need' };
      }
      next = end + 4;
      raw = chunk.subarray(at, next);
    } else {
      // Part of the head came earlier: the terminator may straddle the seam (the last 3 held
      // bytes and the first 3 new ones), else lies in the new chunk. Held parts are joined only
      // once the head is complete, so a head trickling in byte by byte costs linear time.
      const tail = this.tail;
      const seam = Buffer.concat([tail, chunk.subarray(at, at + 3)]);
      const s = seam.indexOf(CRLFCRLF);
      const end = s >= 0 ? at + s + 4 - tail.length : chunk.indexOf(CRLFCRLF, at);
      if (end < 0) {
        if (hasBareLf(chunk, at, chunk.length, tail.length > 0 ? tail[tail.length - 1]! : -1)) {
          return this.fail(`the ${this.kind} head has a line ending in a bare LF (CRLF expected)`);
        }
        this.held.push(Buffer.from(chunk.subarray(at)));
        this.heldBytes += chunk.length - at;
        this.tail = Buffer.concat([tail, chunk.subarray(Math.max(at, chunk.length - 3))]).subarray(
          -3,
        );
        if (this.heldBytes > this.limits.maxHead) return tooBig();
        return { type: 'need' };
      }
      next = s >= 0 ? end : end + 4;
      raw = Buffer.concat([...this.held, chunk.subarray(at, next)]);
    }
    if (raw.length > this.limits.maxHead) return tooBig();
    this.held = [];
    this.heldBytes = 0;
    const parsed = parseHead(raw, this.kind, this.methods);
    if (typeof parsed === 'string') return this.fail(parsed);
    switch (parsed.framing) {
      case 'length':
        this.remaining = parsed.length;
        this.state = parsed.length > 0 ? 'length' : 'head';
        if (parsed.length === 0) this.pendingDone = true;
        break;
      case 'chunked':
        this.state = 'size';
        this.lineLen = 0;
        this.line = '';
        break;
      case 'close':
        this.state = 'close';
        break;
      case 'tunnel':
        this.state = 'tunnel';
        break;
      case 'none':
        this.state = 'head';
        this.pendingDone = !parsed.interim; // an interim response is followed by the final one
        break;
    }
    return { type: 'head', head: parsed, next };
  }

  /** The chunked body, from the state it was left in, to the end of the chunk or of the message. */
  private chunked(chunk: Buffer, at: number): Step {
    const start = at;
    const data: Buffer[] = [];
    let i = at;
    while (i < chunk.length) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, chunk.length - i);
        data.push(chunk.subarray(i, i + n));
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) {
          this.state = 'data-crlf';
          this.crlfSeen = 0;
        }
      } else if (this.state === 'data-crlf') {
        const want = this.crlfSeen === 0 ? 13 : 10;
        if (chunk[i] !== want)
          return this.fail(
            'a chunk of the body is not followed by CRLF (chunked encoding is malformed)',
          );
        i++;
        if (++this.crlfSeen === 2) {
          this.state = 'size';
          this.lineLen = 0;
          this.line = '';
        }
      } else if (this.state === 'size') {
        const lf = chunk.indexOf(10, i);
        const stop = lf < 0 ? chunk.length : lf;
        this.lineLen += stop - i;
        if (this.lineLen > MAX_LINE)
          return this.fail('a chunk-size line is too long (chunked encoding is malformed)');
        this.line += chunk.toString('latin1', i, stop);
        if (lf < 0) {
          i = chunk.length;
          break;
        }
        i = lf + 1;
        const size = this.chunkSize(this.line);
        if (size === undefined)
          return this.fail(
            `bad chunk size ${JSON.stringify(this.line.slice(0, 40))} (chunked encoding is malformed)`,
          );
        this.line = '';
        this.lineLen = 0;
        if (size === 0) this.state = 'trailers';
        else {
          this.state = 'data';
          this.remaining = size;
        }
      } else {
        // Trailers: header lines, each ending in CRLF, up to an empty one.
        const lf = chunk.indexOf(10, i);
        const stop = lf < 0 ? chunk.length : lf;
        this.lineLen += stop - i;
        if (this.lineLen > MAX_LINE) return this.fail('a trailer line is too long');
        this.line += chunk.toString('latin1', i, stop);
        if (lf < 0) {
          i = chunk.length;
          break;
        }
        i = lf + 1;
        const line = this.line;
        this.line = '';
        this.lineLen = 0;
        if (!line.endsWith('\r'))
          return this.fail('a trailer line ends in a bare LF (CRLF expected)');
        if (line === '\r') {
          this.state = 'head';
          this.pendingDone = true;
          return { type: 'body', start, next: i, data };
        }
        if (!HEADER_LINE.test(line.slice(0, -1)))
          return this.fail(`the trailer line ${JSON.stringify(line.slice(0, 40))} is malformed`);
      }
    }
    if (i === start) return { type: 'need' };
    return { type: 'body', start, next: i, data };
  }

  /** `size *( ";" name [ "=" token / quoted-string ] ) CRLF` exactly: no spaces, no bare LF (as llhttp). */
  private chunkSize(line: string): number | undefined {
    const m = CHUNK_SIZE_LINE.exec(line);
    return m ? parseInt(m[1]!, 16) : undefined;
  }
}

/** An LF in `buf[from, to)` not preceded by CR (`before`: the byte before `from`, -1 if none). */
function hasBareLf(buf: Buffer, from: number, to: number, before: number): boolean {
  for (let i = buf.indexOf(10, from); i >= 0 && i < to; i = buf.indexOf(10, i + 1)) {
    if ((i > from ? buf[i - 1] : before) !== 13) return true;
  }
  return false;
}

/** A chunk of a chunked body, as written on the wire. */
export function chunkOf(data: Uint8Array): Buffer[] {
  return [
    Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    Buffer.from('\r\n', 'latin1'),
  ];
}

export const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
