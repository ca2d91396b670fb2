// Decoders for text hidden from a reviewer but readable by a model: base64 (and URL-safe), hex,
// base32, ROT13, percent-encoding, \u / \x escapes and HTML numeric entities. Each yields the
// decoded text and where the encoded run was, so the finding points at it.

export interface Decoded {
  how: 'base64' | 'hex' | 'base32' | 'rot13' | 'url' | 'escape';
  text: string;
  start: number;
  end: number;
}

function printable(t: string): boolean {
  if (t.length === 0) return false;
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x09 || c >= 0xa0) n++;
  }
  return n / t.length > 0.95 && /\s/.test(t) && /[a-z]{3}/i.test(t);
}

const utf8 = (bytes: number[]): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return '';
  }
};

function base64(run: string): string {
  try {
    const bin = atob(
      run
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .replace(/=+$/, '')
        .padEnd(Math.ceil(run.replace(/=+$/, '').length / 4) * 4, '='),
    );
    return utf8(Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

function base32(run: string): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of run.replace(/=+$/, '')) {
    const v = A.indexOf(c);
    if (v < 0) return '';
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return utf8(out);
}

export const rot13 = (s: string): string =>
  s.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });

const COMMON =
  /\b(?:the|and|to|you|your|are|is|now|of|this|that|with|before|file|user|send|read|include|all|any|must|tool|into|from|do|not|it|as|in|for|rules|instructions)\b/gi;
const commonWords = (s: string): number => (s.match(COMMON) ?? []).length;

const MAX_RUNS = 40;

/** Every decodable run in `s` whose decoded form is readable text. */
export function decodeAll(s: string): Decoded[] {
  const out: Decoded[] = [];
  const push = (how: Decoded['how'], text: string, start: number, end: number): void => {
    if (out.length < MAX_RUNS && printable(text)) out.push({ how, text, start, end });
  };
  let m: RegExpExecArray | null;
  let guard = 0;
  const B32 = /\b[A-Z2-7]{24,}={0,6}/g;
  while ((m = B32.exec(s)) && guard++ < MAX_RUNS)
    push('base32', base32(m[0]), m.index, m.index + m[0].length);
  const RUN = /[A-Za-z0-9+/]{20,}={0,2}|[A-Za-z0-9_-]{20,}={0,2}/g;
  guard = 0;
  while ((m = RUN.exec(s)) && guard++ < MAX_RUNS) {
    const run = m[0];
    if (/^(?:[0-9a-fA-F]{2})+$/.test(run))
      push(
        'hex',
        utf8(run.match(/../g)!.map((h) => parseInt(h, 16))),
        m.index,
        m.index + run.length,
      );
    else if (!/^[A-Z2-7]+=*$/.test(run)) push('base64', base64(run), m.index, m.index + run.length);
  }
  const PCT = /(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9._~!*'()-]){12,}/g;
  guard = 0;
  while ((m = PCT.exec(s)) && guard++ < MAX_RUNS) {
    if ((m[0].match(/%[0-9A-Fa-f]{2}/g) ?? []).length < 4) continue;
    try {
      push('url', decodeURIComponent(m[0]), m.index, m.index + m[0].length);
    } catch {
      /* not valid percent-encoding */
    }
  }
  const ESC = /(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|&#x?[0-9A-Fa-f]{2,6};){6,}/g;
  guard = 0;
  while ((m = ESC.exec(s)) && guard++ < MAX_RUNS) {
    const text = m[0].replace(
      /\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})|&#(x?)([0-9A-Fa-f]{2,6});/g,
      (_, u: string, x: string, isHex: string, e: string) =>
        String.fromCodePoint(
          u ? parseInt(u, 16) : x ? parseInt(x, 16) : parseInt(e, isHex ? 16 : 10),
        ),
    );
    push('escape', text, m.index, m.index + m[0].length);
  }
  // ROT13: a run of words that reads as far more English once rotated.
  const WORDS = /[A-Za-z][A-Za-z ,.'`~/_-]{30,}/g;
  guard = 0;
  while ((m = WORDS.exec(s)) && guard++ < MAX_RUNS) {
    const r = rot13(m[0]);
    const after = commonWords(r);
    if (after >= 3 && after > 2 * commonWords(m[0]) + 1)
      push('rot13', r, m.index, m.index + m[0].length);
  }
  return out;
}
