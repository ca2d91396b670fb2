// Validates SARIF logs against test/fixtures/detect/sarif-2.1.0-subset.schema.json: a schema
// authored from the SARIF 2.1.0 specification for the objects mcpscope emits (no installed
// package ships the official schema). Returns readable errors, [] when valid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT } from '../helpers/paths.js';

const schema = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/detect/sarif-2.1.0-subset.schema.json'), 'utf8'),
) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

export function validateSarif(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
