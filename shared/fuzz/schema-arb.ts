// JSON Schema → fast-check arbitraries: valid values, boundary-biased values and attack strings
// that still satisfy the schema. Invalid values are made from valid ones by `mutate.ts`.
// The schema is hostile input: every keyword is checked before use, unknown shapes fall back to
// "any JSON", and recursion is bounded.

import fc from 'fast-check';
import { ATTACK_STRINGS, PROTOTYPE_KEYS, UNICODE_EDGES } from './attacks.js';
import type { JsonSchema } from './types.js';

export type Flavor = 'random' | 'boundary' | 'attack';

const MAX_DEPTH = 4;
const isObj = (v: unknown): v is JsonSchema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** Sets an own property even for `__proto__` (plain assignment would change the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function types(s: JsonSchema): string[] {
  const t = s.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  if (isObj(s.properties) || Array.isArray(s.required)) return ['object'];
  if (isObj(s.items)) return ['array'];
  return [];
}

export function properties(s: JsonSchema): [string, JsonSchema][] {
  if (!isObj(s.properties)) return [];
  return Object.entries(s.properties).map(([k, v]) => [k, isObj(v) ? v : {}]);
}

export function required(s: JsonSchema): string[] {
  return Array.isArray(s.required)
    ? s.required.filter((x): x is string => typeof x === 'string')
    : [];
}

const anyJson = fc.jsonValue({ maxDepth: 2 });

/** Uniform over a dictionary (constantFrom favours its first entries). */
const pick = <T>(pool: readonly T[]): fc.Arbitrary<T> =>
  fc.nat().map((i) => pool[(Math.imul(i, 0x9e3779b1) >>> 0) % pool.length]!);

function stringArb(s: JsonSchema, flavor: Flavor): fc.Arbitrary<string> {
  const minLength = Math.max(0, Math.floor(num(s.minLength) ?? 0));
  const maxLength = Math.max(minLength, Math.min(Math.floor(num(s.maxLength) ?? 64), 4096));
  const fits = (x: string) => x.length >= minLength && x.length <= maxLength;
  const random = fc.string({
    minLength,
    maxLength: Math.min(maxLength, minLength + 24),
    unit: 'binary', // code points, as JSON Schema counts length
  });
  if (flavor === 'random') return random;
  const pool =
    flavor === 'attack'
      ? ATTACK_STRINGS.filter(fits)
      : [
          ...UNICODE_EDGES,
          // Quote and escape characters: the classic boundary of string handling.
          "'",
          '"',
          '\\',
          'a'.repeat(minLength),
          'x'.repeat(maxLength),
          'A'.repeat(Math.min(maxLength, 4096)),
        ].filter(fits);
  return pool.length > 0
    ? fc.oneof({ weight: 3, arbitrary: pick(pool) }, { weight: 1, arbitrary: random })
    : random;
}

function numberArb(s: JsonSchema, integer: boolean, flavor: Flavor): fc.Arbitrary<number> {
  let min = num(s.minimum);
  let max = num(s.maximum);
  const exMin = num(s.exclusiveMinimum);
  const exMax = num(s.exclusiveMaximum);
  if (exMin !== undefined)
    min = integer ? Math.floor(exMin) + 1 : exMin + Number.EPSILON * Math.max(1, Math.abs(exMin));
  if (exMax !== undefined)
    max = integer ? Math.ceil(exMax) - 1 : exMax - Number.EPSILON * Math.max(1, Math.abs(exMax));
  if (min !== undefined && max !== undefined && min > max) max = min;
  const random = integer
    ? fc.integer({
        min: Math.max(min ?? -1000, Number.MIN_SAFE_INTEGER),
        max: Math.min(max ?? 1000, Number.MAX_SAFE_INTEGER),
      })
    : fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
  if (flavor === 'random') return random;
  const inRange = (x: number) => (min === undefined || x >= min) && (max === undefined || x <= max);
  const edges = [
    0,
    -1,
    1,
    min,
    max,
    integer ? Number.MAX_SAFE_INTEGER : 1.7976931348623157e308,
    integer ? Number.MIN_SAFE_INTEGER : -Number.MAX_VALUE,
    2 ** 31,
    -(2 ** 31),
    2 ** 53,
  ];
  if (!integer) edges.push(0.1, -0.0, Number.EPSILON, 1e-300);
  const pool = [
    ...new Set(
      edges.filter(
        (x): x is number => x !== undefined && inRange(x) && (!integer || Number.isInteger(x)),
      ),
    ),
  ];
  return pool.length > 0 ? fc.oneof(fc.constantFrom(...pool), random) : random;
}

/** An arbitrary of values that satisfy `schema` (for the keywords we understand). */
export function valueArb(schema: unknown, flavor: Flavor, depth = 0): fc.Arbitrary<unknown> {
  if (!isObj(schema)) return anyJson;
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return fc.constantFrom(...(schema.enum as unknown[]));
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = schema[k];
    if (Array.isArray(alts) && alts.length > 0)
      return fc.oneof(...alts.slice(0, 8).map((a) => valueArb(a, flavor, depth + 1)));
  }
  if (Array.isArray(schema.allOf) && isObj(schema.allOf[0]))
    return valueArb({ ...schema.allOf[0], ...schema, allOf: undefined }, flavor, depth + 1);
  const ts = types(schema);
  if (ts.length === 0) return anyJson;
  return fc.oneof(...ts.map((t) => typedArb(schema, t, flavor, depth)));
}

function typedArb(s: JsonSchema, t: string, flavor: Flavor, depth: number): fc.Arbitrary<unknown> {
  switch (t) {
    case 'string':
      return stringArb(s, flavor);
    case 'integer':
      return numberArb(s, true, flavor);
    case 'number':
      return numberArb(s, false, flavor);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = Math.max(0, Math.floor(num(s.minItems) ?? 0));
      const maxLength = Math.max(
        minLength,
        Math.min(Math.floor(num(s.maxItems) ?? 6), minLength + 6),
      );
      if (depth >= MAX_DEPTH) return fc.constant([]);
      return fc.array(valueArb(s.items, flavor, depth + 1), { minLength, maxLength });
    }
    case 'object':
      return objectArb(s, flavor, depth);
    default:
      return anyJson;
  }
}

function objectArb(s: JsonSchema, flavor: Flavor, depth: number): fc.Arbitrary<unknown> {
  const props = depth >= MAX_DEPTH ? [] : properties(s).slice(0, 64);
  const req = new Set(required(s));
  const parts = props.map(([k, sub]) =>
    fc.tuple(
      fc.constant(k),
      req.has(k)
        ? valueArb(sub, flavor, depth + 1).map((v) => ({ v }))
        : fc.option(
            valueArb(sub, flavor, depth + 1).map((v) => ({ v })),
            { nil: undefined },
          ),
    ),
  );
  // Extra keys only where the schema allows them; attack flavour tries prototype-pollution names.
  const extraOk =
    s.additionalProperties !== false && props.length === 0
      ? true
      : s.additionalProperties !== false && flavor === 'attack';
  const extra = extraOk
    ? fc.array(
        fc.tuple(
          flavor === 'attack' ? fc.constantFrom(...PROTOTYPE_KEYS) : fc.string({ maxLength: 8 }),
          anyJson,
        ),
        { maxLength: 2 },
      )
    : fc.constant([] as [string, unknown][]);
  return fc.tuple(fc.tuple(...parts), extra).map(([ps, ex]) => {
    const out: Record<string, unknown> = {};
    for (const [k, box] of ps) if (box !== undefined) setOwn(out, k, box.v);
    for (const [k, v] of ex)
      if (!Object.prototype.hasOwnProperty.call(out, k) && !props.some(([p]) => p === k))
        setOwn(out, k, v);
    return out;
  });
}
