// The pure fuzz core: seeded plans, schema-aware generation, mutations, oracles, minimisation.
import { describe, expect, it } from 'vitest';
import { makeSchemaCheck } from '../../electron/engine/fuzz/validate.js';
import {
  callCommand,
  candidates,
  frameVerdict,
  judgeToolAnswer,
  leakVerdicts,
  minimizeJson,
  mutateInvalid,
  planCampaign,
  secretVerdicts,
  selectTools,
  shellQuote,
  type FuzzTool,
} from '../../shared/fuzz/index.js';
import { classifyMessage } from '../../shared/protocol/jsonrpc.js';

const greet: FuzzTool = {
  name: 'greet',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 5 },
      n: { type: 'integer', minimum: 0, maximum: 3 },
    },
    required: ['name'],
    additionalProperties: false,
  },
};
const check = makeSchemaCheck();

describe('planCampaign', () => {
  it('gives the same cases for the same seed and different ones for another seed', () => {
    const opts = { cases: 300, families: ['tools', 'protocol', 'framing'] as const };
    const a = planCampaign([greet], { seed: 42, ...opts });
    const b = planCampaign([greet], { seed: 42, ...opts });
    const c = planCampaign([greet], { seed: 43, ...opts });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(a).toHaveLength(300);
    expect(new Set(a.map((x) => x.family))).toEqual(new Set(['tools', 'protocol', 'framing']));
  });

  it('valid-mode arguments satisfy the schema; invalid-mode ones mostly do not', () => {
    const valid = planCampaign([greet], {
      seed: 1,
      cases: 200,
      families: ['tools'],
      modes: ['valid'],
    });
    for (const c of valid)
      expect(c.family === 'tools' && check(greet.inputSchema!, c.args)).toBeUndefined();
    const invalid = planCampaign([greet], {
      seed: 1,
      cases: 200,
      families: ['tools'],
      modes: ['invalid'],
    });
    const rejected = invalid.filter(
      (c) => c.family === 'tools' && check(greet.inputSchema!, c.args) !== undefined,
    );
    expect(rejected.length).toBeGreaterThan(180);
  });

  it('attack mode uses the dictionaries', () => {
    const cases = planCampaign(
      [
        {
          name: 'read',
          inputSchema: {
            type: 'object',
            properties: { path: { type: 'string' } },
            required: ['path'],
          },
        },
      ],
      { seed: 5, cases: 200, families: ['tools'], modes: ['attack'] },
    );
    const paths = cases.map((c) => (c.family === 'tools' ? (c.args as { path: string }).path : ''));
    expect(paths.some((p) => p.includes('../'))).toBe(true);
    expect(paths.some((p) => p.startsWith('http://169.254.169.254'))).toBe(true);
  });
});

describe('mutateInvalid', () => {
  it('keeps __proto__ as an own key instead of changing the prototype', () => {
    const out = mutateInvalid(
      JSON.parse('{"__proto__":{"x":1},"name":"a"}'),
      greet.inputSchema!,
      3,
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toContain('__proto__');
  });
});

describe('oracles', () => {
  const msg = (text: string) => classifyMessage(JSON.parse(text));
  const judge = (response: string, args: unknown, tool: FuzzTool = greet) =>
    judgeToolAnswer({
      tool,
      request: JSON.stringify(args),
      response,
      message: msg(response),
      inputInvalid: check(tool.inputSchema!, args),
      check,
    });

  it('accepted-invalid: invalid arguments answered without isError', () => {
    const v = judge(
      '{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hi"}]}}',
      {},
    );
    expect(v.map((x) => x.kind)).toEqual(['accepted-invalid']);
    expect(judge('{"jsonrpc":"2.0","id":1,"result":{"content":[],"isError":true}}', {})).toEqual(
      [],
    );
  });

  it('schema-violation: structuredContent against outputSchema', () => {
    const tool: FuzzTool = {
      name: 's',
      inputSchema: { type: 'object' },
      outputSchema: {
        type: 'object',
        properties: { total: { type: 'number' } },
        required: ['total'],
      },
    };
    expect(
      judge(
        '{"jsonrpc":"2.0","id":1,"result":{"content":[],"structuredContent":{"total":"x"}}}',
        {},
        tool,
      )[0]?.kind,
    ).toBe('schema-violation');
    expect(
      judge('{"jsonrpc":"2.0","id":1,"result":{"content":[]}}', {}, tool)[0]?.evidence,
    ).toMatch(/no structuredContent/);
    expect(
      judge(
        '{"jsonrpc":"2.0","id":1,"result":{"content":[],"structuredContent":{"total":3}}}',
        {},
        tool,
      ),
    ).toEqual([]);
  });

  it('error-leak: stack traces and SQL errors, but not text the request contained', () => {
    expect(
      leakVerdicts('boom\n    at run (/home/ci/app/index.js:3:9)', '{}', true)[0]?.evidence,
    ).toMatch(/stack trace/);
    expect(leakVerdicts('SQLITE_ERROR: near "x": syntax error', '{}', true)).toHaveLength(1);
    expect(leakVerdicts('no such file /home/bob/x', '{"p":"/home/bob/x"}', true)).toEqual([]);
    expect(leakVerdicts('file is /home/alice/notes', '{}', false)).toEqual([]);
  });

  it('sensitive-output: detector secrets not echoed from the request', () => {
    expect(secretVerdicts('key AKIAQ3EGRT5DYHM2LX7P', '{}')[0]?.kind).toBe('sensitive-output');
    expect(secretVerdicts('key AKIAQ3EGRT5DYHM2LX7P', '{"k":"AKIAQ3EGRT5DYHM2LX7P"}')).toEqual([]);
  });

  it('protocol-violation: non-JSON and invalid messages', () => {
    expect(frameVerdict('debug: hello')?.sig).toBe('non-json');
    expect(frameVerdict('{"id":1,"result":{}}')?.sig).toBe('invalid-message');
    expect(frameVerdict('{"jsonrpc":"2.0","id":1,"result":{}}')).toBeUndefined();
  });
});

describe('minimizeJson', () => {
  it('shrinks to the smallest input that still fails', async () => {
    const fails = (v: unknown) =>
      Promise.resolve(
        typeof v === 'object' &&
          v !== null &&
          typeof (v as { q?: unknown }).q === 'string' &&
          (v as { q: string }).q.includes("'"),
      );
    const { value } = await minimizeJson(
      { q: "admin' OR '1'='1", extra: [1, 2, 3], n: 99 },
      fails,
      { maxRuns: 500 },
    );
    expect(value).toEqual({ q: "'" });
  });

  it('moves numbers toward zero and respects the run budget', async () => {
    const { value } = await minimizeJson(
      { a: 1234.5, b: -77 },
      (v) => Promise.resolve((v as { b?: number }).b !== undefined && (v as { b: number }).b < 0),
      { maxRuns: 500 },
    );
    expect(value).toEqual({ b: -1 });
    const limited = await minimizeJson('x'.repeat(100), () => Promise.resolve(true), {
      maxRuns: 1,
    });
    expect(limited.runs).toBe(1);
  });

  it('every candidate is a new value (no infinite loop on fixed points)', () => {
    expect([...candidates(null)]).toEqual([]);
    expect([...candidates(false)]).toEqual([]);
  });
});

describe('selection and reproducers', () => {
  it('skips destructive tools unless asked', () => {
    const tools: FuzzTool[] = [
      { name: 'ro', readOnlyHint: true },
      { name: 'plain' },
      { name: 'rm', destructiveHint: true },
    ];
    expect(selectTools(tools, {}).fuzzed.map((t) => t.name)).toEqual(['ro', 'plain']);
    expect(selectTools(tools, {}).skipped[0]?.name).toBe('rm');
    expect(selectTools(tools, { includeDestructive: true }).fuzzed).toHaveLength(3);
  });

  it('quotes for the shell', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    expect(callCommand('t', { q: "'" }, { kind: 'stdio', command: ['node', 'my server.js'] })).toBe(
      `mcpscope call t --args '{"q":"'\\''"}' -- node 'my server.js'`,
    );
  });
});
