// Writing to a socket: what one processed chunk produced leaves in one write, and the answers
// the proxy writes itself.

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** A complete response written by the proxy itself; it always closes the connection after. */
export function ownResponse(status: number, contentType: string, body: string, extra = ''): Buffer {
  return Buffer.from(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`,
    'utf8',
  );
}

/** Add `b` to `parts`, joined to the last part when it continues it in the same memory. */
export function gather(parts: Buffer[], b: Buffer): void {
  if (b.length === 0) return;
  const last = parts.at(-1);
  if (last && last.buffer === b.buffer && last.byteOffset + last.length === b.byteOffset) {
    parts[parts.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + b.length);
  } else parts.push(b);
}

/** One write for small output (no writev bookkeeping), corked writes for large. False when the socket is full. */
export function sendAll(sock: Socket, parts: Buffer[]): boolean {
  if (parts.length === 0 || sock.destroyed) return true;
  if (parts.length === 1) return sock.write(parts[0]!);
  let total = 0;
  for (const p of parts) total += p.length;
  if (total <= 256 * 1024) return sock.write(Buffer.concat(parts, total));
  sock.cork();
  let ok = true;
  for (const p of parts) ok = sock.write(p);
  sock.uncork();
  return ok;
}
