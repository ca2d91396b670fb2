// The feel of the app in Chromium: a server request dialog takes focus, keeps Tab inside and
// closes with Esc (declining); the `?` overlay; toasts go away by themselves; the light theme
// switches colors, the native color-scheme and Monaco's theme.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/paths.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';

const skip = e2eReady();
if (skip && process.env.CI === 'true')
  throw new Error(`e2e prerequisites missing under CI: ${skip}`);
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

describe.skipIf(skip !== undefined)('feel', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await openApp());
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

  it('Monaco follows the theme: the switch and, on auto, the system scheme', async () => {
    const page = browser.page;
    // Left on light by the test above; the detail editor shows the selected frame.
    expect(await page.getByTestId('theme-toggle').getAttribute('data-theme')).toBe('light');
    await page.getByTestId('panel-detail').click();
    await app.timeline.rowWhere({ kind: 'request' }).first().click();
    const editor = page.locator('[data-testid=detail-editor] .monaco-editor');
    await editor.waitFor({ timeout: 30_000 });
    const monacoTheme = (theme: 'vs' | 'vs-dark') =>
      page.locator(`[data-testid=detail-editor] .monaco-editor.${theme}`).waitFor();
    await monacoTheme('vs');
    await page.getByTestId('theme-toggle').click(); // light → dark
    await monacoTheme('vs-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('theme-toggle').click(); // dark → auto, and the system is light
    await monacoTheme('vs');
    await page.emulateMedia({ colorScheme: 'dark' }); // the system turns dark
    await monacoTheme('vs-dark');
    expect(await page.locator('.monaco-editor.vs').count()).toBe(0);
  });

  it('a dragged column edge sets its width for the header and the rows, and survives a reload', async () => {
    const page = browser.page;
    await app.nav('session');
    await app.timeline.rows().first().waitFor({ timeout: 30_000 });
    const width = async (sel: string) => (await page.locator(sel).first().boundingBox())!.width;
    const before = await width('[data-testid=timeline-head] .c-time');
    const edge = (await page.getByTestId('col-resize-time').boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 70, edge.y + edge.height / 2, { steps: 6 });
    await page.mouse.up();
    const after = await width('[data-testid=timeline-head] .c-time');
    expect(after).toBeGreaterThan(before + 60);
    expect(Math.abs((await width('[data-testid=timeline-row] .c-time')) - after)).toBeLessThan(1);
    // Saved by the engine (debounced): wait for the file rather than sleeping.
    const saved = join(ui.home, 'ui-state.json');
    const savedTime = () => {
      try {
        const v = JSON.parse(readFileSync(saved, 'utf8')) as {
          layout?: { columns?: { time?: number } };
        };
        return v.layout?.columns?.time;
      } catch {
        return undefined;
      }
    };
    await expect.poll(savedTime, { timeout: 10_000 }).toBe(Math.round(after));
    await app.open(ui.url); // a reload: the same engine and data dir
    await app.nav('session');
    await app.timeline.rows().first().waitFor({ timeout: 30_000 });
    await expect
      .poll(() => width('[data-testid=timeline-head] .c-time'), { timeout: 10_000 })
      .toBeCloseTo(after, 0);
    // A double click on the edge gives the column its automatic width back.
    await page.getByTestId('col-resize-time').dblclick();
    await expect
      .poll(() => width('[data-testid=timeline-head] .c-time'), { timeout: 10_000 })
      .toBeCloseTo(before, 0);
  });

  it('threw no page errors', () => {
    expect(browser.pageErrors).toEqual([]);
  });
});
