// Encode/decode one capture line, hash-chained.
//
// A line is the record's JSON followed by its hash as the last member:
//   {"seq":3,"ts":…,"type":"frame",…,"hash":"<64 hex>"}
// hash = sha256(previous line's hash + "\n" + the line without its hash member), where "the line
// without its hash member" is exactly the bytes before `,"hash":` plus the closing brace. The
// header (seq 0) chains from the empty string. Verification works on the text as written, so no
// re-serialisation can hide an edit.

import type { HashFn } from './hash.js';

const HASH_SUFFIX_LEN = ',"hash":"'.length + 64 + '"}'.length;
const HEX64 = /^[0-9a-f]{64}$/;

export function encodeLine(
  record: object,
  prevHash: string,
  hash: HashFn,
): { line: string; hash: string } {
  return chainBody(JSON.stringify(record), prevHash, hash);
}

/** Chain an already serialised record body (e.g. one with a signature appended). */
export function chainBody(
  body: string,
  prevHash: string,
  hash: HashFn,
): { line: string; hash: string } {
  const h = hash(`${prevHash}\n${body}`);
  return { line: `${body.slice(0, -1)},"hash":"${h}"}`, hash: h };
}

/** Split a line into the hashed body and the stored hash; undefined if it has no hash member. */
export function splitHash(line: string): { body: string; hash: string } | undefined {
  if (line.length < HASH_SUFFIX_LEN + 2 || !line.endsWith('"}')) return undefined;
  const cut = line.length - HASH_SUFFIX_LEN;
  if (line.slice(cut, cut + 9) !== ',"hash":"') return undefined;
  const h = line.slice(cut + 9, line.length - 2);
  if (!HEX64.test(h)) return undefined;
  return { body: `${line.slice(0, cut)}}`, hash: h };
}
