// Near-invalid mutations of valid tool arguments and type confusion. Deterministic: the same
// value, schema and choice number give the same mutation. The engine checks the result against
// the tool's schema (ajv) before calling it "invalid": a mutation can happen to stay valid.

import { properties, required, setOwn, types } from './schema-arb.js';
import type { JsonSchema } from './types.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** A value of a different JSON type than `v` (choice `n` picks which). */
export function confuse(v: unknown, n: number): unknown {
  const options: unknown[] = ['0', 0, true, null, [], {}, 'true', -1, [v], { value: v }];
  const differs = options.filter(
    (o) =>
      typeof o !== typeof v ||
      Array.isArray(o) !== Array.isArray(v) ||
      (o === null) !== (v === null),
  );
  return differs[n % differs.length];
}

/** A value just outside one constraint of `s`, or undefined when `s` constrains nothing we know. */
function outside(s: JsonSchema, v: unknown, n: number): unknown {
  const out: unknown[] = [];
  const t = types(s);
  if (Array.isArray(s.enum)) out.push('__not_in_enum__', 1e9);
  if ('const' in s) out.push(typeof s.const === 'string' ? `${s.const}x` : 'x');
  if (t.includes('string') || typeof v === 'string') {
    const maxL = num(s.maxLength);
    const minL = num(s.minLength);
    if (maxL !== undefined) out.push('x'.repeat(Math.min(maxL + 1, 1 << 20)));
    if (minL !== undefined && minL > 0) out.push('x'.repeat(minL - 1));
  }
  if (t.includes('integer') || t.includes('number')) {
    const max = num(s.maximum) ?? num(s.exclusiveMaximum);
    const min = num(s.minimum) ?? num(s.exclusiveMinimum);
    if (max !== undefined) out.push(max + 1);
    if (min !== undefined) out.push(min - 1);
    if (t.includes('integer') && !t.includes('number')) out.push(1.5);
  }
  if (t.includes('array')) {
    const maxI = num(s.maxItems);
    if (maxI !== undefined && Array.isArray(v))
      out.push([...v, ...Array.from({ length: maxI + 1 - v.length }, () => v[0] ?? null)]);
  }
  return out.length > 0 ? out[n % out.length] : undefined;
}

/**
 * Break the arguments object `args` for schema `s`: drop a required property, confuse one
 * property's type, push one past its bounds, or add a property the schema forbids.
 */
export function mutateInvalid(args: unknown, s: JsonSchema, n: number): unknown {
  if (!isObj(args)) return confuse(args, n);
  const props = properties(s);
  const req = required(s).filter((k) => Object.prototype.hasOwnProperty.call(args, k));
  const copy = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) setOwn(o, k, v);
    return o;
  };
  const choices: (() => Record<string, unknown>)[] = [];
  if (req.length > 0)
    choices.push(() => {
      const o = copy();
      delete o[req[n % req.length]!];
      return o;
    });
  if (props.length > 0) {
    const [k, sub] = props[n % props.length]!;
    choices.push(() => {
      const o = copy();
      setOwn(o, k, confuse(args[k], n >> 3));
      return o;
    });
    const bad = outside(sub, args[k], n >> 4);
    if (bad !== undefined)
      choices.push(() => {
        const o = copy();
        setOwn(o, k, bad);
        return o;
      });
  }
  if (s.additionalProperties === false)
    choices.push(() => {
      const o = copy();
      setOwn(o, `unexpected_${n % 7}`, 'x');
      return o;
    });
  if (choices.length === 0) return confuse(args, n);
  return choices[(n >> 1) % choices.length]!();
}
