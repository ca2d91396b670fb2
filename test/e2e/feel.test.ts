// The feel of the app in Chromium: a server request dialog takes focus, keeps Tab inside and
// closes with Esc (declining); the `?` overlay; toasts go away by themselves; the light theme
// switches colors and the native color-scheme.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/paths.js';
import { AppPage, e2eReady, launch, startUi, type Browser, type UiProcess } from './harness.js';

const skip = e2eReady();
if (skip && process.env.CI === 'true')
  throw new Error(`e2e prerequisites missing under CI: ${skip}`);
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

describe.skipIf(skip !== undefined)('feel', () => {
  beforeAll(async () => {
    ui = await startUi();
    browser = await launch(ui.url.origin);
    app = new AppPage(browser.page);
    await app.open(ui.url);
    await browser.page.getByTestId('session-screen').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('a server request dialog takes focus, traps Tab, and Esc declines it', async () => {
    const page = browser.page;
    await app.interact.open();
    await app.interact.pickTool('ask-model');
    await app.interact.fill('question', 'are you there?');
    await page.getByTestId('tool-call').click();
    const dialog = page.getByTestId('server-request-dialog');
    await dialog.waitFor({ timeout: 30_000 });
    const inside = () =>
      page.evaluate(() => !!document.activeElement?.closest('[data-testid=server-request-dialog]'));
    expect(await inside()).toBe(true);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const result = page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/dismissed|declined|error/i);
  });

  it('marks the poisoned demo tool in the tools list, and only it', async () => {
    const page = browser.page;
    const marker = page.locator(
      '[data-testid=tool-item][data-name="get-weather"] [data-testid=tool-finding]',
    );
    await marker.waitFor({ timeout: 30_000 });
    expect(await marker.getAttribute('class')).toMatch(/sev-(high|critical)/);
    expect(
      await page
        .locator('[data-testid=tool-item][data-name="echo"] [data-testid=tool-finding]')
        .count(),
    ).toBe(0);
  });

  it('? lists the shortcuts; Esc closes the list', async () => {
    const page = browser.page;
    await page.getByTestId('timeline').click();
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts').waitFor();
    expect(await page.getByTestId('shortcuts').textContent()).toContain('focus the filter');
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts').waitFor({ state: 'detached' });
  });

  it('a toast dismisses itself', async () => {
    const page = browser.page;
    const bad = join(scratchDir('mcpscope-e2e-feel-'), 'bad.mcpscope.jsonl');
    writeFileSync(bad, 'this is not a capture\n');
    await app.nav('library');
    await app.library.importFile(bad);
    const toast = page
      .getByTestId('toast-error')
      .filter({ hasText: 'bad.mcpscope.jsonl was not imported' });
    await toast.waitFor({ timeout: 30_000 });
    expect(await toast.textContent()).not.toContain('\\n');
    await toast.waitFor({ state: 'detached', timeout: 25_000 });
  });

  it('switches to the light theme: colors and the native color-scheme follow', async () => {
    const page = browser.page;
    const look = () =>
      page.evaluate(() => ({
        scheme: getComputedStyle(document.documentElement).colorScheme,
        bg: getComputedStyle(document.documentElement).backgroundColor,
      }));
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await look();
    expect(dark.scheme).toBe('dark');
    await page.getByTestId('theme-toggle').click(); // auto → light
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    const light = await look();
    expect(light.scheme).toBe('light');
    expect(light.bg).not.toBe(dark.bg);
    await app.nav('session');
    await app.timeline.rows().first().waitFor();
    await app.screenshot('screenshot-light.png');
  });

  it('threw no page errors', () => {
    expect(browser.pageErrors).toEqual([]);
  });
});
