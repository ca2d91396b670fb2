// Interact → Resources against server-everything (stdio) in Chromium: a resource template filled
// with the server's completions (completion/complete, ref/resource) and the expanded URI read;
// a subscription whose notifications/resources/updated show up, then unsubscribe; the server's
// log messages (notifications/message) in the Log tab after logging/setLevel.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  e2eReady,
  interactOnEverything,
  type AppPage,
  type Browser,
  type UiProcess,
} from './harness.js';

const skip = e2eReady();
if (skip && process.env.CI === 'true')
  throw new Error(`e2e prerequisites missing under CI: ${skip}`);
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

const TEXT_TEMPLATE = 'demo://resource/dynamic/text/{resourceId}';

describe.skipIf(skip !== undefined)('Interact: resource templates, subscriptions, log', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await interactOnEverything());
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('fills a template variable from the server completions and reads the expanded URI', async () => {
    const page = browser.page;
    await page.getByTestId('interact-tab-resources').click();
    await page.locator(`[data-testid=template-item][data-template="${TEXT_TEMPLATE}"]`).click();
    await page.getByTestId('template-form').waitFor();
    // server-everything completes a resourceId that is a positive integer with itself.
    await page.locator('[data-testid=template-var][data-name=resourceId]').fill('7');
    const option = page.locator('[data-testid=completion-option][data-value="7"]');
    await option.waitFor({ timeout: 30_000 });
    await option.click();
    await expect(page.getByTestId('completion-list').count()).resolves.toBe(0);
    expect(await page.getByTestId('template-uri').textContent()).toBe(
      'demo://resource/dynamic/text/7',
    );
    await page.getByTestId('template-read').click();
    const result = page.getByTestId('resource-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/Resource 7/);
    expect(await page.getByTestId('resource-uri').textContent()).toBe(
      'demo://resource/dynamic/text/7',
    );
    // The completion request is on the timeline with the template as its ref.
    await app.timeline.filter('method:completion/complete');
    await app.timeline
      .rowWhere({ kind: 'response', dir: 's2c' })
      .first()
      .waitFor({ timeout: 30_000 });
    await app.timeline.filter('');
  });

  it('subscribes to a resource, shows its updates, unsubscribes; the log shows the server messages', async () => {
    const page = browser.page;
    await page.getByTestId('log-level').selectOption('debug');
    await page.getByTestId('interact-tab-resources').click();
    await page.getByTestId('resource-item').first().click();
    await page.getByTestId('resource-result').waitFor({ timeout: 30_000 });
    const uri = (await page.getByTestId('resource-uri').textContent()) ?? '';
    await page.getByTestId('resource-subscribe').click();
    await page.getByTestId('resource-unsubscribe').waitFor({ timeout: 30_000 });
    // The engine keeps the subscriptions: leaving Interact and coming back still shows it.
    await page.getByTestId('panel-findings').click();
    await app.interact.open();
    await page.getByTestId('interact-tab-resources').click();
    await page.locator(`[data-testid=resource-item][data-uri="${uri}"]`).click();
    await page.getByTestId('resource-unsubscribe').waitFor({ timeout: 30_000 });
    // server-everything sends updates for subscribed resources once its updates are switched on
    // (one at once, then every 5 s).
    await page.getByTestId('interact-tab-tools').click();
    await app.interact.pickTool('toggle-subscriber-updates');
    expect(await app.interact.call()).toMatch(/Started simulated resource updated/);
    await page.getByTestId('interact-tab-resources').click();
    const update = page.locator('[data-testid=resource-update]').first();
    await update.waitFor({ timeout: 30_000 });
    expect(await update.textContent()).toContain(uri);
    expect(Number(await page.getByTestId('update-count').textContent())).toBeGreaterThan(0);
    await page.locator(`[data-testid=resource-item][data-uri="${uri}"]`).click();
    await page.getByTestId('resource-unsubscribe').click();
    await page.getByTestId('resource-subscribe').waitFor({ timeout: 30_000 });
    await app.timeline.filter('method:resources/unsubscribe');
    await app.timeline
      .rowWhere({ kind: 'response', dir: 's2c' })
      .first()
      .waitFor({ timeout: 30_000 });
    await app.timeline.filter('');
    // The subscribe handler logs at info level: with the level at debug it is in the Log tab.
    await page.getByTestId('interact-tab-log').click();
    const line = page.locator('[data-testid=log-line]', { hasText: 'Received Subscribe Resource' });
    await line.first().waitFor({ timeout: 30_000 });
    expect(await line.first().getAttribute('data-level')).toBe('info');
    expect(browser.pageErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
