// Personal data in raw text, with validators rather than bare patterns: Luhn for card numbers,
// mod-97 for IBANs, the SSA's allocation rules for US SSNs, octet ranges and public address
// space for IPs. A number that fails its checksum is not reported.

import type { TextHit } from './secrets.js';

export function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

// IBAN lengths per country (ISO 13616 registry, the common ones).
const IBAN_LEN: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TR: 26,
  AE: 23,
  SA: 24,
  IL: 23,
  BR: 29,
  UA: 29,
  QA: 29,
};

export function ibanValid(raw: string): boolean {
  const s = raw.replace(/ /g, '').toUpperCase();
  const len = IBAN_LEN[s.slice(0, 2)];
  if (len === undefined || s.length !== len) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

const CARD_PREFIX =
  /^(?:4|5[1-5]|2(?:2[2-9]|[3-6]|7[01]|720)|3[47]|6(?:011|5|4[4-9])|35(?:2[89]|[3-8]))/;

/** Lengths each issuer uses (Amex 15, Visa 13/16/19, Mastercard 16, Discover/JCB 16–19). */
function cardLength(d: string): boolean {
  const n = d.length;
  if (/^3[47]/.test(d)) return n === 15;
  if (d.startsWith('4')) return n === 13 || n === 16 || n === 19;
  if (/^(?:5|2)/.test(d)) return n === 16;
  return n >= 16 && n <= 19;
}

function publicIpv4(s: string): boolean {
  const o = s.split('.').map(Number);
  if (o.length !== 4 || o.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return false;
  const [a, b] = o as [number, number, number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  // Documentation ranges (RFC 5737) are examples, not someone's address.
  if (
    (a === 192 && b === 0) ||
    (a === 198 && (b === 51 || b === 18 || b === 19)) ||
    (a === 203 && b === 0)
  )
    return false;
  return true;
}

// Reserved and internal-only names are examples or hosts, not someone's mailbox.
const EXAMPLE_DOMAIN =
  /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local|internal|lan|localdomain|home\.arpa)$/i;

interface PiiPattern {
  kind: string;
  label: string;
  /** Cheap test that must pass before the full pattern runs (most texts have no '@', no '+'…). */
  hint: RegExp;
  re: RegExp;
  check: (v: string, text: string, start: number) => boolean;
}

const PATTERNS: PiiPattern[] = [
  {
    kind: 'email',
    label: 'email address',
    hint: /@/,
    re: /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b/g,
    // npm-style `pkg@1.2.3` and `git@host` are not mailboxes; reserved domains are examples.
    check: (v) =>
      !EXAMPLE_DOMAIN.test(v.slice(v.indexOf('@') + 1)) &&
      !/\.(?:png|jpe?g|gif|svg|js|ts|json)$/i.test(v),
  },
  {
    kind: 'card',
    label: 'payment card number',
    hint: /[2-6]\d{3}/,
    // Issuer prefixes start with 2–6, which also skips most ids and timestamps cheaply.
    re: /(?<![\d.-])[2-6]\d(?:[ -]?\d){11,17}(?![\d.-])/g,
    check: (v) => {
      const d = v.replace(/\D/g, '');
      return CARD_PREFIX.test(d) && cardLength(d) && !/^(\d)\1+$/.test(d) && luhn(d);
    },
  },
  {
    kind: 'iban',
    label: 'IBAN',
    hint: /[A-Z]{2}\d{2}/,
    re: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
    check: (v) => ibanValid(v),
  },
  {
    kind: 'national-id',
    label: 'US Social Security number',
    hint: /\d-\d\d-\d/,
    re: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g,
    check: (v, text, start) => !/\d{4}-$/.test(text.slice(Math.max(0, start - 5), start)),
  },
  {
    kind: 'phone',
    label: 'phone number',
    hint: /\+[1-9]/,
    // International form only (+CC …): bare digit runs are ids and timestamps far more often.
    re: /(?<![\w+])\+[1-9]\d{0,2}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}(?![\w])/g,
    check: (v) => {
      const n = v.replace(/\D/g, '').length;
      return n >= 9 && n <= 15;
    },
  },
  {
    kind: 'ip',
    label: 'public IP address',
    hint: /\d\.\d+\.\d/,
    re: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g,
    check: (v, text, start) =>
      publicIpv4(v) && !/v(?:ersion)?\s*$/i.test(text.slice(Math.max(0, start - 9), start)),
  },
];

export function findPii(text: string): TextHit[] {
  const hits: TextHit[] = [];
  for (const p of PATTERNS) {
    if (!p.hint.test(text)) continue;
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    let guard = 0;
    while ((m = p.re.exec(text)) && guard++ < 1000) {
      const start = m.index;
      const end = start + m[0].length;
      if (!p.check(m[0], text, start)) continue;
      if (hits.some((h) => start < h.end && end > h.start)) continue;
      hits.push({ rule: `pii.${p.kind}`, dataClass: `pii:${p.kind}`, label: p.label, start, end });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}
