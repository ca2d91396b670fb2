import { describe, expect, it } from 'vitest';
import { classifyMessage, idKey, parseFrame } from '../../shared/protocol/jsonrpc.js';
import {
  isMethodInVersion,
  lookupMethod,
  METHODS,
  batchesAllowed,
} from '../../shared/protocol/methods.js';

const one = (text: string) => {
  const f = parseFrame(text);
  expect(f.messages).toHaveLength(1);
  return f.messages[0]!;
};

describe('parseFrame / classifyMessage', () => {
  it('classifies a request', () => {
    const m = one('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}');
    expect(m).toMatchObject({ kind: 'request', id: 1, method: 'tools/list' });
  });
  it('classifies a notification (no id)', () => {
    expect(one('{"jsonrpc":"2.0","method":"notifications/initialized"}')).toMatchObject({
      kind: 'notification',
    });
  });
  it('classifies a response and an error', () => {
    expect(one('{"jsonrpc":"2.0","id":"a","result":{}}')).toMatchObject({
      kind: 'response',
      id: 'a',
    });
    const e = one(
      '{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"nope","data":{"x":1}}}',
    );
    expect(e).toMatchObject({
      kind: 'error',
      id: 2,
      error: { code: -32601, message: 'nope', data: { x: 1 } },
    });
  });
  it('accepts a null id only on error responses', () => {
    expect(one('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse"}}').kind).toBe(
      'error',
    );
    expect(one('{"jsonrpc":"2.0","id":null,"method":"x"}')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('not null'),
    });
    expect(one('{"jsonrpc":"2.0","id":null,"result":{}}').kind).toBe('invalid');
  });
  it.each([
    ['garbage', 'not valid JSON'],
    ['"a string"', 'must be a JSON object'],
    ['{"id":1,"method":"x"}', '"jsonrpc" must be exactly "2.0"'],
    ['{"jsonrpc":"1.0","id":1,"method":"x"}', '"jsonrpc" must be exactly "2.0"'],
    ['{"jsonrpc":"2.0","id":1,"method":5}', '"method" must be a string'],
    ['{"jsonrpc":"2.0","id":1,"method":"x","params":3}', '"params" must be an object or an array'],
    ['{"jsonrpc":"2.0","id":{"a":1},"method":"x"}', 'request "id"'],
    [
      '{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}',
      'both "result" and "error"',
    ],
    [
      '{"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}}',
      '"error.code" must be an integer',
    ],
    ['{"jsonrpc":"2.0","id":1,"error":{"code":1}}', '"error.message" must be a string'],
    ['{"jsonrpc":"2.0","id":1,"error":"boom"}', '"error" must be an object'],
    ['{"jsonrpc":"2.0","id":1}', 'no "method", "result" or "error"'],
    ['{"jsonrpc":"2.0","method":"x","result":1}', 'both "method" and "result"'],
  ])('explains why %s is invalid', (text, reason) => {
    const m = one(text);
    expect(m.kind).toBe('invalid');
    expect(m.reason).toContain(reason);
  });
  it('splits a batch into one message per element', () => {
    const f = parseFrame(
      '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"n"},7]',
    );
    expect(f.batch).toBe(true);
    expect(f.messages.map((m) => m.kind)).toEqual(['request', 'notification', 'invalid']);
  });
  it('reports an empty batch', () => {
    const f = parseFrame('[]');
    expect(f.batch).toBe(true);
    expect(f.messages[0]).toMatchObject({ kind: 'invalid', reason: 'empty batch' });
  });
  it('keeps numeric and string ids apart', () => {
    expect(idKey(1)).not.toBe(idKey('1'));
    expect(classifyMessage({ jsonrpc: '2.0', id: 'x', method: 'm' }).id).toBe('x');
  });
});

describe('method catalogue', () => {
  it('knows every MCP method the SDK defines', () => {
    const names = METHODS.map((m) => m.method);
    for (const m of [
      'initialize',
      'tools/call',
      'resources/templates/list',
      'completion/complete',
      'logging/setLevel',
      'sampling/createMessage',
      'elicitation/create',
      'roots/list',
      'tasks/get',
      'tasks/result',
      'tasks/list',
      'tasks/cancel',
      'notifications/tasks/status',
      'notifications/elicitation/complete',
      'notifications/resources/updated',
      'notifications/roots/list_changed',
      'notifications/message',
    ]) {
      expect(names).toContain(m);
    }
    expect(new Set(names).size).toBe(names.length);
  });
  it('gates methods by revision', () => {
    expect(isMethodInVersion('elicitation/create', '2025-03-26')).toBe(false);
    expect(isMethodInVersion('elicitation/create', '2025-06-18')).toBe(true);
    expect(isMethodInVersion('tasks/get', '2025-06-18')).toBe(false);
    expect(isMethodInVersion('tasks/get', '2025-11-25')).toBe(true);
    expect(isMethodInVersion('no/such', '2025-11-25')).toBe(false);
    expect(lookupMethod('sampling/createMessage')?.from).toBe('server');
  });
  it('allows batches only in 2025-03-26', () => {
    expect(batchesAllowed('2025-03-26')).toBe(true);
    expect(batchesAllowed('2025-06-18')).toBe(false);
    expect(batchesAllowed('2024-11-05')).toBe(false);
  });
});
