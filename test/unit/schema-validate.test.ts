// Tool-argument validation in the engine: ajv semantics ($ref, oneOf, format), and a hostile
// pattern cannot stall anything: the budget ends it and the next validation still works.
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaValidator } from '../../electron/engine/schema/validate.js';
import { validateArgs } from '../../renderer/src/interact/validate.js';

const v = new SchemaValidator(300);
afterAll(() => v.close());

const EVIL = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } };
const EVIL_VALUE = { s: `${'a'.repeat(29)}!` };

describe('SchemaValidator (engine, ajv in a worker)', () => {
  it('validates with $ref, oneOf and format', async () => {
    const schema = {
      type: 'object',
      $defs: { email: { type: 'string', format: 'email' } },
      properties: {
        to: { $ref: '#/$defs/email' },
        n: { oneOf: [{ type: 'integer' }, { type: 'string', maxLength: 2 }] },
      },
      required: ['to'],
    };
    expect((await v.validate(schema, { to: 'a@b.example', n: 3 })).errors).toEqual([]);
    const bad = await v.validate(schema, { to: 'not-an-email', n: 'long' });
    expect(bad.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['/to', '/n']));
    expect((await v.validate(schema, {})).errors[0]!.message).toContain('to');
  });

  it('^(a+)+$ on a 29-character value: stopped within the budget, and the validator keeps working', async () => {
    const t0 = Date.now();
    const r = await v.validate(EVIL, EVIL_VALUE);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.timedOut).toBe(true);
    expect(r.errors[0]!.message).toContain('longer than');
    expect((await v.validate({ type: 'string', minLength: 2 }, 'x')).errors).toHaveLength(1);
  });

  it('reports a schema that cannot be compiled', async () => {
    const r = await v.validate({ type: 'string', pattern: '(' }, 'x');
    expect(r.schemaError).toBeTruthy();
  });
});

describe('the renderer validator', () => {
  it('never runs a server pattern on the UI thread', () => {
    const t0 = performance.now();
    const errs = validateArgs(EVIL, EVIL_VALUE);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(errs).toEqual([]);
    expect(validateArgs({ type: 'object', required: ['x'] }, {})).toHaveLength(1);
  });
});
