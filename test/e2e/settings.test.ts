// Settings → retention in browser mode: the policy is saved in the engine's data directory
// (retention.json, what `mcpscope gc` reads), "Clean up now" lists what will go before deleting,
// and the deleted capture leaves the library while the recent one stays.

import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCapture } from '../bench/gen-capture.mjs';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';
import { skipWithout } from '../helpers/prereq.js';

const skip = skipWithout(e2eReady());
const home = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-settings-'));
const captures = join(home, 'captures');
const oldPath = join(captures, 'old.mcpscope.jsonl');
const newPath = join(captures, 'new.mcpscope.jsonl');
let oldId = '';
let newId = '';
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

describe.skipIf(skip)('Settings: retention', () => {
  beforeAll(async () => {
    mkdirSync(captures, { recursive: true });
    oldId = (await writeCapture(oldPath, { frames: 20 })).id;
    newId = (await writeCapture(newPath, { frames: 20 })).id;
    const t = (Date.now() - 90 * 86_400_000) / 1000;
    utimesSync(oldPath, t, t);
    ({ ui, browser, app } = await openApp([], home));
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('saves max age and size in the data directory, lists what will go, deletes only on confirm', async () => {
    const page = browser.page;
    await app.nav('library');
    const row = (id: string) => page.locator(`[data-testid=session-row][data-session-id="${id}"]`);
    await row(oldId).waitFor({ timeout: 90_000 });
    await row(newId).waitFor();

    await page.getByTestId('settings-button').click();
    const dialog = page.getByTestId('settings-dialog');
    await page.locator('[data-testid=settings-dialog][data-loaded=true]').waitFor();
    await dialog.getByTestId('retention-max-age').fill('30 parsecs');
    await dialog.getByTestId('retention-form-error').waitFor();
    expect(await dialog.getByTestId('retention-save').isDisabled()).toBe(true);
    await dialog.getByTestId('retention-max-age').fill('30d');
    await dialog.getByTestId('retention-max-size').fill('2GB');
    await dialog.getByTestId('retention-save').click();
    await dialog.getByTestId('retention-saved').waitFor();
    expect(JSON.parse(readFileSync(join(home, 'retention.json'), 'utf8'))).toEqual({
      maxAgeDays: 30,
      maxBytes: 2 * 1024 ** 3,
    });

    await dialog.getByTestId('retention-cleanup').click();
    const plan = dialog.getByTestId('retention-plan');
    await plan.waitFor();
    expect(await plan.getAttribute('data-count')).toBe('1');
    expect(await dialog.getByTestId('retention-plan-row').allTextContents()).toEqual([
      expect.stringMatching(/captures\/old\.mcpscope\.jsonl · [\d.]+ KB · too old/),
    ]);
    // Listing deleted nothing.
    expect(existsSync(oldPath)).toBe(true);
    await app.screenshot('screenshot-settings.png');

    await dialog.getByTestId('retention-confirm').click();
    await dialog.getByTestId('retention-result').waitFor();
    expect(await dialog.getByTestId('retention-result').textContent()).toMatch(/Deleted 1 capture/);
    expect(existsSync(oldPath)).toBe(false);
    expect(existsSync(newPath)).toBe(true);
    await dialog.getByTestId('settings-close').click();
    await row(oldId).waitFor({ state: 'detached' });
    await row(newId).waitFor();

    // Opened again, the dialog shows the saved policy (read back from the engine).
    await page.getByTestId('settings-button').click();
    await page.locator('[data-testid=settings-dialog][data-loaded=true]').waitFor();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid=retention-max-age]') as HTMLInputElement | null)
          ?.value === '30d',
    );
    expect(await page.getByTestId('retention-max-size').inputValue()).toBe('2GB');
  }, 180_000);
});
