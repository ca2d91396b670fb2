// Interact against a fixture server (test/fixtures/servers/interact-server.mjs) in Chromium, for
// what server-everything does not send: a progress bar with the server's message (escaped), a
// progress notification that is not a fraction (no bar, no crash), and a URL elicitation with a
// look-alike host and hidden characters in its message, cancelled by the user.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'servers', 'interact-server.mjs');
const skip = e2eReady();
if (skip && process.env.CI === 'true')
  throw new Error(`e2e prerequisites missing under CI: ${skip}`);
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

describe.skipIf(skip !== undefined)('Interact with a fixture server: progress message, URL', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await openApp());
    await browser.page.getByTestId('session-screen').waitFor({ timeout: 30_000 });
    await app.nav('connect');
    await app.connect.connectStdio(process.execPath, `"${FIXTURE}"`, 'interact-fixture');
    await app.interact.open();
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('shows the progress message beside the bar, escaped', async () => {
    const page = browser.page;
    await app.interact.pickTool('steps-with-message');
    await page.getByTestId('tool-call').click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=tool-running-label]')?.textContent === '100% (3/3)',
      null,
      { timeout: 30_000 },
    );
    expect(await page.getByTestId('tool-running-message').textContent()).toBe(
      'step 3 of 3 \\x1b[31mred\\x1b[0m',
    );
    const result = page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('steps done');
    expect(browser.pageErrors).toEqual([]);
  });

  it('shows a look-alike URL with its real host emphasised and hidden characters visible', async () => {
    const page = browser.page;
    await app.interact.pickTool('ask-url');
    await page.getByTestId('tool-call').click();
    const dialog = page.getByTestId('server-request-dialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('elicit-url-host').textContent()).toBe(
      'paypal.com.account-verify.test',
    );
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\x1b[2J');
    await dialog.getByTestId('elicit-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    const result = page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('user answered cancel');
    expect(browser.foreignRequests).toEqual([]);
  });
});
