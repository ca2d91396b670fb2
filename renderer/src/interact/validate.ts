// Instant structural feedback on tool arguments while typing (types, required, ranges, lengths).
// The full validation (ajv: $ref, oneOf, format, pattern) runs in the engine, in a worker with a
// time budget (host command validateToolArgs). Server-supplied `pattern`s are deliberately NOT
// run here: `^(a+)+$` on a 29-character value blocks a thread for seconds, and this is the UI's.

import { isObject } from '../../../shared/json.js';

export interface SchemaError {
  path: string;
  message: string;
}

const MAX_DEPTH = 32;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(want: string, v: unknown): boolean {
  const t = typeOf(v);
  return want === t || (want === 'number' && t === 'integer');
}

function check(schema: unknown, v: unknown, path: string, out: SchemaError[], depth: number): void {
  if (!isObject(schema) || depth > MAX_DEPTH || out.length > 50) return;
  const err = (message: string): void => void out.push({ path: path || '/', message });
  const t = schema.type;
  if (typeof t === 'string' && !typeMatches(t, v)) return err(`must be ${t}, got ${typeOf(v)}`);
  if (Array.isArray(t) && !t.some((x) => typeof x === 'string' && typeMatches(x, v)))
    return err(`must be one of ${t.join(', ')}, got ${typeOf(v)}`);
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))
  ) {
    err(`must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(v))
    err(`must be ${JSON.stringify(schema.const)}`);
  if (typeof v === 'number') {
    if (typeof schema.minimum === 'number' && v < schema.minimum)
      err(`must be ≥ ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && v > schema.maximum)
      err(`must be ≤ ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && v <= schema.exclusiveMinimum)
      err(`must be > ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && v >= schema.exclusiveMaximum)
      err(`must be < ${schema.exclusiveMaximum}`);
  }
  if (typeof v === 'string') {
    if (typeof schema.minLength === 'number' && v.length < schema.minLength)
      err(`must have at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === 'number' && v.length > schema.maxLength)
      err(`must have at most ${schema.maxLength} characters`);
  }
  if (Array.isArray(v)) {
    if (typeof schema.minItems === 'number' && v.length < schema.minItems)
      err(`must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && v.length > schema.maxItems)
      err(`must have at most ${schema.maxItems} items`);
    if (isObject(schema.items))
      v.forEach((x, i) => check(schema.items, x, `${path}/${i}`, out, depth + 1));
  }
  if (isObject(v)) {
    const props = isObject(schema.properties) ? schema.properties : {};
    if (Array.isArray(schema.required)) {
      for (const r of schema.required)
        if (typeof r === 'string' && !(r in v)) err(`missing required property "${r}"`);
    }
    for (const [k, x] of Object.entries(v)) {
      if (Object.prototype.hasOwnProperty.call(props, k))
        check(props[k], x, `${path}/${k}`, out, depth + 1);
      else if (schema.additionalProperties === false) err(`property "${k}" is not allowed`);
      else if (isObject(schema.additionalProperties))
        check(schema.additionalProperties, x, `${path}/${k}`, out, depth + 1);
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = schema[key];
    if (Array.isArray(alts) && alts.length > 0) {
      const ok = alts.some((a) => {
        const sub: SchemaError[] = [];
        check(a, v, path, sub, depth + 1);
        return sub.length === 0;
      });
      if (!ok) err(`must match one of the ${alts.length} alternatives (${key})`);
    }
  }
  if (Array.isArray(schema.allOf)) for (const a of schema.allOf) check(a, v, path, out, depth + 1);
}

export function validateArgs(schema: unknown, value: unknown): SchemaError[] {
  const out: SchemaError[] = [];
  check(schema, value, '', out, 0);
  return out;
}
