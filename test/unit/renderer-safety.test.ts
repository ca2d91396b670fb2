// Hostile server content must reach the DOM as inert, visible text. These render the real
// components to static markup (React's server renderer) and look at what would be in the DOM.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { SafeText, safeImageSrc, toDisplay } from '../../renderer/src/components/SafeText.js';
import { TimelineRow } from '../../renderer/src/components/TimelineRow.js';
import { CapabilitiesPanel } from '../../renderer/src/containers/CapabilitiesPanel.js';
import { HandshakeHeader } from '../../renderer/src/containers/HandshakeHeader.js';
import { StderrPanel } from '../../renderer/src/containers/StderrPanel.js';
import { fieldsOf, SchemaForm } from '../../renderer/src/interact/SchemaForm.js';
import { sessionData } from '../../renderer/src/model/session-data.js';
import { StoreContext } from '../../renderer/src/store/hooks.js';
import type { AppState } from '../../renderer/src/store/types.js';
import { MessageIndex } from '../../shared/protocol/messages.js';
import { ROOT } from '../helpers/paths.js';
import { file, makeCapture, makeStore } from './renderer-fixtures.js';

const HOSTILE = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '"><svg onload=alert(1)>',
  '[click](javascript:alert(1))',
  'a\u001b[31mred\u001b[0m\u001b]8;;http://evil\u0007link',
  'safe\u202eexe.txt',
  'zero\u200bwidth\u2060joiner\ufeff',
  'tag\u{E0041}\u{E0042}chars',
];

/** No element or attribute the payload could have created: only our own tags. */
function assertInert(html: string): void {
  expect(html).not.toMatch(/<img[^>]*onerror/i);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<svg/i);
  expect(html).not.toMatch(/href="javascript:/i);
  // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
  expect(html).not.toMatch(/[\u001b\u0007\u202e\u200b\u2060\ufeff]/);
  expect(html).not.toMatch(/\u{E0041}/u);
}

describe('SafeText', () => {
  for (const p of HOSTILE) {
    it(`renders ${JSON.stringify(p)} as visible inert text`, () => {
      const html = renderToStaticMarkup(createElement(SafeText, { text: p }));
      assertInert(html);
    });
  }

  it('shows control and invisible characters as escapes and flags them', () => {
    const html = renderToStaticMarkup(
      createElement(SafeText, { text: 'a\u001b[2Jb\u200bc\u202e' }),
    );
    expect(html).toContain('a\\x1b[2Jb\\u200bc\\u202e');
    expect(html).toContain('has-invisible');
  });

  it('keeps line breaks only in multiline mode', () => {
    expect(toDisplay('a\nb')).toBe('a\\nb');
    expect(toDisplay('a\nb\u0007', 100, true)).toBe('a\nb\\x07');
    expect(
      renderToStaticMarkup(createElement(SafeText, { text: 'a\nb', multiline: true })),
    ).not.toContain('has-invisible');
    expect(
      renderToStaticMarkup(createElement(SafeText, { text: 'a\nb\u200b', multiline: true })),
    ).toContain('has-invisible');
  });

  it('cuts long text', () => {
    expect(toDisplay('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}… (40 more chars)`);
  });

  it('allows images only from data: URLs of raster types', () => {
    expect(safeImageSrc('data:image/png;base64,iVBORw0KGgo=')).toBe(
      'data:image/png;base64,iVBORw0KGgo=',
    );
    expect(safeImageSrc('data:image/svg+xml;base64,PHN2Zz4=')).toBeUndefined();
    expect(safeImageSrc('https://evil.example/track.png')).toBeUndefined();
    expect(safeImageSrc('javascript:alert(1)')).toBeUndefined();
    expect(safeImageSrc('data:image/png;base64,AAA" onerror="x')).toBeUndefined();
  });
});

describe('components with hostile server data', () => {
  beforeEach(() => sessionData.clear());

  it('timeline row: method, id and invalid reason', () => {
    const idx = new MessageIndex();
    const text = JSON.stringify({ jsonrpc: '2.0', id: HOSTILE[1], method: HOSTILE[0] });
    const [msg] = idx.add({ seq: 1, ts: 0, dir: 's2c', text, size: text.length });
    const html = renderToStaticMarkup(
      createElement(TimelineRow, {
        msg: msg!,
        startTs: 0,
        top: 0,
        height: 24,
        selected: false,
        paired: false,
        findingCount: 0,
        version: 0,
        onSelect: () => undefined,
      }),
    );
    assertInert(html);
    expect(html).toContain('data-testid="timeline-row"');
    expect(html).toContain('&lt;img src=x onerror=');
  });

  async function hostileStore() {
    const t = makeStore();
    const c = makeCapture('evil');
    c.frame('c2s', {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: HOSTILE[2], version: '1' },
      },
    });
    c.frame('s2c', {
      jsonrpc: '2.0',
      id: 0,
      result: {
        protocolVersion: '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: HOSTILE[0], version: HOSTILE[4] },
        instructions: HOSTILE.join('\n'),
      },
    });
    c.frame('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    c.frame('s2c', {
      jsonrpc: '2.0',
      id: 1,
      result: {
        tools: [
          {
            name: HOSTILE[1],
            title: HOSTILE[5],
            description: HOSTILE.join(' '),
            icons: [{ src: 'javascript:alert(1)' }, { src: 'data:image/svg+xml;base64,PHN2Zz4=' }],
            inputSchema: {
              type: 'object',
              properties: { [HOSTILE[2]!]: { type: 'string', description: HOSTILE[3] } },
            },
          },
        ],
      },
    });
    for (const p of HOSTILE) c.add({ type: 'stderr', text: p });
    await t.store.getState().importFiles([file('evil', c.text())]);
    expect(t.store.getState().toasts).toEqual([]);
    return t;
  }

  it('handshake header, capabilities panel and stderr panel', async () => {
    const t = await hostileStore();
    // React's server renderer reads a store's *initial* state, so render from a snapshot store.
    const snap = createStore<AppState>()(() => t.store.getState());
    for (const comp of [HandshakeHeader, CapabilitiesPanel, StderrPanel]) {
      const html = renderToStaticMarkup(
        createElement(StoreContext.Provider, { value: snap }, createElement(comp)),
      );
      assertInert(html);
      expect(html.length, comp.name).toBeGreaterThan(50);
    }
    const caps = renderToStaticMarkup(
      createElement(StoreContext.Provider, { value: snap }, createElement(CapabilitiesPanel)),
    );
    expect(caps).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(caps).not.toContain('<img'); // neither icon was a safe data: raster image
  });

  it('tool form labels and descriptions from a hostile schema', () => {
    const fields = fieldsOf({
      type: 'object',
      properties: {
        [HOSTILE[2]!]: { type: 'string', description: HOSTILE[0] },
        e: { enum: [HOSTILE[1]] },
      },
    });
    const html = renderToStaticMarkup(
      createElement(SchemaForm, { fields, values: {}, onChange: () => undefined }),
    );
    assertInert(html);
  });
});

describe('renderer source', () => {
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
    });
  }
  const src = files(join(ROOT, 'renderer/src')).map((p) => ({ p, text: readFileSync(p, 'utf8') }));

  it('never injects HTML or evaluates strings', () => {
    for (const { p, text } of src) {
      expect(text, p).not.toMatch(
        /dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/,
      );
    }
  });

  it('makes no network request of its own (no fetch, no remote URLs)', () => {
    for (const { p, text } of src) {
      // The one same-origin exception: the page trading its ticket with its own engine.
      expect(text, p).not.toMatch(
        /\bfetch\((?!'\/api\/session')|XMLHttpRequest|navigator\.sendBeacon/,
      );
      expect(text, p).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
    }
  });

  it('index.html has a strict CSP without unsafe-eval or remote sources', () => {
    const html = readFileSync(join(ROOT, 'renderer/index.html'), 'utf8');
    const csp = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});
