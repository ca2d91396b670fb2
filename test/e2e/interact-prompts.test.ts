// Interact against server-everything (stdio) in Chromium: prompt arguments completed as the user
// types (completion/complete, ref/prompt, the other argument sent as context) and picked from
// the dropdown; a long tool call's progress bar (notifications/progress) and its Cancel
// (notifications/cancelled); a resource read with its progress bar.

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

describe.skipIf(skip !== undefined)('Interact: prompt completions and progress', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await interactOnEverything());
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('completes prompt arguments as you type, the second from the first as context', async () => {
    const page = browser.page;
    await page.getByTestId('interact-tab-prompts').click();
    await page.locator('[data-testid=prompt-item][data-name=completable-prompt]').click();
    const dept = page.locator('[data-testid=prompt-arg][data-name=department]');
    await dept.pressSequentially('Eng', { delay: 30 });
    const eng = page.locator('[data-testid=completion-option][data-value=Engineering]');
    await eng.waitFor({ timeout: 30_000 });
    // Only what starts with the typed text is offered.
    expect(await page.getByTestId('completion-option').count()).toBe(1);
    await eng.click();
    expect(await dept.inputValue()).toBe('Engineering');
    // The name completions depend on the department (sent as context.arguments).
    const name = page.locator('[data-testid=prompt-arg][data-name=name]');
    await name.pressSequentially('A', { delay: 30 });
    const alice = page.locator('[data-testid=completion-option][data-value=Alice]');
    await alice.waitFor({ timeout: 30_000 });
    await alice.click();
    expect(await name.inputValue()).toBe('Alice');
    await page.getByTestId('prompt-get').click();
    const result = page.getByTestId('prompt-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain(
      'Please promote Alice to the head of the Engineering team',
    );
    // Typing is debounced (four keystrokes and two focus events, one request per field), and
    // neither picking a value nor changing the other field asks again.
    await app.timeline.filter('method:completion/complete kind:request');
    const requests = await app.timeline.rowWhere({ kind: 'request' }).count();
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(requests).toBeLessThanOrEqual(3);
    await app.timeline.filter('');
  });

  it('shows a progress bar on a long tool call and cancels it', async () => {
    const page = browser.page;
    await page.getByTestId('interact-tab-tools').click();
    await app.interact.pickTool('trigger-long-running-operation');
    await app.interact.fill('duration', '60');
    await app.interact.fill('steps', '60');
    await page.getByTestId('tool-call').click();
    await page.getByTestId('tool-running').waitFor({ timeout: 30_000 });
    // The bar fills from notifications/progress (progress/total): wait for the second step.
    await page.waitForFunction(
      () =>
        /^\d+% \(([2-9]|\d\d)\/60\)$/.test(
          document.querySelector('[data-testid=tool-running-label]')?.textContent ?? '',
        ),
      null,
      { timeout: 30_000 },
    );
    const value = await page
      .getByTestId('tool-running-bar')
      .evaluate((el) => (el as HTMLProgressElement).value);
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(1);
    await page.getByTestId('tool-running-cancel').click();
    const result = page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect((await result.getAttribute('class')) ?? '').toContain('err');
    expect(await page.getByTestId('tool-running').count()).toBe(0);
    await app.timeline.filter('method:notifications/cancelled');
    await app.timeline.rowWhere({ kind: 'notification', dir: 'c2s' }).first().waitFor();
    await app.timeline.filter('');
    expect(browser.pageErrors).toEqual([]);
  });
});
