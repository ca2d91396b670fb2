import { afterEach, describe, expect, it } from 'vitest';
import { createRepeaterStore, withFreshId } from '../../renderer/src/repeater/store.js';

class MemoryStorage {
  private readonly m = new Map<string, string>();
  getItem(k: string): string | null {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.m.set(k, v);
  }
}

const g = globalThis as unknown as { localStorage?: MemoryStorage };

describe('Repeater store', () => {
  afterEach(() => {
    delete g.localStorage;
  });

  it('gives the opened request a fresh id and names its method; raw text stays as typed', () => {
    const r = withFreshId(
      '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo"}}',
      'repeater-x',
    );
    expect(JSON.parse(r.text)).toEqual({
      jsonrpc: '2.0',
      id: 'repeater-x',
      method: 'tools/call',
      params: { name: 'echo' },
    });
    expect(r.method).toBe('tools/call');
    expect(withFreshId('not json {', 'x')).toEqual({ text: 'not json {', method: '(raw)' });
  });

  it('opens tabs (Resend marks one to send), edits them, and keeps them across a restart', () => {
    g.localStorage = new MemoryStorage();
    const a = createRepeaterStore();
    const id = a.getState().openRepeater({
      sessionId: 's1',
      seq: 12,
      text: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      original: '{"jsonrpc":"2.0","id":1,"result":{}}',
      send: true,
    });
    expect(a.getState().sendNow).toBe(id);
    a.getState().setText(id, '{"jsonrpc":"2.0","id":"r","method":"ping"}');
    a.getState().setResponse(id, { text: '{"jsonrpc":"2.0","id":"r","result":{}}', at: 1 });
    const b = createRepeaterStore(); // a restart: a new store reads what the old one saved
    expect(b.getState().tabs).toEqual(
      [
        {
          id,
          sessionId: 's1',
          seq: 12,
          method: 'ping',
          text: '{"jsonrpc":"2.0","id":"r","method":"ping"}',
          original: '{"jsonrpc":"2.0","id":1,"result":{}}',
          response: { text: '{"jsonrpc":"2.0","id":"r","result":{}}', at: 1 },
          sending: false,
        },
      ].map(({ sending: _s, ...t }) => t),
    );
    expect(b.getState().activeTab).toBe(id);
    b.getState().closeTab(id);
    expect(createRepeaterStore().getState().tabs).toEqual([]);
  });
});
