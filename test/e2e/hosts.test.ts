// The Hosts screen in browser mode against a fake home (HOME and MCPSCOPE_HOME in temp folders):
// every host is listed with its servers; Wrap shows the diff before writing and writes only on
// "Write"; Unwrap restores the files byte for byte.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFakeHome, type FakeHome } from '../helpers/fake-home.js';
import { CLI, EVERYTHING, scratchDir } from '../helpers/paths.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';

const skip = e2eReady();
if (skip !== undefined && process.env.CI === 'true')
  throw new Error(`e2e prerequisite missing under CI: ${skip}`);

let ui: UiProcess;
let browser: Browser;
let app: AppPage;
let fake: FakeHome;
const snapshot = (): Record<string, string> =>
  Object.fromEntries(Object.entries(fake.files).map(([k, p]) => [k, readFileSync(p, 'utf8')]));

describe.skipIf(skip !== undefined)('Hosts screen', () => {
  beforeAll(async () => {
    const root = scratchDir('mcpscope-e2e-hosts-');
    fake = makeFakeHome(root, {
      stdio: [process.execPath, EVERYTHING, 'stdio'],
      url: 'http://127.0.0.1:9/mcp',
    });
    const data = join(root, 'data');
    mkdirSync(data, { recursive: true });
    ({ ui, browser, app } = await openApp([], data, fake.env));
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('lists every host and its servers', async () => {
    await app.nav('hosts');
    const page = browser.page;
    await page.getByTestId('hosts-screen').waitFor();
    // The list arrives from the engine after the screen shows: wait for it, then count.
    await page.getByTestId('host-server-vscode-remote').waitFor();
    for (const h of ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf', 'gemini']) {
      await expect(page.getByTestId(`wrap-${h}`).count()).resolves.toBe(1);
    }
    await page.getByTestId('host-server-vscode-remote').waitFor();
    expect(await page.getByTestId('host-server-windsurf-remote').getAttribute('data-wrapped')).toBe(
      'false',
    );
    await app.screenshot('screenshot-hosts.png');
  });

  it('shows the diff before writing, writes on confirm, and unwrap restores the bytes', async () => {
    const page = browser.page;
    const before = snapshot();
    await page.getByTestId('wrap-vscode').click();
    const preview = page.getByTestId('hosts-preview');
    await preview.waitFor();
    const diff = await preview.getByTestId('hosts-diff').innerText();
    expect(diff).toContain('+++ ');
    expect(diff).toContain(CLI);
    expect(diff).toContain('--bridge-to');
    // Nothing written yet.
    expect(snapshot()).toEqual(before);
    await page.getByTestId('hosts-confirm').click();
    await page.getByTestId('hosts-result').waitFor();
    await page.locator('[data-testid="host-server-vscode-remote"][data-wrapped="true"]').waitFor();
    const after = snapshot();
    expect(after.vscode).toContain('--bridge-to');
    expect(after.vscode).toContain('// Servers VS Code starts for every workspace.');
    expect(after.cursor).toBe(before.cursor);

    await page.getByTestId('unwrap-vscode').click();
    await page.getByTestId('hosts-preview').waitFor();
    expect(await page.getByTestId('hosts-diff').innerText()).toContain('-');
    await page.getByTestId('hosts-confirm').click();
    await page.locator('[data-testid="host-server-vscode-remote"][data-wrapped="false"]').waitFor();
    expect(snapshot()).toEqual(before);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
