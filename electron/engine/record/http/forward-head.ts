// The request head as the target should see it: the client's bytes, except that the Host value
// names the target (added after the request line when the client sent none) and a stale mcpscope
// UI cookie is dropped. Pure: it returns the parts to write, in order.

import { stripOwnCookies } from './own-cookies.js';
import type { Head } from './wire.js';

/** `hostValue` is ` host[:port]` of the target (ProxyContext.hostValue). */
export function headForTarget(head: Head, hostValue: Buffer): Buffer[] {
  const raw = head.raw;
  const r = head.hosts[0];
  const stripped = stripOwnCookies(raw);
  if (stripped !== raw) {
    // Rare (a stale mcpscope UI cookie): rebuild the head without it, Host renamed as below.
    const text = stripped.toString('latin1').replace(/\r\nhost:[^\r]*/i, '');
    const sl = text.indexOf('\r\n') + 2;
    return [
      Buffer.from(
        `${text.slice(0, sl)}Host:${hostValue.toString('latin1')}\r\n${text.slice(sl)}`,
        'latin1',
      ),
    ];
  }
  if (r) return [raw.subarray(0, r[0]), hostValue, raw.subarray(r[1])];
  const sl = head.startLine.length + 2;
  return [
    raw.subarray(0, sl),
    Buffer.from(`Host:${hostValue.toString('latin1')}\r\n`, 'latin1'),
    raw.subarray(sl),
  ];
}
