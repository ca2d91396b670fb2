// Writing to the sockets of one client connection: what one processed chunk produced leaves in one
// write (Outbox), and the answers the proxy writes itself.

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** The body of the 503 for a request that arrives while the proxy is not (or no longer) serving. */
export const NOT_ACCEPTING = 'mcpscope is not accepting requests.\n';

/** A complete response written by the proxy itself; it always closes the connection after. */
export function ownResponse(status: number, contentType: string, body: string, extra = ''): Buffer {
  return Buffer.from(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`,
    'utf8',
  );
}

/** Add `b` to `parts`, joined to the last part when it continues it in the same memory. */
function gather(parts: Buffer[], b: Buffer): void {
  if (b.length === 0) return;
  const last = parts.at(-1);
  if (last && last.buffer === b.buffer && last.byteOffset + last.length === b.byteOffset) {
    parts[parts.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + b.length);
  } else parts.push(b);
}

/** One write for small output (no writev bookkeeping), corked writes for large. False when the socket is full. */
function sendAll(sock: Socket, parts: Buffer[]): boolean {
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

/**
 * Output of one client connection. While a received chunk is handled (`run`), what it produces for
 * each side is gathered and leaves in one write at the end; outside `run`, writes go out at once.
 */
export class Outbox {
  private depth = 0;
  private readonly clientOut: Buffer[] = [];
  private readonly targetOut: Buffer[] = [];
  private targetSock: Socket | undefined;
  /** The target socket whose last write filled its buffer. */
  fullTarget: Socket | undefined;
  /** The target's chunk being handled already reached the client whole: client output is dropped. */
  passed = false;

  constructor(private readonly client: Socket) {}

  /** Run `fn`, then send what it produced toward each side; false where that side is full. */
  run(fn: () => void): { client: boolean; target: boolean } {
    this.depth++;
    try {
      fn();
    } finally {
      this.depth--;
    }
    if (this.depth > 0) return { client: true, target: true };
    return { client: this.flushClient(), target: this.flushTarget() };
  }

  toClient(b: Uint8Array): void {
    if (this.passed) return; // this chunk already went out as it came
    const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    if (this.depth === 0) this.client.write(buf);
    else gather(this.clientOut, buf);
  }

  toTarget(sock: Socket, b: Buffer): void {
    if (this.depth === 0) {
      sock.write(b);
      return;
    }
    if (this.targetSock !== sock) {
      this.flushTarget();
      this.targetSock = sock;
    }
    gather(this.targetOut, b);
  }

  /** End the client connection after what is gathered for it. */
  endClient(last?: Buffer): void {
    this.flushClient();
    if (last) this.client.end(last);
    else this.client.end();
  }

  private flushClient(): boolean {
    return sendAll(this.client, this.clientOut.splice(0));
  }

  private flushTarget(): boolean {
    const sock = this.targetSock;
    this.targetSock = undefined;
    if (!sock) return true;
    const ok = sendAll(sock, this.targetOut.splice(0));
    this.fullTarget = ok ? undefined : sock;
    return ok;
  }
}
