// The fuzz slice: Resend hands a finding's exact JSON-RPC line on (clipboard + read-only view).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FuzzFinding } from '../../shared/fuzz/types.js';
import { makeStore } from './renderer-fixtures.js';
import { repeaterStore } from '../../renderer/src/repeater/store.js';

const finding: FuzzFinding = {
  kind: 'crash',
  tool: 'divide',
  input: { a: 3, b: 0 },
  minimized: { a: 0, b: 0 },
  evidence: 'the server process exited (code 70)',
  seed: 7,
  case: 70,
  line: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"divide","arguments":{"a":0,"b":0}}}',
  reproduce: 'mcpscope call divide --args \'{"a":0,"b":0}\' -- node server.js',
  count: 6,
};

describe('resendFuzzFinding', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('copies the minimised line and keeps it for the view', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const { store } = makeStore();
    await store.getState().resendFuzzFinding(finding);
    expect(writeText).toHaveBeenCalledWith(finding.line);
    expect(store.getState().fuzzResend).toEqual({
      line: finding.line,
      kind: 'crash',
      target: 'divide',
      copied: true,
    });
    store.getState().clearFuzzResend();
    expect(store.getState().fuzzResend).toBeUndefined();
  });

  it('opens the line in a Repeater tab of the active session and shows the Repeater', async () => {
    vi.stubGlobal('navigator', { clipboard: { writeText: () => Promise.resolve() } });
    const { store } = makeStore();
    store.setState({ active: 'sess-fuzz' });
    const before = repeaterStore.getState().tabs.length;
    await store.getState().resendFuzzFinding(finding);
    const tabs = repeaterStore.getState().tabs;
    expect(tabs.length).toBe(before + 1);
    const tab = tabs[tabs.length - 1]!;
    expect(tab).toMatchObject({ sessionId: 'sess-fuzz', method: 'tools/call' });
    expect(JSON.parse(tab.text)).toMatchObject({
      method: 'tools/call',
      params: { name: 'divide', arguments: { a: 0, b: 0 } },
    });
    expect(store.getState().sidePanel).toBe('repeater');
  });

  it('still shows the line, and says so, when the clipboard refuses', async () => {
    vi.stubGlobal('navigator', {
      clipboard: { writeText: () => Promise.reject(new Error('denied')) },
    });
    const { store } = makeStore();
    await store.getState().resendFuzzFinding(finding);
    expect(store.getState().fuzzResend).toMatchObject({ line: finding.line, copied: false });
    expect(store.getState().toasts[0]?.text).toMatch(/clipboard/);
  });
});
