// Argument handling of the client commands and the headless policy file format.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/cli/args.js';
import {
  connectOptionsFromArgs,
  schemaSummary,
  targetFromArgs,
} from '../../electron/cli/commands/inspect.js';
import { parseJsonArgs } from '../../electron/cli/commands/call.js';
import {
  parsePolicy,
  policyDecision,
  RpcError,
  USER_REJECTED,
} from '../../electron/engine/client/server-requests.js';

describe('targetFromArgs', () => {
  it('builds stdio and HTTP targets', () => {
    expect(
      targetFromArgs({ env: ['A=1', 'B=x=y'], cwd: '/tmp' }, ['node', 'srv.js', '--flag'], 'u'),
    ).toEqual({
      transport: 'stdio',
      command: 'node',
      args: ['srv.js', '--flag'],
      env: { A: '1', B: 'x=y' },
      cwd: '/tmp',
    });
    expect(
      targetFromArgs(
        { url: 'http://h/sse', sse: true, header: ['Authorization: Bearer a:b', 'X-A:1'] },
        undefined,
        'u',
      ),
    ).toEqual({
      transport: 'sse',
      url: 'http://h/sse',
      headers: { Authorization: 'Bearer a:b', 'X-A': '1' },
    });
  });

  it('refuses ambiguous or misplaced flags', () => {
    expect(() => targetFromArgs({}, undefined, 'u')).toThrow(UsageError);
    expect(() => targetFromArgs({}, [], 'u')).toThrow(/which server/);
    expect(() => targetFromArgs({ url: 'http://h' }, ['x'], 'u')).toThrow(/not both/);
    expect(() => targetFromArgs({ url: 'http://h', env: ['A=1'] }, undefined, 'u')).toThrow(
      /stdio servers/,
    );
    expect(() => targetFromArgs({ sse: true }, ['x'], 'u')).toThrow(/HTTP servers/);
    expect(() => targetFromArgs({ env: ['NOEQUALS'] }, ['x'], 'u')).toThrow(/NAME=value/);
  });

  it('validates --timeout', () => {
    expect(connectOptionsFromArgs({ timeout: '1500', 'protocol-version': '2025-03-26' })).toEqual({
      timeoutMs: 1500,
      protocolVersion: '2025-03-26',
    });
    expect(() => connectOptionsFromArgs({ timeout: 'soon' })).toThrow(
      /positive number of milliseconds/,
    );
  });
});

describe('parseJsonArgs / schemaSummary', () => {
  it('accepts only a JSON object', () => {
    expect(parseJsonArgs('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonArgs(undefined)).toEqual({});
    expect(() => parseJsonArgs('[1]')).toThrow(/must be a JSON object/);
    expect(() => parseJsonArgs('{a')).toThrow(/not valid JSON/);
  });

  it('summarises top-level properties with optional markers', () => {
    expect(
      schemaSummary({
        type: 'object',
        properties: {
          a: { type: 'string' },
          b: { type: ['number', 'null'] },
          c: { enum: [1] },
          d: {},
        },
        required: ['a'],
      }),
    ).toBe('a: string, b?: number|null, c?: enum, d?: any');
    expect(schemaSummary(null)).toBe('');
    expect(schemaSummary({ properties: 'hostile' })).toBe('');
  });
});

describe('headless policy', () => {
  it('parses answers and roots, rejecting anything else with the reason', () => {
    const p = parsePolicy({
      answers: { 'sampling/createMessage': { model: 'm' } },
      roots: [{ uri: 'file:///a' }],
    });
    expect(p.answers?.['sampling/createMessage']).toEqual({ model: 'm' });
    expect(() => parsePolicy([])).toThrow(/expected a JSON object/);
    expect(() => parsePolicy({ answer: {} })).toThrow(/unknown key "answer"/);
    expect(() => parsePolicy({ answers: { 'tools/call': {} } })).toThrow(
      /only sampling\/createMessage, elicitation\/create, roots\/list/,
    );
    expect(() => parsePolicy({ answers: { 'roots/list': 'x' } })).toThrow(
      /must be the JSON result object/,
    );
    expect(() => parsePolicy({ roots: [{ name: 'no uri' }] })).toThrow(/"roots" must be an array/);
  });

  it('answers from the policy, or declines with a JSON-RPC error that says how to configure it', () => {
    expect(policyDecision({ roots: [{ uri: 'file:///a' }] }, 'roots/list')).toEqual({
      roots: [{ uri: 'file:///a' }],
    });
    expect(policyDecision(undefined, 'ping')).toEqual({});
    const d = policyDecision({}, 'elicitation/create');
    expect(d).toBeInstanceOf(RpcError);
    expect((d as RpcError).code).toBe(USER_REJECTED);
    expect((d as RpcError).message).toMatch(
      /declined elicitation\/create: no answer configured.*"answers": \{"elicitation\/create"/,
    );
  });
});
