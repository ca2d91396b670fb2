// The protocol pill and the error badge in the session header go through the one escaper: a
// server's protocolVersion or error message cannot put raw control or bidi characters in the UI.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { HandshakeHeader } from '../../renderer/src/containers/HandshakeHeader.js';
import { StoreContext } from '../../renderer/src/store/hooks.js';
import type { AppState } from '../../renderer/src/store/types.js';
import { file, makeCapture, makeStore } from './renderer-fixtures.js';

// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029\u200b]/;

describe('session header', () => {
  it('escapes the protocol pill and the initialize error', async () => {
    const t = makeStore();
    const c = makeCapture('evil');
    c.frame('c2s', {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18\u202eevil',
        capabilities: {},
        clientInfo: { name: 'c', version: '1' },
      },
    });
    c.frame('s2c', {
      jsonrpc: '2.0',
      id: 0,
      result: {
        protocolVersion: '2025\u001b[31m-06\u0007-18\u2028x',
        capabilities: {},
        serverInfo: { name: 's', version: '1' },
      },
    });
    await t.store.getState().importFiles([file('evil', c.text())]);
    const snap = createStore<AppState>()(() => t.store.getState());
    const html = renderToStaticMarkup(
      createElement(StoreContext.Provider, { value: snap }, createElement(HandshakeHeader)),
    );
    const pill =
      /data-testid="protocol-version"[^>]*>(.*?)<\/span><\/span>/s.exec(html)?.[1] ?? html;
    expect(pill).toContain('protocol 2025\\x1b[31m-06\\x07-18\\u2028x');
    expect(pill).toContain('\\u202e');
    expect(html).not.toMatch(RAW);
  });
});
