// The Repeater in Chromium: call a tool on server-everything, open the recorded tools/call from
// the timeline with "Edit and resend", edit it in Monaco (checked against the tool's input
// schema), resend it on the live connection, and see the live answer beside the recorded one
// with the difference named by JSON pointer. Tabs survive a reload.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING } from '../helpers/paths.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';

const skip = e2eReady();
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

async function typeInRepeater(text: string): Promise<void> {
  const page = browser.page;
  const editor = page.locator('[data-testid=repeater-editor] .monaco-editor');
  await editor.waitFor({ timeout: 30_000 });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe.skipIf(skip !== undefined)('Repeater: edit and resend a recorded request', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await openApp());
    await app.nav('connect');
    await app.connect.connectStdio(process.execPath, `"${EVERYTHING}" stdio`, 'everything');
    // roots/list is answered by the app itself (the roots editor), with no dialog.
    await app.timeline
      .rowWhere({ kind: 'response', text: 'initialize' })
      .first()
      .waitFor({ timeout: 30_000 });
    await app.interact.open();
    await app.interact.pickTool('echo');
    await app.interact.fill('message', 'as recorded');
    expect(await app.interact.call()).toContain('Echo: as recorded');
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('opens the recorded tools/call in a Repeater tab, validates the edit, resends it and shows the diff', async () => {
    const page = browser.page;
    await app.timeline.filter('method:tools/call');
    await app.timeline.rowWhere({ kind: 'request', dir: 'c2s' }).last().click();
    await page.getByTestId('panel-detail').click();
    await page.getByTestId('detail-edit-resend').click();
    await page.getByTestId('repeater').waitFor();
    expect(await page.getByTestId('repeater-original').textContent()).toContain(
      'Echo: as recorded',
    );
    expect(await page.getByTestId('repeater-response').textContent()).toContain('not sent yet');

    // An argument of the wrong type is flagged against echo's input schema before sending.
    await typeInRepeater(
      '{"jsonrpc": "2.0", "id": "rep-1", "method": "tools/call", "params": {"name": "echo", "arguments": {"message": 5}}}',
    );
    await page.getByTestId('repeater-problems').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('repeater-problems').textContent()).toMatch(/message.*string/);
    expect(await page.getByTestId('repeater-send').textContent()).toMatch(/Send anyway/);

    await typeInRepeater(
      '{"jsonrpc": "2.0", "id": "rep-2", "method": "tools/call", "params": {"name": "echo", "arguments": {"message": "edited in the repeater"}}}',
    );
    await page.getByTestId('repeater-problems').waitFor({ state: 'detached' });
    await page.getByTestId('repeater-send').click();
    await page
      .getByTestId('repeater-response')
      .filter({ hasText: 'Echo: edited in the repeater' })
      .waitFor({ timeout: 30_000 });
    const diff = page.getByTestId('repeater-diff');
    await diff.waitFor();
    expect(await diff.getAttribute('data-count')).toBe('1');
    const row = page.getByTestId('repeater-diff-row');
    expect(await row.getAttribute('data-pointer')).toBe('/result/content/0/text');
    expect(await row.textContent()).toContain(
      'recorded "Echo: as recorded", replayed "Echo: edited in the repeater"',
    );
    // The resent request went over the live connection, so it is on the timeline too.
    await app.timeline.filter('edited in the repeater');
    await app.timeline
      .rowWhere({ kind: 'response', dir: 's2c' })
      .first()
      .waitFor({ timeout: 30_000 });
    await app.screenshot('screenshot-repeater.png');
  });

  it('Resend sends the recorded request at once; tabs survive a reload', async () => {
    const page = browser.page;
    await app.timeline.filter('method:tools/call');
    await app.timeline.rowWhere({ kind: 'request', dir: 'c2s' }).first().click();
    await page.getByTestId('panel-detail').click();
    await page.getByTestId('detail-resend').click();
    await page
      .getByTestId('repeater-diff')
      .filter({ hasText: 'Same as recorded' })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('repeater-tab').count()).toBe(2);
    await app.open(ui.url);
    await page
      .getByTestId('nav-session')
      .click()
      .catch(() => undefined);
    await page.getByTestId('panel-repeater').click();
    expect(await page.getByTestId('repeater-tab').count()).toBe(2);
  });

  it('replays the whole session with a side-by-side diff and serves it as a mock', async () => {
    const page = browser.page;
    // The reload above reopened the app on its demo session: open the server-everything one.
    await app.nav('library');
    await app.library.openRow(/everything/i);
    await page.getByTestId('panel-repeater').click();
    await page.getByTestId('replay-session').click();
    const result = page.getByTestId('replay-result');
    await result.waitFor({ timeout: 60_000 });
    const exchanges = Number(await result.getAttribute('data-exchanges'));
    expect(exchanges).toBeGreaterThan(3);
    expect(await page.getByTestId('replay-exchange').count()).toBe(exchanges);
    // The selected exchange is the first divergence (or the first exchange when all are the same).
    const rows = await page.getByTestId('replay-exchange').evaluateAll((els) =>
      els.map((e) => ({
        on: e.className.includes('on'),
        differs: e.getAttribute('data-differs') === 'true',
      })),
    );
    const firstDiff = rows.findIndex((r) => r.differs);
    expect(rows.findIndex((r) => r.on)).toBe(firstDiff >= 0 ? firstDiff : 0);
    expect(await result.textContent()).toMatch(/exchanges? replayed/);

    await page.getByTestId('serve-mock').click();
    await page.getByTestId('mock-url').waitFor({ timeout: 30_000 });
    const url = (await page.getByTestId('mock-url').textContent()) ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(await page.getByTestId('mock-command').textContent()).toMatch(/mcpscope\.js'? mock /);
    // The mock answers a real client with the recorded echo.
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } =
      await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const c = new Client({ name: 'e2e', version: '1' }, { capabilities: {} });
    await c.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const r = await c.callTool({ name: 'echo', arguments: { message: 'as recorded' } });
      expect(JSON.stringify(r)).toContain('Echo: as recorded');
    } finally {
      await c.close();
    }
    await page.getByTestId('serve-mock').click();
    await page.getByTestId('mock-info').waitFor({ state: 'detached' });
  });
});
