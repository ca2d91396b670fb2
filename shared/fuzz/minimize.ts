// Minimisation by greedy delta debugging over JSON values: try smaller variants (drop keys and
// elements, cut strings by halves down to single characters, move numbers toward 0) and keep
// the first that still triggers the same oracle, until none does or the budget runs out.
// Pure: the caller supplies the predicate (which talks to the server) and the budget.

import { setOwn } from './schema-arb.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Size used to accept only strictly smaller candidates (so minimisation always ends). */
export function weight(v: unknown): [number, number] {
  let magnitude = 0;
  const walk = (x: unknown): void => {
    if (typeof x === 'number') magnitude += Math.abs(x) + (Number.isInteger(x) ? 0 : 1);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (isObj(x)) Object.values(x).forEach(walk);
  };
  walk(v);
  return [JSON.stringify(v)?.length ?? 0, magnitude];
}

const smaller = (a: [number, number], b: [number, number]): boolean =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

export function* stringCandidates(s: string): Generator<string> {
  if (s.length === 0) return;
  yield '';
  const chars = [...s];
  for (let size = Math.max(1, chars.length >> 1); size >= 1; size >>= 1) {
    let tried = 0;
    for (let at = 0; at < chars.length && tried < 64; at += size, tried++)
      yield [...chars.slice(0, at), ...chars.slice(at + size)].join('');
    if (size === 1) break;
  }
}

function* numberCandidates(n: number): Generator<number> {
  yield 0;
  if (!Number.isInteger(n)) yield Math.trunc(n);
  if (Math.abs(n) > 1) {
    yield Math.trunc(n / 2);
    yield Math.sign(n);
  }
  if (n < 0) yield -n;
}

/** Every one-step-smaller variant of `v`, biggest cuts first. */
export function* candidates(v: unknown): Generator<unknown> {
  if (typeof v === 'string') yield* stringCandidates(v);
  else if (typeof v === 'number') yield* numberCandidates(v);
  else if (v === true) yield false;
  else if (Array.isArray(v)) {
    if (v.length > 1) {
      yield v.slice(0, v.length >> 1);
      yield v.slice(v.length >> 1);
    }
    for (let i = 0; i < v.length; i++) yield [...v.slice(0, i), ...v.slice(i + 1)];
    for (let i = 0; i < v.length; i++)
      for (const c of candidates(v[i])) yield [...v.slice(0, i), c, ...v.slice(i + 1)];
  } else if (isObj(v)) {
    const keys = Object.keys(v);
    const rebuild = (
      skip: string | undefined,
      key?: string,
      value?: unknown,
    ): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      for (const k of keys) if (k !== skip) setOwn(o, k, k === key ? value : v[k]);
      return o;
    };
    for (const k of keys) yield rebuild(k);
    for (const k of keys) for (const c of candidates(v[k])) yield rebuild(undefined, k, c);
  }
}

export interface MinimizeBudget {
  /** Most predicate runs (each one talks to the server). */
  maxRuns: number;
  /** Returns true when time is up. */
  expired?: () => boolean;
}

export async function minimizeJson(
  start: unknown,
  stillFails: (candidate: unknown) => Promise<boolean>,
  budget: MinimizeBudget,
): Promise<{ value: unknown; runs: number }> {
  return minimizeWith(start, candidates, stillFails, budget);
}

/** Greedy minimisation over any value, given its one-step-smaller variants. */
export async function minimizeWith<T>(
  start: T,
  variants: (v: T) => Iterable<T>,
  stillFails: (candidate: T) => Promise<boolean>,
  budget: MinimizeBudget,
): Promise<{ value: T; runs: number }> {
  let current = start;
  let runs = 0;
  let improved = true;
  while (improved && runs < budget.maxRuns && !budget.expired?.()) {
    improved = false;
    const w = weight(current);
    for (const c of variants(current)) {
      if (runs >= budget.maxRuns || budget.expired?.()) break;
      if (!smaller(weight(c), w)) continue;
      runs++;
      if (await stillFails(c)) {
        current = c;
        improved = true;
        break;
      }
    }
  }
  return { value: current, runs };
}
