// Legacy HTTP+SSE (2024-11-05): the server's first SSE event, `endpoint`, names the URL the client
// must POST to. A relative URL resolves against the proxy already; an absolute URL pointing at the
// target would send the client around the proxy, so the proxy rewrites it to its own origin.

import { SseParser } from './sse.js';

export interface EndpointRewrite {
  /** The data the client should receive. */
  data: string;
  /** True when `data` differs from what the server sent. */
  rewritten: boolean;
  /** Absolute URL on another origin than the target: left alone, but the client bypasses the proxy. */
  foreign: boolean;
}

/** Rewrite an `endpoint` event's data so the POST URL goes through the proxy. */
export function rewriteEndpoint(
  data: string,
  targetUrl: string,
  proxyOrigin: string,
): EndpointRewrite {
  const trimmed = data.trim();
  let abs: URL;
  try {
    abs = new URL(trimmed);
  } catch {
    return { data, rewritten: false, foreign: false }; // relative: resolves against the proxy
  }
  let target: URL;
  try {
    target = new URL(targetUrl);
  } catch {
    return { data, rewritten: false, foreign: false };
  }
  if (abs.origin !== target.origin) return { data, rewritten: false, foreign: true };
  return {
    data: `${proxyOrigin}${abs.pathname}${abs.search}${abs.hash}`,
    rewritten: true,
    foreign: false,
  };
}

export interface FirstEventResult {
  /** Bytes to forward now. */
  out: Uint8Array[];
  /** Set once the first event has been looked at: the original and new data of an endpoint event. */
  endpoint?: { original: string; data: string; rewritten: boolean; foreign: boolean };
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

/** Index just past the first blank line (event terminator), or -1. Handles \n, \r\n and \r. */
function eventEnd(b: Uint8Array): number {
  let prevEol = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 13 || c === 10) {
      const crlf = c === 13 && b[i + 1] === 10;
      if (c === 13 && i + 1 === b.length) return -1; // "\r" at the end: a "\n" may follow
      if (prevEol) return i + (crlf ? 2 : 1);
      prevEol = true;
      if (crlf) i++;
    } else {
      prevEol = false;
    }
  }
  return -1;
}

/**
 * Holds back an SSE stream's bytes until its first event is complete, rewrites that event if it
 * is a legacy `endpoint` event with an absolute URL on the target, then passes every later byte
 * through untouched. A client cannot act on an incomplete event, so holding it adds no delay a
 * client could observe; past `maxHold` bytes it gives up and forwards unchanged.
 */
export class FirstEventRewriter {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private done = false;

  constructor(
    private readonly targetUrl: string,
    private readonly proxyOrigin: string,
    private readonly maxHold = 64 * 1024,
  ) {}

  push(chunk: Uint8Array): FirstEventResult {
    if (this.done) return { out: [chunk] };
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const all = this.concat();
    const end = eventEnd(all);
    if (end < 0) {
      if (this.heldBytes > this.maxHold) return this.release(all);
      return { out: [] };
    }
    this.done = true;
    this.held = [];
    const first = all.subarray(0, end);
    const rest = all.subarray(end);
    const rewritten = this.rewrite(first);
    if (!rewritten) return { out: [all] };
    const out = [rewritten.bytes];
    if (rest.length > 0) out.push(rest);
    return { out, endpoint: rewritten.info };
  }

  /** The stream ended: whatever is held goes out unchanged. */
  flush(): Uint8Array[] {
    if (this.done || this.heldBytes === 0) return [];
    return this.release(this.concat()).out;
  }

  private release(all: Uint8Array): FirstEventResult {
    this.done = true;
    this.held = [];
    return { out: [all] };
  }

  private concat(): Uint8Array {
    if (this.held.length === 1) return this.held[0]!;
    const out = new Uint8Array(this.heldBytes);
    let at = 0;
    for (const p of this.held) {
      out.set(p, at);
      at += p.length;
    }
    this.held = [out];
    return out;
  }

  private rewrite(
    event: Uint8Array,
  ): { bytes: Uint8Array; info: NonNullable<FirstEventResult['endpoint']> } | undefined {
    // What the event means is the shared parser's business; only the bytes are handled here.
    const [ev] = new SseParser().push(event);
    if (!ev || ev.event !== 'endpoint' || !ev.hasData || ev.data.includes('\n')) return undefined; // multi-line data: not a URL
    const original = ev.data;
    const r = rewriteEndpoint(original, this.targetUrl, this.proxyOrigin);
    const info = { original, data: r.data, rewritten: r.rewritten, foreign: r.foreign };
    if (!r.rewritten) return { bytes: event, info };
    // Replace the value of the one data line; every other byte (line ends, other fields) stays.
    const text = dec.decode(event);
    const m = /(?:^|[\r\n])data: ?/.exec(text);
    if (!m) return undefined;
    const at = m.index + m[0].length;
    return {
      bytes: enc.encode(`${text.slice(0, at)}${r.data}${text.slice(at + original.length)}`),
      info,
    };
  }
}
