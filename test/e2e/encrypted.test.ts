// Encrypted captures in the app (issue 12), browser mode: an age-encrypted capture in the captures
// folder is announced as not opened; Settings → Encrypted captures refuses a loose identity file
// with what to do, opens the capture with the right one (it appears in the library and opens),
// and the choice survives a restart of `mcpscope ui`.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCapture } from '../bench/gen-capture.mjs';
import { encryptText, generateIdentity } from '../../electron/engine/capture/age.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';
import { skipWithout } from '../helpers/prereq.js';

const skip = skipWithout(e2eReady());
const home = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-age-'));
const captures = join(home, 'captures');
const keyPath = join(home, 'auditor.key');
const loosePath = join(home, 'loose.key');
let id = '';
let ui: UiProcess | undefined;
let browser: Browser | undefined;
let app: AppPage;

async function start(): Promise<void> {
  ({ ui, browser, app } = await openApp([], home));
}
async function stop(): Promise<void> {
  await browser?.close();
  await ui?.stop();
  browser = undefined;
  ui = undefined;
}

describe.skipIf(skip)('Encrypted captures in the library', () => {
  beforeAll(async () => {
    mkdirSync(captures, { recursive: true });
    const plain = join(home, 'plain.mcpscope.jsonl');
    id = (await writeCapture(plain, { frames: 20 })).id;
    const { identity, recipient } = await generateIdentity();
    writeFileSync(keyPath, `${identity}\n`, { mode: 0o600 });
    writeFileSync(loosePath, `${identity}\n`);
    chmodSync(loosePath, 0o644);
    const sealed = await encryptText(readFileSync(plain, 'utf8'), [recipient]);
    writeFileSync(join(captures, 'audit.mcpscope.jsonl.age'), sealed, { mode: 0o600 });
    rmSync(plain);
    await start();
  });

  afterAll(async () => {
    await stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('announces the locked capture, refuses a loose identity, opens it with the right one', async () => {
    const page = browser!.page;
    await app.nav('library');
    const notice = page.getByTestId('age-locked-notice');
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.textContent()).toMatch(/1 encrypted capture not opened/);
    await notice.getByRole('button').click();
    const dialog = page.getByTestId('settings-dialog');
    const settings = dialog.getByTestId('age-settings');
    await settings.getByTestId('age-locked-row').waitFor();
    expect(await settings.getByTestId('age-locked-row').textContent()).toMatch(
      /audit\.mcpscope\.jsonl\.age: encrypted with age: choose an age identity/,
    );

    await settings.getByTestId('age-identity-path').fill(loosePath);
    await settings.getByTestId('age-identity-save').click();
    await settings.getByTestId('age-identity-error').waitFor();
    expect(await settings.getByTestId('age-identity-error').textContent()).toMatch(
      /can be read by other users \(mode 644\).*chmod 600/,
    );

    await settings.getByTestId('age-identity-path').fill(keyPath);
    await settings.getByTestId('age-identity-save').click();
    await page.locator('[data-testid=age-settings][data-opened="1"]').waitFor();
    expect(await settings.getByTestId('age-identity-recipients').textContent()).toMatch(/age1/);
    await app.screenshot('screenshot-settings-age.png');
    await dialog.getByTestId('settings-close').click();

    const row = page.locator(`[data-testid=session-row][data-session-id="${id}"]`);
    await row.waitFor({ timeout: 30_000 });
    await notice.waitFor({ state: 'detached' });
    await row.getByTestId('session-open').click();
    await page.getByTestId('session-screen').waitFor();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=message-count]')?.textContent ?? '0') > 0,
      undefined,
      { timeout: 30_000 },
    );
  });

  it('opens it again after a restart from the saved identity path', async () => {
    await stop();
    await start();
    const page = browser!.page;
    await app.nav('library');
    await page
      .locator(`[data-testid=session-row][data-session-id="${id}"]`)
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('age-locked-notice').count()).toBe(0);
  });
});
