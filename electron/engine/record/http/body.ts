// Collecting body bytes for the record (the wire copy is forwarded chunk by chunk, never from here),
// and undoing Content-Encoding so compressed bodies are recorded as the JSON they carry.

import { isUtf8 } from 'node:buffer';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Payload } from '../../../../shared/capture/index.js';

export const DEFAULT_MAX_BODY_BYTES = 128 * 1024 * 1024;

/** Keeps the first `max` bytes of a body and counts the rest. */
export class BodyCollector {
  private parts: Buffer[] = [];
  private kept = 0;
  private seen = 0;

  constructor(private readonly max = DEFAULT_MAX_BODY_BYTES) {}

  push(chunk: Buffer): void {
    this.seen += chunk.length;
    const room = this.max - this.kept;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.parts.push(part);
    this.kept += part.length;
  }

  get size(): number {
    return this.seen;
  }

  /** The body as a capture payload, or undefined when it was empty. */
  payload(): Payload | undefined {
    if (this.seen === 0) return undefined;
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.kept);
    return bufferPayload(buf, this.seen > this.kept ? this.seen : undefined);
  }
}

export function bufferPayload(buf: Buffer, truncated?: number): Payload {
  const p: Payload = isUtf8(buf) ? { text: buf.toString('utf8') } : { b64: buf.toString('base64') };
  if (truncated !== undefined) p.truncated = truncated;
  return p;
}

/** A decompressor for a Content-Encoding we can undo, or undefined for identity/unknown codings. */
export function decoderFor(contentEncoding: string | undefined): Transform | undefined {
  const enc = contentEncoding?.trim().toLowerCase();
  if (!enc || enc === 'identity') return undefined;
  if (enc === 'gzip' || enc === 'x-gzip') return createGunzip();
  if (enc === 'deflate') return createInflate();
  if (enc === 'br') return createBrotliDecompress();
  return undefined;
}

/**
 * Routes a body's chunks to `sink` in order, through a decompressor when the body is encoded.
 * `end` runs once every decoded byte has reached the sink. Decoding errors go to `onError` and the
 * raw bytes stay forwarded: only the record suffers.
 */
export class DecodedTap {
  private readonly decoder: Transform | undefined;
  private ended = false;

  constructor(
    contentEncoding: string | undefined,
    private readonly sink: (chunk: Buffer) => void,
    private readonly onEnd: () => void,
    onError: (err: Error) => void,
  ) {
    this.decoder = decoderFor(contentEncoding);
    if (this.decoder) {
      this.decoder.on('data', (c: Buffer) => this.sink(c));
      this.decoder.on('end', () => this.finish());
      this.decoder.on('error', (e: Error) => {
        onError(e);
        this.finish();
      });
    }
  }

  push(chunk: Buffer): void {
    if (this.ended) return;
    if (this.decoder) this.decoder.write(chunk);
    else this.sink(chunk);
  }

  end(): void {
    if (this.decoder) this.decoder.end();
    else this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
