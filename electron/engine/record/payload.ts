// Turns framed bytes into a capture payload: exact text when the bytes are UTF-8, else base64.
import { isUtf8 } from 'node:buffer';
import type { Frame, Payload } from '../../../shared/capture/index.js';

export function toPayload(frame: Frame, eol = true): Payload {
  const buf = Buffer.from(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.byteLength);
  const p: Payload = isUtf8(buf) ? { text: buf.toString('utf8') } : { b64: buf.toString('base64') };
  if (!eol) p.eol = false;
  if (frame.truncated !== undefined) p.truncated = frame.truncated;
  return p;
}
