// ajv behind the pure oracles' SchemaCheck. Schemas come from the server (hostile): compiled
// without strict mode, cached per schema object, and a schema ajv cannot compile is reported
// once and then treated as "cannot judge" (no finding) rather than crashing the campaign.

import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { SchemaCheck } from '../../../shared/fuzz/index.js';

// ajv-formats is CommonJS with a default export object.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ??
  addFormatsImport) as (a: Ajv) => void;

export function makeSchemaCheck(onBadSchema: (why: string) => void = () => undefined): SchemaCheck {
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    validateSchema: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  const cache = new WeakMap<object, ValidateFunction | null>();
  return (schema, value) => {
    let fn = cache.get(schema);
    if (fn === undefined) {
      try {
        fn = ajv.compile(schema);
      } catch (e) {
        onBadSchema((e as Error).message);
        fn = null;
      }
      cache.set(schema, fn);
    }
    if (fn === null || fn(value)) return undefined;
    const e = fn.errors?.[0];
    return e ? `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}` : 'is invalid';
  };
}
