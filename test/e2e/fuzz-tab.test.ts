// The Fuzz tab in Chromium against a real server-everything over stdio: fuzz one tool (echo, so
// no case triggers a sampling or elicitation dialog), progress reaches the end and the form is
// usable again. Also writes docs/screenshot-fuzz.png under `npm run screenshots`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING } from '../helpers/paths.js';
import { skipWithout } from '../helpers/prereq.js';
import { AppPage, e2eReady, launch, startUi, type Browser, type UiProcess } from './harness.js';

const skip = skipWithout(e2eReady());
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

describe.skipIf(skip)('the Fuzz tab', () => {
  beforeAll(async () => {
    ui = await startUi();
    browser = await launch(ui.url.origin);
    app = new AppPage(browser.page);
    await app.open(ui.url);
    await app.nav('connect');
    await app.connect.connectStdio(process.execPath, `"${EVERYTHING}" stdio`, 'everything');
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('fuzzes one tool to the end and shows the run', async () => {
    const page = browser.page;
    await app.interact.open();
    await page.getByTestId('interact-tab-fuzz').click();
    await page.getByTestId('fuzz-tool-echo').waitFor({ timeout: 30_000 });
    // Only echo: every other (non-destructive) tool starts ticked.
    const boxes = page.locator('[data-testid^=fuzz-tool-]');
    const n = await boxes.count();
    expect(n).toBeGreaterThan(1);
    for (let i = 0; i < n; i++) {
      const box = boxes.nth(i);
      const want = (await box.getAttribute('data-testid')) === 'fuzz-tool-echo';
      if ((await box.isChecked()) !== want) await box.setChecked(want);
    }
    await page.getByTestId('fuzz-cases').fill('25');
    await page.getByTestId('fuzz-start').click();
    await page
      .getByTestId('fuzz-progress')
      .filter({ hasText: '25/25 cases' })
      .waitFor({ timeout: 90_000 });
    await expect
      .poll(() => page.getByTestId('fuzz-start').isEnabled(), { timeout: 30_000 })
      .toBe(true);
    await app.screenshot('screenshot-fuzz.png');
    expect(browser.pageErrors).toEqual([]);
  });
});
