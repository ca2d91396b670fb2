// Minimisation of protocol-level and framing-level cases. A protocol case shrinks line by line:
// drop whole lines, then shrink each JSON line as a JSON value (drop keys and elements, cut
// strings, move numbers toward 0) and each non-JSON line as text. A framing case shrinks as
// bytes: merge the chunks, drop chunks, cut byte ranges. Every variant gets its ids recomputed:
// a conforming server must still answer only the well-formed requests the variant still holds.

import { idKey } from '../protocol/jsonrpc.js';
import { candidates, stringCandidates } from './minimize.js';
import type { FramingCase, ProtocolCase } from './types.js';

/** Lines longer than this, or nested deeper, shrink as text (JSON shrinking would recurse too far). */
const MAX_JSON_LINE = 8192;
const MAX_JSON_DEPTH = 64;

function depth(s: string): number {
  let d = 0;
  let max = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) max = Math.max(max, ++d);
    else if (ch === 0x5d || ch === 0x7d) d--;
  }
  return max;
}

function parsed(line: string): { ok: true; value: unknown } | { ok: false } {
  if (line.length > MAX_JSON_LINE || depth(line) > MAX_JSON_DEPTH) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Every one-step-smaller variant of a protocol case's lines, biggest cuts first. */
export function* lineVariants(lines: readonly string[]): Generator<string[]> {
  if (lines.length > 1)
    for (let i = 0; i < lines.length; i++) yield lines.filter((_, k) => k !== i);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const p = parsed(line);
    const put = (l: string): string[] => [...lines.slice(0, i), l, ...lines.slice(i + 1)];
    if (p.ok) for (const c of candidates(p.value)) yield put(JSON.stringify(c) ?? 'null');
    else for (const c of stringCandidates(line)) yield put(c);
  }
}

/**
 * Every one-step-smaller variant of a framing case's chunks (binary strings), biggest cuts first.
 * Input that ended with a newline keeps it: otherwise the next line written (a sync ping) would
 * complete the cut line, and the reproducer, which writes nothing after it, would not reproduce.
 */
export function* chunkVariants(chunks: readonly string[]): Generator<string[]> {
  const nl = chunks.join('').endsWith('\n');
  for (const v of allChunkVariants(chunks)) if (!nl || v.join('').endsWith('\n')) yield v;
}

function* allChunkVariants(chunks: readonly string[]): Generator<string[]> {
  if (chunks.length > 1) {
    yield [chunks.join('')];
    for (let i = 0; i < chunks.length; i++) yield chunks.filter((_, k) => k !== i);
  }
  for (let i = 0; i < chunks.length; i++)
    for (const c of stringCandidates(chunks[i]!))
      if (c !== '') yield [...chunks.slice(0, i), c, ...chunks.slice(i + 1)];
}

type Id = string | number;
const isId = (v: unknown): v is Id => typeof v === 'string' || typeof v === 'number';

/** The ids of the requests in one JSON-RPC line: well-formed ones, and any id at all. */
function idsOf(line: string): { wellFormed: string[]; any: string[] } {
  const out = { wellFormed: [] as string[], any: [] as string[] };
  const p = parsed(line);
  if (!p.ok) return out;
  for (const m of Array.isArray(p.value) ? p.value : [p.value]) {
    if (typeof m !== 'object' || m === null || !('id' in m)) continue;
    const { id, jsonrpc, method } = m as { id?: unknown; jsonrpc?: unknown; method?: unknown };
    if (!isId(id)) continue;
    out.any.push(idKey(id));
    if (!Array.isArray(p.value) && jsonrpc === '2.0' && typeof method === 'string')
      out.wellFormed.push(idKey(id));
  }
  return out;
}

function answers(
  original: { mustAnswer: string[]; mayAnswer: string[] },
  lines: readonly string[],
): { mustAnswer: string[]; mayAnswer: string[] } {
  const ids = lines.map(idsOf);
  const wellFormed = new Set(ids.flatMap((i) => i.wellFormed));
  const mustAnswer = original.mustAnswer.filter((k) => wellFormed.has(k));
  const may = new Set([...original.mayAnswer, ...ids.flatMap((i) => i.any)]);
  for (const k of mustAnswer) may.delete(k);
  // An id the original had to answer may still be answered once the variant breaks its request.
  for (const k of original.mustAnswer) if (!wellFormed.has(k)) may.add(k);
  return { mustAnswer, mayAnswer: [...may] };
}

export function withLines(c: ProtocolCase, lines: string[]): ProtocolCase {
  return { ...c, lines, ...answers(c, lines) };
}

const dec = new TextDecoder('utf-8');
const utf8 = (binary: string): string =>
  dec.decode(Uint8Array.from(binary, (x) => x.charCodeAt(0)));

export function withChunks(c: FramingCase, chunks: string[]): FramingCase {
  const lines = utf8(chunks.join('')).split('\n');
  // Only complete lines (newline-terminated) are requests a server reads.
  return { ...c, chunks, ...answers(c, lines.slice(0, -1)) };
}

/** Bytes (a binary string) as printable text: ASCII as is, `\\`, and `\xHH` for everything else. */
export function escapeBytes(binary: string): string {
  let out = '';
  for (let i = 0; i < binary.length; i++) {
    const b = binary.charCodeAt(i);
    if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += binary[i];
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}
