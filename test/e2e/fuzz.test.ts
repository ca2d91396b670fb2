// The Fuzz tab in Chromium: connect to the fixture server with seeded faults, pick tools, families
// and modes, start, watch the progress, see the live findings grouped by kind and tool with their
// minimal input, then Resend one and land in the Repeater with exactly that request, which the
// live connection sends again and the server answers with the same leak.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';

const TARGET = join(ROOT, 'test', 'fixtures', 'servers', 'fuzz-target.mjs');
const skip = e2eReady();
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

describe.skipIf(skip !== undefined)('Fuzz tab', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await openApp());
    await app.nav('connect');
    await app.connect.connectStdio(process.execPath, `"${TARGET}"`, 'fuzz-target');
    await app.interact.open();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('runs a campaign with the picked tools and modes and groups the live findings', async () => {
    const page = browser.page;
    await page.getByTestId('interact-tab-fuzz').click();
    await page.getByTestId('fuzz-panel').waitFor();
    // The destructive tool is listed, marked and not picked; the rest are picked.
    await page.getByTestId('fuzz-tool-wipe').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('fuzz-tool-wipe').isChecked()).toBe(false);
    expect(await page.getByTestId('fuzz-tool-config').isChecked()).toBe(true);
    // Only config, divide and greet; tool cases only; no attack strings.
    for (const t of ['echo', 'count', 'stats', 'lookup'])
      await page.getByTestId(`fuzz-tool-${t}`).uncheck();
    await page.getByTestId('fuzz-family-protocol').uncheck();
    await page.getByTestId('fuzz-family-framing').uncheck();
    await page.getByTestId('fuzz-mode-attack').uncheck();
    await page.getByTestId('fuzz-cases').fill('300');
    await page.getByTestId('fuzz-seed').fill('2');
    await page.getByTestId('fuzz-start').click();

    const progress = page.getByTestId('fuzz-progress');
    await progress.filter({ hasText: /\d+\/300 cases/ }).waitFor({ timeout: 30_000 });
    expect(await progress.textContent()).toContain('seed 2 ');
    await page
      .locator('[data-testid=fuzz-progress][data-phase=done]')
      .waitFor({ timeout: 120_000 });
    expect(await progress.textContent()).toMatch(/300\/300 cases/);

    const group = (kind: string, tool: string) =>
      page.locator(`[data-testid=fuzz-group][data-kind="${kind}"][data-target="${tool}"]`);
    await group('crash', 'divide').waitFor();
    await group('sensitive-output', 'config').waitFor();
    await group('accepted-invalid', 'greet').waitFor();
    // Nothing from the tools that were not picked, nor from other families.
    const targets = await page
      .getByTestId('fuzz-group')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-target')));
    expect(new Set(targets)).toEqual(new Set(['divide', 'config', 'greet']));
    // Each finding shows its minimised input.
    expect(await group('sensitive-output', 'config').textContent()).toContain(
      'minimal input: {"key":"debug"}',
    );
    expect(await group('crash', 'divide').textContent()).toContain('minimal input: {"a":0,"b":0}');
    await app.screenshot('screenshot-fuzz.png');
  }, 180_000);

  it('Resend opens that request in the Repeater, and sending it reproduces the finding', async () => {
    const page = browser.page;
    await page
      .locator('[data-testid=fuzz-group][data-kind="sensitive-output"]')
      .getByTestId('fuzz-resend')
      .first()
      .click();
    await page.getByTestId('repeater').waitFor({ timeout: 30_000 });
    const tab = page.getByTestId('repeater-tab');
    expect(await tab.count()).toBe(1);
    expect(await tab.textContent()).toContain('tools/call');
    const editor = page.locator('[data-testid=repeater-editor] .view-lines');
    await editor.filter({ hasText: 'debug' }).waitFor({ timeout: 30_000 });
    // Monaco shows spaces as non-breaking ones; the repeater gives the request an id of its own.
    const text = ((await editor.textContent()) ?? '').replace(/\s+/g, ' ');
    const sent = JSON.parse(text) as Record<string, unknown>;
    expect({ ...sent, id: undefined }).toEqual({
      jsonrpc: '2.0',
      id: undefined,
      method: 'tools/call',
      params: { name: 'config', arguments: { key: 'debug' } },
    });
    await page.getByTestId('repeater-send').click();
    await page
      .getByTestId('repeater-response')
      .filter({ hasText: 'aws_access_key_id' })
      .waitFor({ timeout: 30_000 });
  }, 90_000);
});
