// Bridges capture records to the protocol model, and payloads back to bytes.

import type { FrameInput } from '../protocol/messages.js';
import type { FrameRecord, Payload } from './types.js';

/** UTF-8 byte length of a string without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The payload's bytes as recorded (the first bytes only, when `truncated` is set). */
export function payloadBytes(p: Payload): Uint8Array {
  if (p.b64 !== undefined) return base64ToBytes(p.b64);
  return new TextEncoder().encode(p.text ?? '');
}

/** Size on the wire in bytes. */
export function payloadSize(p: Payload): number {
  if (p.truncated !== undefined) return p.truncated;
  if (p.text !== undefined) return utf8Length(p.text);
  const b64 = p.b64 ?? '';
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}

export function frameInput(r: FrameRecord): FrameInput {
  const f: FrameInput = {
    seq: r.seq,
    ts: r.ts,
    dir: r.dir,
    size: payloadSize(r),
    channel: r.channel,
  };
  if (r.text !== undefined) f.text = r.text;
  if (r.truncated !== undefined) f.truncated = r.truncated;
  return f;
}
