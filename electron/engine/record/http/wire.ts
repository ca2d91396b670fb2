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
  /** [name, value, name, value…] as received (values without surrounding whitespace), built on first use. */
  readonly rawHeaders: string[];
  /** The first value of a header (case-insensitive name), without building the whole list. */
  header(name: string): string | undefined;
  /** Request: where each Host field's value lies in `raw` (after the colon, up to its CRLF). */
  hosts: [number, number][];
  /** Request: the first Host value. */
  host: string | undefined;
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
    .map(trimOws)
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
    const tooBig = (): Step => this.fail(`the ${this.kind} head is larger than ${this.limits.maxHead} bytes`);
    let raw: Buffer;
    let next: number;
    if (this.heldBytes === 0) {
      const end = chunk.indexOf(CRLFCRLF, at);
      if (end < 0) {
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
        this.held.push(Buffer.from(chunk.subarray(at)));
        this.heldBytes += chunk.length - at;
        this.tail = Buffer.concat([tail, chunk.subarray(Math.max(at, chunk.length - 3))]).subarray(-3);
        if (this.heldBytes > this.limits.maxHead) return tooBig();
        return { type: 'need' };
      }
      next = s >= 0 ? end : end + 4;
      raw = Buffer.concat([...this.held, chunk.subarray(at, next)]);
    }
    if (raw.length > this.limits.maxHead) return tooBig();
    this.held = [];
    this.heldBytes = 0;
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
    // The head as latin1 text (one character per byte, so text offsets are byte offsets), through
    // the last header's CRLF.
    const text = raw.toString('latin1', 0, raw.length - 2);
    const sl = text.indexOf('\r\n');
    const startLine = text.slice(0, sl);
    const head = new HttpHead(raw, text, startLine);
    if (this.kind === 'request') {
      const m = REQUEST_LINE.exec(startLine);
      if (!m) return `the request line ${JSON.stringify(startLine.slice(0, 80))} is not HTTP/1.x`;
      head.method = m[1]!;
      head.target = m[2]!;
      head.version = m[3]!;
    } else {
      const m = STATUS_LINE.exec(startLine);
      if (!m) return `the status line ${JSON.stringify(startLine.slice(0, 80))} is not HTTP/1.x`;
      head.version = m[1]!;
      head.status = Number(m[2]);
      head.reason = m[3] ?? '';
    }
    // One pass over all header lines: each is `token:value` with no control line breaks. Only
    // when that fails are the lines looked at one by one, to say what is wrong.
    HEADER_LINES.lastIndex = sl + 2;
    if (!HEADER_LINES.test(text)) return headerProblem(text.slice(sl + 2, -2).split('\r\n'));
    const lower = text.toLowerCase();
    const te = fieldValues(text, lower, 'transfer-encoding');
    const clValues = fieldValues(text, lower, 'content-length');
    let cl: number | undefined;
    for (const value of clValues) {
      for (const v of value.split(',')) {
        const t = trimOws(v);
        if (!/^\d{1,15}$/.test(t)) return `Content-Length ${JSON.stringify(value)} is not a number`;
        if (cl !== undefined && cl !== Number(t)) return 'two different Content-Length values';
        cl = Number(t);
      }
    }
    const conn = fieldValues(text, lower, 'connection').flatMap(tokens);
    head.close = conn.includes('close') || (head.version === 'HTTP/1.0' && !conn.includes('keep-alive'));
    const codings = te.flatMap(tokens);
    const hasTe = te.length > 0;
    const chunked = codings.at(-1) === 'chunked';
    if (this.kind === 'request') {
      if (hasTe && cl !== undefined) return 'both Transfer-Encoding and Content-Length are set (refused: the two ends could disagree on where the body ends)';
      if (hasTe && !chunked) return `Transfer-Encoding ${codings.join(', ')} does not end in chunked, so the body length is unknown`;
      if (chunked) head.framing = 'chunked';
      else if (cl !== undefined) {
        head.framing = 'length';
        head.length = cl;
      }
      head.hosts = fieldRanges(lower, 'host');
      const h = head.hosts[0];
      head.host = h ? trimOws(text.slice(h[0], h[1])) : undefined;
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
    else if (hasTe) head.framing = chunked ? 'chunked' : 'close';
    else if (cl !== undefined) {
      head.framing = 'length';
      head.length = cl;
    } else head.framing = 'close';
    if (head.framing === 'close') head.close = true;
    return head;
  }
}

const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/1\.[01])$/;
const STATUS_LINE = /^(HTTP\/1\.[01]) (\d{3})(?: (.*))?$/;
/** Every header line from `lastIndex` to the end: `token:value` CRLF, no NUL, CR or LF in values. */
const HEADER_LINES = /(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[^\0\r\n]*\r\n)*$/y;

/** Optional whitespace around a field value is spaces and tabs only (RFC 9110 §5.6.3). */
function trimOws(v: string): string {
  let a = 0;
  let b = v.length;
  while (a < b && (v.charCodeAt(a) === 32 || v.charCodeAt(a) === 9)) a++;
  while (b > a && (v.charCodeAt(b - 1) === 32 || v.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === v.length ? v : v.slice(a, b);
}

/** Where each `name:` field's value lies in the head text (from after the colon to its CRLF). */
function fieldRanges(lower: string, name: string): [number, number][] {
  const key = `\r\n${name}:`;
  const out: [number, number][] = [];
  for (let i = lower.indexOf(key); i >= 0; i = lower.indexOf(key, i + 2)) {
    const start = i + key.length;
    out.push([start, lower.indexOf('\r\n', start)]);
  }
  return out;
}

/** The values of every `name` field (name given in lower case), whitespace trimmed. */
function fieldValues(text: string, lower: string, name: string): string[] {
  return fieldRanges(lower, name).map(([a, b]) => trimOws(text.slice(a, b)));
}

/** Says which header line is malformed (only called once the fast check failed). */
function headerProblem(lines: string[]): string {
  for (const l of lines) {
    if (l.startsWith(' ') || l.startsWith('\t')) return 'a header is folded over two lines (obsolete line folding is not accepted)';
    const colon = l.indexOf(':');
    const name = colon > 0 ? l.slice(0, colon) : '';
    if (!TOKEN.test(name)) return `the header line ${JSON.stringify(l.slice(0, 80))} is malformed`;
    if (/[\0\r\n]/.test(l)) return `the header ${name} holds a control character`;
  }
  return 'a header line is malformed';
}

/** A parsed head; its header list is only built when asked for (recording runs later, off the forwarding path). */
class HttpHead implements Head {
  method = '';
  target = '';
  status = 0;
  reason = '';
  version = '';
  framing: Framing = 'none';
  length = 0;
  close = false;
  interim = false;
  hosts: [number, number][] = [];
  host: string | undefined;
  private list: string[] | undefined;

  constructor(
    readonly raw: Buffer,
    private readonly text: string,
    readonly startLine: string,
  ) {}

  get rawHeaders(): string[] {
    if (!this.list) {
      const list: string[] = [];
      const lines = this.text.slice(this.startLine.length + 2, -2);
      if (lines !== '') {
        for (const l of lines.split('\r\n')) {
          const colon = l.indexOf(':');
          list.push(l.slice(0, colon), trimOws(l.slice(colon + 1)));
        }
      }
      this.list = list;
    }
    return this.list;
  }

  header(name: string): string | undefined {
    const r = fieldRanges(this.text.toLowerCase(), name.toLowerCase())[0];
    return r ? trimOws(this.text.slice(r[0], r[1])) : undefined;
  }
}

/** A chunk of a chunked body, as written on the wire. */
export function chunkOf(data: Uint8Array): Buffer[] {
  return [Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength), Buffer.from('\r\n', 'latin1')];
}

export const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
