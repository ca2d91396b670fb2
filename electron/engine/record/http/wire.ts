// Passive HTTP/1.1 message framing for the recorder: where each request or response starts and
// ends in a byte stream, and the body bytes it carries with chunked framing removed. The proxy
// forwards the bytes as they arrived (only a request head is ever rebuilt, to name the target's
// Host), so this never re-encodes anything; it only has to agree with both ends on where a message
// ends (RFC 9112 §6), and refuse what two ends could read differently (request smuggling).
//
// Node's own parser is not reachable without the `http` server and client pair, whose objects,
// streams and header maps cost three times a raw pipe's CPU per exchange on a loaded machine.
// http-parser-js reports no byte offsets, which forwarding bytes as they are needs.

export type Framing = 'none' | 'length' | 'chunked' | 'close' | 'tunnel';

export interface Head {
  /** The head's bytes as received, through the blank line. */
  raw: Buffer;
  /** The first line without its CRLF. */
  startLine: string;
  /** Request: method and target. Empty for a response. */
  method: string;
  target: string;
  /** Response: status code and reason phrase. 0 / empty for a request. */
  status: number;
  reason: string;
  /** "HTTP/1.1", "HTTP/1.0". */
  version: string;
  /** [name, value, name, value…] as received (values without surrounding whitespace). */
  rawHeaders: string[];
  framing: Framing;
  /** Body length when framing is `length`. */
  length: number;
  /** The sender will close (or asks the other side to close) the connection after this message. */
  close: boolean;
  /** A 1xx response other than 101: the final response follows on the same connection. */
  interim: boolean;
}

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
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_LINE = 8 * 1024; // a chunk-size line (with extensions) or one trailer line

type State = 'head' | 'length' | 'size' | 'data' | 'data-crlf' | 'trailers' | 'close' | 'tunnel' | 'failed';

function tokens(v: string): string[] {
  return v
    .toLowerCase()
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/**
 * One direction of one connection: requests (client → server) or responses (server → client).
 * Feed it chunks with `step(chunk, offset)` until it says `need`; a response parser must be told
 * each request's method (`expect`) because a response to HEAD has no body.
 */
export class WireParser {
  private state: State = 'head';
  private held: Buffer[] = [];
  private heldBytes = 0;
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
        return { type: 'body', start: at, next: chunk.length, data: this.state === 'close' ? [chunk.subarray(at)] : [] };
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
    let buf: Buffer;
    let base: number; // offset in `buf` of chunk[at]
    if (this.heldBytes === 0) {
      buf = chunk;
      base = at;
    } else {
      // Only the last 3 held bytes can start the terminator; search from there.
      buf = Buffer.concat([...this.held, chunk.subarray(at)]);
      base = this.heldBytes;
    }
    const from = this.heldBytes === 0 ? at : Math.max(0, this.heldBytes - 3);
    const end = buf.indexOf(CRLFCRLF, from);
    const startOfHead = this.heldBytes === 0 ? at : 0;
    if (end < 0) {
      const size = buf.length - startOfHead;
      if (size > this.limits.maxHead) return this.fail(`the ${this.kind} head is larger than ${this.limits.maxHead} bytes`);
      this.held = [Buffer.from(buf.subarray(startOfHead))];
      this.heldBytes = size;
      return { type: 'need' };
    }
    const headEnd = end + 4;
    if (headEnd - startOfHead > this.limits.maxHead) return this.fail(`the ${this.kind} head is larger than ${this.limits.maxHead} bytes`);
    const raw = buf.subarray(startOfHead, headEnd);
    this.held = [];
    this.heldBytes = 0;
    const next = at + (headEnd - base);
    const parsed = this.parseHead(raw);
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
        if (chunk[i] !== want) return this.fail('a chunk of the body is not followed by CRLF (chunked encoding is malformed)');
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
        if (this.lineLen > MAX_LINE) return this.fail('a chunk-size line is too long (chunked encoding is malformed)');
        this.line += chunk.toString('latin1', i, stop);
        if (lf < 0) {
          i = chunk.length;
          break;
        }
        i = lf + 1;
        const size = this.chunkSize(this.line);
        if (size === undefined) return this.fail(`bad chunk size ${JSON.stringify(this.line.slice(0, 40))} (chunked encoding is malformed)`);
        this.line = '';
        this.lineLen = 0;
        if (size === 0) this.state = 'trailers';
        else {
          this.state = 'data';
          this.remaining = size;
        }
      } else {
        // Trailers: lines up to an empty one (a lone CR before the LF is allowed).
        const b = chunk[i++];
        if (b === 10) {
          if (this.lineLen === 0) {
            this.state = 'head';
            this.pendingDone = true;
            return { type: 'body', start, next: i, data };
          }
          this.lineLen = 0;
        } else if (b !== 13) {
          if (++this.lineLen > MAX_LINE) return this.fail('a trailer line is too long');
        }
      }
    }
    if (i === start) return { type: 'need' };
    return { type: 'body', start, next: i, data };
  }

  private chunkSize(line: string): number | undefined {
    const m = /^([0-9A-Fa-f]{1,12})[ \t]*(;.*)?\r?$/.exec(line);
    return m ? parseInt(m[1]!, 16) : undefined;
  }

  private parseHead(raw: Buffer): Head | string {
    const text = raw.toString('latin1', 0, raw.length - 4);
    const lines = text.split('\r\n');
    const startLine = lines[0]!;
    const head: Head = { raw, startLine, method: '', target: '', status: 0, reason: '', version: '', rawHeaders: [], framing: 'none', length: 0, close: false, interim: false };
    if (this.kind === 'request') {
      const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/1\.[01])$/.exec(startLine);
      if (!m) return `the request line ${JSON.stringify(startLine.slice(0, 80))} is not HTTP/1.x`;
      head.method = m[1]!;
      head.target = m[2]!;
      head.version = m[3]!;
    } else {
      const m = /^(HTTP\/1\.[01]) (\d{3})(?: (.*))?$/.exec(startLine);
      if (!m) return `the status line ${JSON.stringify(startLine.slice(0, 80))} is not HTTP/1.x`;
      head.version = m[1]!;
      head.status = Number(m[2]);
      head.reason = m[3] ?? '';
    }
    let te: string[] | undefined;
    let cl: string | undefined;
    let conn: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.startsWith(' ') || l.startsWith('\t')) return 'a header is folded over two lines (obsolete line folding is not accepted)';
      const colon = l.indexOf(':');
      const name = colon > 0 ? l.slice(0, colon) : '';
      if (!TOKEN.test(name)) return `the header line ${JSON.stringify(l.slice(0, 80))} is malformed`;
      const value = l.slice(colon + 1).trim();
      if (/[\0\r\n]/.test(value)) return `the header ${name} holds a control character`;
      head.rawHeaders.push(name, value);
      const lower = name.toLowerCase();
      if (lower === 'transfer-encoding') te = [...(te ?? []), ...tokens(value)];
      else if (lower === 'content-length') {
        for (const v of value.split(',')) {
          const t = v.trim();
          if (!/^\d{1,15}$/.test(t)) return `Content-Length ${JSON.stringify(value)} is not a number`;
          if (cl !== undefined && Number(cl) !== Number(t)) return 'two different Content-Length values';
          cl = t;
        }
      } else if (lower === 'connection') conn = [...conn, ...tokens(value)];
    }
    head.close = conn.includes('close') || (head.version === 'HTTP/1.0' && !conn.includes('keep-alive'));
    const chunked = te !== undefined && te.at(-1) === 'chunked';
    if (this.kind === 'request') {
      if (te !== undefined && cl !== undefined) return 'both Transfer-Encoding and Content-Length are set (refused: the two ends could disagree on where the body ends)';
      if (te !== undefined && !chunked) return `Transfer-Encoding ${te.join(', ')} does not end in chunked, so the body length is unknown`;
      if (chunked) head.framing = 'chunked';
      else if (cl !== undefined) {
        head.framing = 'length';
        head.length = Number(cl);
      }
      return head;
    }
    // A response: its request's method matters (RFC 9112 §6.3).
    if (head.status >= 100 && head.status < 200) {
      if (head.status === 101) head.framing = 'tunnel';
      else head.interim = true;
      if (head.status === 101) this.methods.shift();
      return head;
    }
    const method = this.methods.shift() ?? 'GET';
    if (method === 'HEAD' || head.status === 204 || head.status === 304) head.framing = 'none';
    else if (method === 'CONNECT' && head.status < 300) head.framing = 'tunnel';
    else if (te !== undefined) head.framing = chunked ? 'chunked' : 'close';
    else if (cl !== undefined) {
      head.framing = 'length';
      head.length = Number(cl);
    } else head.framing = 'close';
    if (head.framing === 'close') head.close = true;
    return head;
  }
}

/** A chunk of a chunked body, as written on the wire. */
export function chunkOf(data: Uint8Array): Buffer[] {
  return [Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength), Buffer.from('\r\n', 'latin1')];
}

export const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
