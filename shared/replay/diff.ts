// Normalised JSON diff at JSON-pointer level. Rules say what is not a difference: pointers to
// ignore (`--ignore /result/content/0/text`) and patterns to normalise on both sides before
// comparing (timestamps by default). Keys are compared as own properties, so `__proto__` and
// `constructor` sent by a server are plain data.

import { joinPointer, PointerPattern } from './pointer.js';

export interface Normaliser {
  /** What it is, for messages (e.g. "ISO-8601 timestamp"). */
  name: string;
  /** Global regular expression; every match is replaced by `replace` on both sides. */
  pattern: RegExp;
  replace: string;
  /** Only under these pointers (default: everywhere). */
  under?: PointerPattern[];
}

export interface DiffRules {
  ignore: PointerPattern[];
  normalise: Normaliser[];
}

/** One place where the replayed value differs. `recorded`/`replayed` absent: no value on that side. */
export interface ValueDifference {
  pointer: string;
  recorded?: unknown;
  replayed?: unknown;
}

/** Timestamps vary on every run; they are normalised unless the caller drops these rules. */
export const DEFAULT_NORMALISERS: readonly Normaliser[] = [
  {
    name: 'ISO-8601 timestamp',
    pattern: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b/g,
    replace: '<timestamp>',
  },
  {
    name: 'HTTP date',
    pattern:
      /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT\b/g,
    replace: '<timestamp>',
  },
];

export function makeRules(
  opts: { ignore?: string[]; normalise?: Normaliser[]; defaults?: boolean } = {},
): DiffRules {
  return {
    ignore: (opts.ignore ?? []).map((p) => new PointerPattern(p)),
    normalise: [...(opts.defaults === false ? [] : DEFAULT_NORMALISERS), ...(opts.normalise ?? [])],
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function normaliseString(s: string, pointer: string, rules: DiffRules): string {
  let out = s;
  for (const n of rules.normalise) {
    if (n.under && !n.under.some((u) => u.covers(pointer))) continue;
    n.pattern.lastIndex = 0;
    out = out.replace(n.pattern, n.replace);
  }
  return out;
}

/** At most this many differences per compared pair; a total rewrite does not flood the report. */
export const MAX_DIFFERENCES_PER_VALUE = 200;

/** Every pointer where `replayed` differs from `recorded` under the rules, in document order. */
export function diffValues(
  recorded: unknown,
  replayed: unknown,
  rules: DiffRules,
  base = '',
): ValueDifference[] {
  const out: ValueDifference[] = [];
  walk(recorded, replayed, base, rules, out, true, true);
  return out;
}

function push(
  out: ValueDifference[],
  pointer: string,
  rec: unknown,
  hasRec: boolean,
  rep: unknown,
  hasRep: boolean,
): void {
  if (out.length >= MAX_DIFFERENCES_PER_VALUE) return;
  const d: ValueDifference = { pointer };
  if (hasRec) d.recorded = rec;
  if (hasRep) d.replayed = rep;
  out.push(d);
}

function walk(
  rec: unknown,
  rep: unknown,
  pointer: string,
  rules: DiffRules,
  out: ValueDifference[],
  hasRec: boolean,
  hasRep: boolean,
): void {
  if (out.length >= MAX_DIFFERENCES_PER_VALUE) return;
  if (rules.ignore.some((p) => p.covers(pointer))) return;
  if (!hasRec || !hasRep) {
    push(out, pointer, rec, hasRec, rep, hasRep);
    return;
  }
  if (Array.isArray(rec) && Array.isArray(rep)) {
    const n = Math.max(rec.length, rep.length);
    for (let i = 0; i < n; i++)
      walk(rec[i], rep[i], joinPointer(pointer, i), rules, out, i < rec.length, i < rep.length);
    return;
  }
  if (isObject(rec) && isObject(rep)) {
    for (const k of Object.keys(rec))
      walk(rec[k], rep[k], joinPointer(pointer, k), rules, out, true, hasOwn(rep, k));
    for (const k of Object.keys(rep))
      if (!hasOwn(rec, k))
        walk(undefined, rep[k], joinPointer(pointer, k), rules, out, false, true);
    return;
  }
  if (typeof rec === 'string' && typeof rep === 'string') {
    if (
      rec === rep ||
      normaliseString(rec, pointer, rules) === normaliseString(rep, pointer, rules)
    )
      return;
    push(out, pointer, rec, true, rep, true);
    return;
  }
  if (rec === rep || (Number.isNaN(rec) && Number.isNaN(rep))) return;
  push(out, pointer, rec, true, rep, true);
}
