// One HTTP/1.1 message head: its start line, its header fields, and the framing of the body that
// follows (RFC 9112 §6). All header lines are checked with one regular expression; the header
// list itself is only built when asked for (recording does that later, off the forwarding path).

import { METHODS } from 'node:http';

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

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function tokens(v: string): string[] {
  return v
    .toLowerCase()
    .split(',')
    .map(trimOws)
    .filter((t) => t !== '');
}

/**
 * Parses a complete head (`raw` ends with the blank line). A response's framing depends on the
 * method of the request it answers: `methods` holds those in order, and a final response takes one.
 * Returns what is wrong when the head cannot be read or could be read two ways.
 */
export function parseHead(
  raw: Buffer,
  kind: 'request' | 'response',
  methods: string[],
): Head | string {
  // The head as latin1 text (one character per byte, so text offsets are byte offsets), through
  // the last header's CRLF.
  const text = raw.toString('latin1', 0, raw.length - 2);
  const sl = text.indexOf('\r\n');
  const startLine = text.slice(0, sl);
  const head = new HttpHead(raw, text, startLine);
  if (kind === 'request') {
    const m = REQUEST_LINE.exec(startLine);
    if (!m) return `the request line ${JSON.stringify(startLine.slice(0, 80))} is not HTTP/1.x`;
    if (!KNOWN_METHODS.has(m[1]!))
      return `unknown request method ${JSON.stringify(m[1]!.slice(0, 40))}`;
    if (!(m[1] === 'CONNECT' ? AUTHORITY_FORM : TARGET_FORM).test(m[2]!))
      return `the request target ${JSON.stringify(m[2]!.slice(0, 80))} is not a path, * or an absolute URL`;
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
  // Strict like Node's own parser (llhttp): one Content-Length, one number, no list — even two
  // equal values are refused, since a server that takes the first of "5, 5" as 55 exists.
  let cl: number | undefined;
  const all = clValues.flatMap((v) => v.split(',').map(trimOws));
  for (const t of all)
    if (!/^\d{1,15}$/.test(t))
      return `Content-Length ${JSON.stringify(clValues.join(', '))} is not a number`;
  if (new Set(all.map(Number)).size > 1) return 'two different Content-Length values';
  if (all.length > 1)
    return "Content-Length is given more than once (refused even when equal, as Node's parser does)";
  if (all.length === 1) cl = Number(all[0]);
  const conn = fieldValues(text, lower, 'connection').flatMap(tokens);
  head.close =
    conn.includes('close') || (head.version === 'HTTP/1.0' && !conn.includes('keep-alive'));
  const codings = te.flatMap((v) => v.toLowerCase().split(',').map(trimOws));
  if (codings.includes(''))
    return `Transfer-Encoding ${JSON.stringify(te.join(', '))} has an empty element`;
  const hasTe = te.length > 0;
  const chunked = codings.at(-1) === 'chunked';
  if (chunked && codings.indexOf('chunked') !== codings.length - 1) {
    return `Transfer-Encoding ${JSON.stringify(te.join(', '))} names chunked more than once or not last`;
  }
  if (kind === 'request') {
    if (hasTe && cl !== undefined)
      return 'both Transfer-Encoding and Content-Length are set (refused: the two ends could disagree on where the body ends)';
    if (hasTe && !chunked)
      return `Transfer-Encoding ${codings.join(', ')} does not end in chunked, so the body length is unknown`;
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
    if (head.status === 101) methods.shift();
    return head;
  }
  const method = methods.shift() ?? 'GET';
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

/** The target: visible ASCII only (no controls, DEL or spaces), as llhttp requires. */
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e]+) (HTTP\/1\.[01])$/;
/** Origin form (/path), asterisk form, or absolute form (scheme://…), RFC 9112 §3.2. */
const TARGET_FORM = /^(?:\/|\*$|[A-Za-z][A-Za-z0-9+.-]*:\/\/)/;
const AUTHORITY_FORM = /^[^/?#@]+:\d+$/;
/** Node's parser answers 400 to any method it does not know; so do we. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(METHODS);
const STATUS_LINE = /^(HTTP\/1\.[01]) (\d{3})(?: (.*))?$/;
/** Every header line from `lastIndex` to the end: `token:value` CRLF, no control character but HTAB in values. */
// eslint-disable-next-line no-control-regex
const HEADER_LINES = /(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[^\x00-\x08\x0a-\x1f\x7f]*\r\n)*$/y;
/** One header (or trailer) line without its CRLF. */
// eslint-disable-next-line no-control-regex
export const HEADER_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[^\x00-\x08\x0a-\x1f\x7f]*$/;

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
    if (l.startsWith(' ') || l.startsWith('\t'))
      return 'a header is folded over two lines (obsolete line folding is not accepted)';
    const colon = l.indexOf(':');
    const name = colon > 0 ? l.slice(0, colon) : '';
    if (!TOKEN.test(name)) return `the header line ${JSON.stringify(l.slice(0, 80))} is malformed`;
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(l)) return `the header ${name} holds a control character`;
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
