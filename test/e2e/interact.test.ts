// Interact against server-everything (stdio) in Chromium: roots answered without a dialog and
// edited live, ping, logging level, results rendered for reading (text with line breaks, an
// image, structured content beside its output schema, resource links that open the resource),
// stale results cleared, Reconnect.

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

describe.skipIf(skip !== undefined)('Interact with server-everything', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await interactOnEverything());
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('answers roots/list by itself (no dialog) and the roots editor changes what the server sees', async () => {
    const page = browser.page;
    await app.timeline.filter('method:roots/list');
    await app.timeline
      .rowWhere({ kind: 'response', dir: 'c2s' })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('server-request-dialog').count()).toBe(0);
    await app.timeline.filter('');
    await page.locator('[data-testid=roots-editor] > summary').click();
    await page.getByTestId('roots-input').fill('file:///tmp/mcpscope-e2e-project Project X');
    await page.getByTestId('roots-save').click();
    // The note changes once the engine has answered (slow under load): wait for it, then check.
    await page
      .getByTestId('roots-note')
      .filter({ hasText: /1 root set/ })
      .waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('roots-note').textContent()).resolves.toMatch(
      /1 root set; the server was told/,
    );
    await page.locator('[data-testid=roots-editor] > summary').click();
    await app.interact.pickTool('get-roots-list');
    // The server re-reads roots after list_changed (asynchronously); the tool shows what it has.
    let shown = '';
    for (let i = 0; i < 10 && !shown.includes('mcpscope-e2e-project'); i++)
      shown = await app.interact.call();
    expect(shown).toContain('file:///tmp/mcpscope-e2e-project');
    expect(await page.getByTestId('server-request-dialog').count()).toBe(0);
  });

  it('pings with a round-trip time and sets the logging level', async () => {
    const page = browser.page;
    await page.getByTestId('ping').click();
    await page.waitForFunction(
      () => /ms$/.test(document.querySelector('[data-testid=ping-result]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    await page.getByTestId('log-level').selectOption('debug');
    await app.timeline.filter('method:logging/setLevel');
    await app.timeline
      .rowWhere({ kind: 'response', dir: 's2c' })
      .first()
      .waitFor({ timeout: 30_000 });
    await app.timeline.filter('');
  });

  it('renders text with its line breaks, an image, and structured content beside its schema', async () => {
    const page = browser.page;
    await app.interact.pickTool('echo');
    await app.interact.fill('message', 'first line');
    await app.interact.call();
    const text = await page
      .locator('[data-testid=tool-result] [data-testid=rv-text]')
      .first()
      .textContent();
    expect(text).toContain('Echo: first line');

    await app.interact.pickTool('get-tiny-image');
    // The previous tool's result is gone the moment another tool is picked.
    expect(await page.getByTestId('tool-result').count()).toBe(0);
    await app.interact.call();
    const src = await page
      .locator('[data-testid=tool-result] [data-testid=rv-image]')
      .first()
      .getAttribute('src');
    expect(src).toMatch(/^data:image\/png;base64,/);

    await app.interact.pickTool('get-structured-content');
    await page.getByTestId('arg-location').selectOption('Chicago');
    await app.interact.call();
    const structured = page.locator('[data-testid=tool-result] [data-testid=rv-structured]');
    await structured.waitFor();
    const s = (await structured.textContent()) ?? '';
    expect(s).toContain('temperature');
    expect(s).toContain('outputSchema');
    // Raw JSON is one click away, with real line breaks.
    await page.locator('[data-testid=tool-result] [data-testid=rv-raw]').check();
    expect(await page.locator('[data-testid=tool-result] pre').first().textContent()).toMatch(
      /\{\n {2}"content"/,
    );
  });

  it('opens the resource a result links to', async () => {
    const page = browser.page;
    await app.interact.pickTool('get-resource-links');
    await app.interact.call();
    const link = page.locator('[data-testid=tool-result] [data-testid=rv-link]').first();
    await link.waitFor();
    const uri = ((await link.locator('.mono').textContent()) ?? '').trim();
    expect(uri).toMatch(/^demo:\/\//);
    await link.getByTestId('rv-link-open').click();
    await page.getByTestId('resource-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('resource-uri').textContent()).toBe(uri);
    await page.locator('[data-testid=resource-result] [data-testid=rv-resource]').first().waitFor();
  });

  it('clears a prompt result when another prompt is picked', async () => {
    const page = browser.page;
    await page.getByTestId('interact-tab-prompts').click();
    await page.getByTestId('prompt-item').filter({ hasText: 'simple-prompt' }).click();
    await page.getByTestId('prompt-get').click();
    await page
      .locator('[data-testid=prompt-result] [data-testid=rv-message]')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('prompt-item').filter({ hasText: 'args-prompt' }).click();
    expect(await page.getByTestId('prompt-result').count()).toBe(0);
    await page.getByTestId('interact-tab-tools').click();
  });

  it('reconnects with the same profile into a new session', async () => {
    const page = browser.page;
    const before = await page.evaluate(
      () => document.querySelector('.session-title')?.textContent ?? '',
    );
    await page.getByTestId('reconnect').click();
    await page.getByTestId('interact').waitFor({ timeout: 30_000 });
    await app.timeline
      .rowWhere({ kind: 'response', text: 'initialize' })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(
      await page.evaluate(() => document.querySelector('.session-title')?.textContent ?? ''),
    ).toBe(before);
    await app.nav('library');
    expect(await app.library.row('everything').count()).toBe(2);
  });

  it('elicitation: titles, defaults, titled single and multi select, checked before it is sent', async () => {
    const page = browser.page;
    await app.nav('session'); // the session Reconnect opened
    await app.interact.open();
    await app.interact.pickTool('trigger-elicitation-request');
    await page.getByTestId('tool-call').click();
    const dialog = page.locator(
      '[data-testid=server-request-dialog][data-method="elicitation/create"]',
    );
    await dialog.waitFor({ timeout: 30_000 });
    const form = dialog.getByTestId('elicit-form');
    expect(await form.textContent()).toContain('String with default');
    expect(await dialog.getByTestId('arg-firstLine').inputValue()).toBe(
      'It was a dark and stormy night.',
    );
    expect(await dialog.getByTestId('arg-integer').inputValue()).toBe('42');
    expect(await dialog.getByTestId('arg-email').getAttribute('type')).toBe('email');
    expect(await dialog.getByTestId('arg-birthdate').getAttribute('type')).toBe('date');
    expect(
      await dialog.locator('[data-testid=arg-titledSingleSelectEnum] option:checked').textContent(),
    ).toBe('Superman');
    expect(
      await dialog.locator('[data-testid=arg-legacyTitledEnum] option').allTextContents(),
    ).toContain('Cats');
    const fish = dialog.getByTestId('arg-titledMultipleSelectEnum');
    expect(await fish.locator('label', { hasText: 'Tuna' }).locator('input').isChecked()).toBe(
      true,
    );
    // Required name missing and a bad email: listed, and Accept stays disabled.
    await dialog.getByTestId('arg-email').fill('not-an-email');
    const problems = await dialog.getByTestId('elicit-problems').textContent();
    expect(problems).toContain('String: required');
    expect(problems).toContain('not an email address');
    expect(await dialog.getByTestId('server-request-answer').isDisabled()).toBe(true);
    await dialog.getByTestId('arg-name').fill('Grace Hopper');
    await dialog.getByTestId('arg-email').fill('grace@example.com');
    await fish.locator('label', { hasText: 'Salmon' }).locator('input').check();
    await dialog.getByTestId('server-request-answer').click();
    await dialog.waitFor({ state: 'detached' });
    const result = (await page.getByTestId('tool-result').textContent()) ?? '';
    expect(result).toContain('Grace Hopper');
    expect(result).toContain('grace@example.com');
  });

  it('threw no page errors and made no foreign request', () => {
    expect(browser.pageErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
