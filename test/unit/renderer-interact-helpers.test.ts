// The pure helpers behind Interact's new parts: progress numbers from the server, completion
// answers, task support of a tool and server, and the URL shown in a URL elicitation.
import { describe, expect, it } from 'vitest';
import { completionValues } from '../../renderer/src/interact/CompletionInput.js';
import { progressFraction } from '../../renderer/src/interact/Progress.js';
import { urlParts } from '../../renderer/src/interact/ServerRequestDialog.js';
import { serverTasksTools, taskSupport } from '../../renderer/src/interact/TasksTab.js';

describe('progressFraction', () => {
  it('is progress/total, capped at 1', () => {
    expect(progressFraction({ progress: 1, total: 4 })).toBe(0.25);
    expect(progressFraction({ progress: 9, total: 4 })).toBe(1);
  });
  it('makes no bar of numbers that are not a fraction', () => {
    expect(progressFraction({ progress: 3 })).toBeUndefined();
    expect(progressFraction({ progress: 3, total: 0 })).toBeUndefined();
    expect(progressFraction({ progress: -1, total: 5 })).toBeUndefined();
    expect(progressFraction({ progress: Number.NaN, total: 5 })).toBeUndefined();
    expect(progressFraction({ progress: 1, total: Number.POSITIVE_INFINITY })).toBeUndefined();
  });
});

describe('completionValues', () => {
  it('keeps string values and says when there are more', () => {
    expect(
      completionValues({ completion: { values: ['a', 1, 'b', null], hasMore: true } }),
    ).toEqual({ values: ['a', 'b'], more: true });
    expect(completionValues({ completion: { values: ['x'] } })).toEqual({
      values: ['x'],
      more: false,
    });
  });
  it('bounds a flood of values and survives a malformed answer', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `v${i}`);
    const r = completionValues({ completion: { values: many } });
    expect(r.values).toHaveLength(100);
    expect(r.more).toBe(true);
    expect(completionValues({ completion: 'nope' })).toEqual({ values: [], more: false });
    expect(completionValues({})).toEqual({ values: [], more: false });
  });
});

describe('task support', () => {
  it('reads execution.taskSupport, forbidden when absent or unknown', () => {
    expect(taskSupport({ name: 't', execution: { taskSupport: 'required' } })).toBe('required');
    expect(taskSupport({ name: 't', execution: { taskSupport: 'optional' } })).toBe('optional');
    expect(taskSupport({ name: 't' })).toBe('forbidden');
    expect(taskSupport({ name: 't', execution: { taskSupport: 'always' } })).toBe('forbidden');
  });
  it('needs the server to declare tasks for tools/call', () => {
    expect(serverTasksTools({ tasks: { requests: { tools: { call: {} } } } })).toBe(true);
    expect(serverTasksTools({ tasks: { list: {} } })).toBe(false);
    expect(serverTasksTools(undefined)).toBe(false);
  });
});

describe('urlParts (URL elicitation)', () => {
  it('splits out the host so it can be emphasised', () => {
    expect(urlParts('https://accounts.example.com.evil.test/login?x=1')).toEqual({
      ok: true,
      before: 'https://',
      host: 'accounts.example.com.evil.test',
      after: '/login?x=1',
    });
    expect(urlParts('https://127.0.0.1:8443/a')).toMatchObject({
      ok: true,
      before: 'https://',
      host: '127.0.0.1:8443',
      after: '/a',
    });
  });
  it('shows an internationalised host in its punycode form', () => {
    const r = urlParts('https://аpple.com/');
    expect(r).toMatchObject({ ok: true, host: 'xn--pple-43d.com' });
  });
  it('refuses what is not an https address, or carries credentials', () => {
    expect(urlParts('javascript:alert(1)')).toEqual({
      ok: false,
      reason: 'mcpscope opens only https addresses, not javascript:',
    });
    expect(urlParts('http://example.com/')).toMatchObject({ ok: false });
    expect(urlParts('https://user:pw@example.com/')).toEqual({
      ok: false,
      reason: 'the address carries a user name or password; mcpscope does not open it',
    });
    expect(urlParts('not a url')).toEqual({ ok: false, reason: 'this is not a valid URL' });
  });
});
