// Evidence never carries a whole secret or a whole piece of personal data: a short prefix (enough
// to recognise the kind of token) and the length, so the report itself is safe to hand over.

import { visible } from '../text/visible.js';

export function maskSecret(s: string): string {
  const keep = s.length >= 16 ? 4 : s.length >= 8 ? 2 : 0;
  return `${visible(s.slice(0, keep))}…[${s.length} chars masked]`;
}

/** Personal data: keep the shape (an email's domain, a card's last four) but not the value. */
export function maskPii(kind: string, s: string): string {
  if (kind === 'email') {
    const at = s.indexOf('@');
    return at > 0 ? `${s[0]}***@${visible(s.slice(at + 1))}` : maskSecret(s);
  }
  const digits = s.replace(/\D/g, '');
  if (kind === 'card' || kind === 'iban' || kind === 'phone' || kind === 'national-id') {
    return `${'*'.repeat(Math.max(0, Math.min(digits.length, 16) - 4))}${digits.slice(-4)}`;
  }
  if (kind === 'ip') return s.replace(/\d+$/, 'x').replace(/[0-9a-f]+$/i, 'x');
  return maskSecret(s);
}

/** A short, printable excerpt of hostile text for messages (visible escapes, bounded length). */
export function excerpt(s: string, max = 120): string {
  const v = visible(s);
  return v.length > max ? `${v.slice(0, max - 1)}…` : v;
}
