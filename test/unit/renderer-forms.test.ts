import { describe, expect, it } from 'vitest';
import { parsePairs, splitArgs, toProfile } from '../../renderer/src/containers/ConnectScreen.js';
import { prettyText } from '../../renderer/src/containers/DetailPanel.js';
import { argsFromForm, fieldsOf } from '../../renderer/src/interact/SchemaForm.js';
import { validateArgs } from '../../renderer/src/interact/validate.js';
import { findingRanges } from '../../renderer/src/monaco/decorations.js';
import type { Finding } from '../../shared/detect/types.js';

const schema = {
  type: 'object',
  properties: {
    message: { type: 'string', minLength: 1, maxLength: 5 },
    count: { type: 'integer', minimum: 1, maximum: 3 },
    ratio: { type: 'number', exclusiveMaximum: 1 },
    mode: { enum: ['a', 'b'] },
    flag: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, maxItems: 2 },
    nested: {
      type: 'object',
      properties: { x: { type: 'number' } },
      required: ['x'],
      additionalProperties: false,
    },
  },
  required: ['message'],
};

describe('validateArgs (the schema subset tool forms use)', () => {
  it('accepts valid arguments', () => {
    expect(
      validateArgs(schema, {
        message: 'hi',
        count: 2,
        ratio: 0.5,
        mode: 'a',
        flag: true,
        tags: ['x'],
        nested: { x: 1 },
      }),
    ).toEqual([]);
  });

  it('reports each problem with its path', () => {
    const errs = validateArgs(schema, {
      count: 2.5,
      ratio: 1,
      mode: 'c',
      flag: 'yes',
      tags: ['A', 'b', 'c'],
      nested: { y: 1 },
    });
    const text = errs.map((e) => `${e.path} ${e.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        '/ missing required property "message"',
        '/count must be integer, got number',
        '/ratio must be < 1',
        '/mode must be one of "a", "b"',
        '/flag must be boolean, got string',
        '/tags must have at most 2 items',
        '/nested missing required property "x"',
        '/nested property "y" is not allowed',
      ]),
    );
    // Patterns are the engine's job (ajv in a worker with a budget), never run on the UI thread.
    expect(text.some((t) => t.includes('must match'))).toBe(false);
  });

  it('handles anyOf, type lists and hostile schemas without throwing', () => {
    expect(
      validateArgs({ anyOf: [{ type: 'string' }, { type: 'number' }] }, true)[0]!.message,
    ).toMatch(/alternatives/);
    expect(validateArgs({ type: ['string', 'null'] }, null)).toEqual([]);
    expect(validateArgs({ type: 'string', pattern: '(' }, 'x')).toEqual([]); // invalid pattern: skipped
    expect(validateArgs(null, { a: 1 })).toEqual([]);
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 100; i++) cur = (cur.items = { type: 'array' }) as Record<string, unknown>;
    expect(() => validateArgs(deep, [[[[]]]])).not.toThrow();
  });
});

describe('schema form', () => {
  it('derives fields and builds typed arguments', () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['message', 'string', true],
      ['count', 'integer', false],
      ['ratio', 'number', false],
      ['mode', 'enum', false],
      ['flag', 'boolean', false],
      ['tags', 'json', false],
      ['nested', 'json', false],
    ]);
    expect(
      argsFromForm(fields, {
        message: 'hi',
        count: '3',
        mode: '"b"',
        flag: true,
        tags: '["x"]',
        ratio: '',
      }),
    ).toEqual({ message: 'hi', count: 3, mode: 'b', flag: true, tags: ['x'] });
    expect(() => argsFromForm(fields, { count: 'abc' })).toThrow(/count: "abc" is not a number/);
    expect(() => argsFromForm(fields, { nested: '{' })).toThrow(/nested: not valid JSON/);
  });

  it('ignores schemas that are not objects', () => {
    expect(fieldsOf('nope')).toEqual([]);
    expect(fieldsOf({ properties: [] })).toEqual([]);
  });
});

describe('connect form', () => {
  it('splits arguments with quotes', () => {
    expect(splitArgs('a "b c" d\\"e "f\\"g"')).toEqual(['a', 'b c', 'd\\"e', 'f"g']);
  });

  it('parses env and header lines and says what is wrong', () => {
    expect(parsePairs('A=1\n\n B = x=y ', '=')).toEqual({ A: '1', B: 'x=y' });
    expect(parsePairs('X-Key: abc', ':')).toEqual({ 'X-Key': 'abc' });
    expect(() => parsePairs('oops', '=')).toThrow(/"oops": expected NAME=value/);
  });

  it('builds stdio and HTTP profiles', () => {
    const base = { name: '', command: '', args: '', env: '', url: '', headers: '', bearer: '' };
    expect(
      toProfile({
        ...base,
        kind: 'stdio',
        command: 'node',
        args: 'srv.js stdio',
        env: 'K=v',
        name: 'mine',
      }),
    ).toEqual({
      transport: 'stdio',
      command: 'node',
      args: ['srv.js', 'stdio'],
      env: { K: 'v' },
      name: 'mine',
    });
    expect(
      toProfile({
        ...base,
        kind: 'sse',
        url: 'http://127.0.0.1:3001/sse',
        headers: 'X-A: 1',
        bearer: 't',
      }),
    ).toEqual({
      transport: 'sse',
      url: 'http://127.0.0.1:3001/sse',
      headers: { 'X-A': '1' },
      bearerToken: 't',
    });
    expect(() => toProfile({ ...base, kind: 'stdio' })).toThrow(/enter the command/);
    expect(() => toProfile({ ...base, kind: 'streamable-http', url: 'not a url' })).toThrow(
      /enter the server URL/,
    );
    expect(() =>
      toProfile({ ...base, kind: 'streamable-http', url: 'file:///etc/passwd' }),
    ).toThrow(/http:\/\/ or https:\/\//);
  });
});

describe('detail view', () => {
  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettyText('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyText('not json')).toBe('not json');
  });

  it('maps finding ranges from the raw frame into the pretty view', () => {
    const raw = '{"jsonrpc":"2.0","id":1,"result":{"text":"key=AKIAABCDEFGHIJKLMNOP ok"}}';
    const start = raw.indexOf('AKIA');
    const f: Finding = {
      rule: 'secret',
      severity: 'high',
      title: 'AWS key',
      message: 'm',
      target: { kind: 'message', seq: 3, pointer: '/result/text', range: [start, start + 20] },
    };
    const rawRanges = findingRanges(raw, raw, false, [f]);
    expect(raw.slice(rawRanges[0]!.start, rawRanges[0]!.end)).toBe('AKIAABCDEFGHIJKLMNOP');
    const pretty = prettyText(raw);
    const pr = findingRanges(raw, pretty, true, [f]);
    expect(pretty.slice(pr[0]!.start, pr[0]!.end)).toBe('AKIAABCDEFGHIJKLMNOP');
  });

  it('drops ranges outside the text', () => {
    const f: Finding = {
      rule: 'r',
      severity: 'low',
      title: 't',
      message: 'm',
      target: { kind: 'message', range: [5, 500] },
    };
    expect(findingRanges('{}', '{}', false, [f])).toEqual([]);
  });
});
