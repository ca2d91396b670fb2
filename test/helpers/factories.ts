// Fixture factories: frames and JSON-RPC messages for unit tests.
import type { Direction, FrameInput } from '../../shared/protocol/index.js';

let nextSeq = 1;

export function makeFrame(dir: Direction, message: unknown, over: Partial<FrameInput> = {}): FrameInput {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  const seq = over.seq ?? nextSeq++;
  return { seq, ts: over.ts ?? seq * 10, dir, text, size: Buffer.byteLength(text), ...over };
}

export const req = (id: string | number, method: string, params?: unknown) => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params === undefined ? {} : { params }),
});
export const note = (method: string, params?: unknown) => ({
  jsonrpc: '2.0',
  method,
  ...(params === undefined ? {} : { params }),
});
export const res = (id: string | number, result: unknown = {}) => ({ jsonrpc: '2.0', id, result });
export const err = (id: string | number | null, code: number, message: string) => ({
  jsonrpc: '2.0',
  id,
  error: { code, message },
});
