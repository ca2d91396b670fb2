// Interact against server-everything (stdio) in Chromium: a tool run as a task (MCP 2025-11-25:
// tools/call with `task`, polled with tasks/get, result from tasks/result), the Tasks tab
// (tasks/list), cancelling a task (tasks/cancel), a task that needs input (input_required: the
// elicitation comes through tasks/result); URL-mode elicitation shown with its host
// emphasised, opened (window.open, outside the app) or refused for a non-web address.

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

describe.skipIf(skip !== undefined)('Interact: tasks and URL elicitation', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await interactOnEverything());
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('runs a tool as a task: status polled to completed, then its result', async () => {
    const page = browser.page;
    await app.interact.pickTool('simulate-research-query');
    await app.interact.fill('topic', 'tidal power');
    await page.getByTestId('tool-call-task').click();
    const view = page.getByTestId('task-view');
    await view.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid=task-status]')?.textContent === 'completed',
      null,
      { timeout: 60_000 },
    );
    const result = page.getByTestId('task-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('tidal power');
    for (const m of ['tasks/get', 'tasks/result']) {
      await app.timeline.filter(`method:${m}`);
      await app.timeline.rowWhere({ kind: 'response', dir: 's2c' }).first().waitFor();
    }
    await app.timeline.filter('');
  });

  it('a task waiting for input gets it: tasks/result delivers the elicitation to the dialog', async () => {
    const page = browser.page;
    await app.interact.pickTool('simulate-research-query');
    await app.interact.fill('topic', 'python');
    await page.getByTestId('arg-ambiguous').check();
    await page.getByTestId('tool-call-task').click();
    // input_required → tasks/result at once → the server's elicitation/create arrives through it.
    const dialog = page.locator(
      '[data-testid=server-request-dialog][data-method="elicitation/create"]',
    );
    await dialog.waitFor({ timeout: 60_000 });
    await dialog.getByTestId('arg-interpretation').selectOption('snake');
    await dialog.getByTestId('server-request-answer').click();
    await dialog.waitFor({ state: 'detached' });
    const result = page.getByTestId('task-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain('After receiving clarification ("snake")');
    // tasks/result can answer before the next tasks/get poll shows the status change.
    await page.waitForFunction(
      () => document.querySelector('[data-testid=task-status]')?.textContent === 'completed',
      null,
      { timeout: 30_000 },
    );
  });

  it('lists the tasks and cancels a running one', async () => {
    const page = browser.page;
    await app.interact.pickTool('simulate-research-query');
    await app.interact.fill('topic', 'slow topic');
    await page.getByTestId('tool-call-task').click();
    await page.getByTestId('task-cancel').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=task-status]')?.textContent === 'cancelled',
      null,
      { timeout: 30_000 },
    );
    await page.getByTestId('interact-tab-tasks').click();
    const items = page.getByTestId('task-item');
    await items.nth(2).waitFor({ timeout: 30_000 });
    const statuses = await items.evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-status')),
    );
    expect(statuses.sort()).toEqual(['cancelled', 'completed', 'completed']);
    await page.locator('[data-testid=task-item][data-status=completed]').first().click();
    await page.getByTestId('task-result').waitFor({ timeout: 30_000 });
  });

  it('shows a URL elicitation with its host emphasised and opens it outside the app', async () => {
    const page = browser.page;
    // Record what Open asks the browser to open instead of leaving the test machine.
    await page.evaluate(() => {
      (window as unknown as { opened: unknown[] }).opened = [];
      window.open = (...a: unknown[]) => {
        (window as unknown as { opened: unknown[] }).opened.push(a);
        return null;
      };
    });
    await page.getByTestId('interact-tab-tools').click();
    await app.interact.pickTool('trigger-url-elicitation');
    const url = 'https://accounts.example.com.login-check.test/authorize?step=1';
    await app.interact.fill('url', url);
    await page.getByTestId('tool-call').click();
    const dialog = page.getByTestId('server-request-dialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('elicit-url-text').textContent()).toBe(url);
    expect(await dialog.getByTestId('elicit-url-host').textContent()).toBe(
      'accounts.example.com.login-check.test',
    );
    await dialog.getByTestId('elicit-url-open').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { opened: unknown[] }).opened)).toEqual([
      [url, '_blank', 'noopener,noreferrer'],
    ]);
    const result = page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/User completed the URL elicitation flow/);
  });

  it('refuses to open a non-web URL and lets the user decline', async () => {
    const page = browser.page;
    await app.interact.fill('url', 'file:///etc/passwd');
    await page.getByTestId('tool-call').click();
    const dialog = page.getByTestId('server-request-dialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('elicit-url-problem').textContent()).toMatch(
      /only https addresses, not file:/,
    );
    expect(await dialog.getByTestId('elicit-url-open').count()).toBe(0);
    await dialog.getByTestId('elicit-decline').click();
    await dialog.waitFor({ state: 'detached' });
    const result = page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/User declined to open the URL/);
    expect(browser.foreignRequests).toEqual([]);
  });
});
