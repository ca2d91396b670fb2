// Walk the strings of a decoded JSON value with their pointers: values, and object keys (a
// parameter's name is metadata a model reads too). Bounded: hostile values can be huge or deep.

import { joinPointer } from './jsonloc.js';

export interface StringAt {
  text: string;
  pointer: string;
  /** True for an object key (the pointer names that property). */
  key: boolean;
}

const MAX_DEPTH = 64;
const MAX_STRINGS = 50_000;

export function walkStrings(value: unknown, base = '', max = MAX_STRINGS): StringAt[] {
  const out: StringAt[] = [];
  const visit = (v: unknown, ptr: string, depth: number): void => {
    if (out.length >= max || depth > MAX_DEPTH) return;
    if (typeof v === 'string') out.push({ text: v, pointer: ptr, key: false });
    else if (Array.isArray(v)) v.forEach((x, i) => visit(x, joinPointer(ptr, i), depth + 1));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        const p = joinPointer(ptr, k);
        out.push({ text: k, pointer: p, key: true });
        visit(x, p, depth + 1);
      }
    }
  };
  visit(value, base, 0);
  return out;
}

/** Read a JSON pointer inside a value (undefined when it does not resolve). */
export function atPointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let cur: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Record<string, unknown>)[seg];
    else return undefined;
  }
  return cur;
}
