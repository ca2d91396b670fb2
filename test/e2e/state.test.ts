// Durable, honest state in browser mode: saved profiles and imported captures live in the
// engine's data directory and survive a restart (with a fresh browser profile, so nothing comes
// from the browser's own storage); profiles never hold secret values; one demo session however
// many launches; a failed connect leaves no session; a name the user typed stays the title;
// `mcpscope ui FILE` opens that file, several files filter the library to them.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCapture } from '../bench/gen-capture.mjs';
import { EVERYTHING } from '../helpers/paths.js';
import { AppPage, e2eReady, launch, startUi, type Browser, type UiProcess } from './harness.js';

const skip = e2eReady();
if (skip && process.env.CI === 'true')
  throw new Error(`e2e prerequisites missing under CI: ${skip}`);
const work = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-state-'));
const home = join(work, 'home');
const capA = join(work, 'a.mcpscope.jsonl');
const capB = join(work, 'b.mcpscope.jsonl');
const SECRET = 'hunter2-do-not-store-me';
let ui: UiProcess | undefined;
let browser: Browser | undefined;

async function boot(args: string[] = []): Promise<AppPage> {
  await browser?.close();
  await ui?.stop();
  ui = await startUi(args, home);
  browser = await launch(ui.url.origin);
  const app = new AppPage(browser.page);
  await app.open(ui.url);
  return app;
}

function titles(app: AppPage): Promise<string[]> {
  return app.library
    .rows()
    .evaluateAll((rows) =>
      rows.map((r) => r.querySelector('[data-testid=session-open]')?.textContent ?? ''),
    );
}

describe.skipIf(skip !== undefined)('durable state', () => {
  let framesA = 0;
  let framesB = 0;
  beforeAll(async () => {
    framesA = (await writeCapture(capA, { frames: 60 })).frames;
    framesB = (await writeCapture(capB, { frames: 30 })).frames;
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('first launch: saves a profile without its secrets, imports a capture, keeps a typed name, forgets a failed connect', async () => {
    const app = await boot();
    const page = browser!.page;
    await page.getByTestId('session-screen').waitFor({ timeout: 30_000 });

    await app.nav('connect');
    await page.getByTestId('connect-name').fill('My everything');
    await page.getByTestId('connect-command').fill(process.execPath);
    await page.getByTestId('connect-args').fill(`"${EVERYTHING}" stdio`);
    await page.getByTestId('connect-env').fill(`API_KEY=${SECRET}\nPLAIN=1`);
    await page.getByTestId('profile-save').click();
    await page.locator('[data-testid=profile][data-name="My everything"]').waitFor();
    const file = readFileSync(join(home, 'profiles.json'), 'utf8');
    expect(file).not.toContain(SECRET);
    expect(JSON.parse(file).profiles[0]).toMatchObject({
      name: 'My everything',
      envKeys: ['API_KEY', 'PLAIN'],
      command: process.execPath,
    });

    // A command that does not exist: an error, and no session left behind for it.
    await app.nav('library');
    const before = await app.library.rows().count();
    await app.nav('connect');
    await page.getByTestId('connect-name').fill('broken server');
    await page.getByTestId('connect-env').fill('');
    await page.getByTestId('connect-command').fill(join(work, 'no-such-server'));
    await page.getByTestId('connect-args').fill('');
    await page.getByTestId('connect-submit').click();
    const err = page.getByTestId('toast-error').filter({ hasText: 'Could not connect' });
    await err.waitFor({ timeout: 30_000 });
    await app.nav('library');
    expect(await app.library.rows().count()).toBe(before);
    expect(await titles(app)).not.toContain('broken server');

    // The name typed in the form is the session's title, not the server's own name.
    await app.nav('connect');
    await page.getByTestId('connect-name').fill('My everything');
    await page.getByTestId('connect-command').fill(process.execPath);
    await page.getByTestId('connect-args').fill(`"${EVERYTHING}" stdio`);
    await page.getByTestId('connect-submit').click();
    await page.getByTestId('session-screen').waitFor({ timeout: 30_000 });
    await app.timeline
      .rowWhere({ kind: 'response', text: 'initialize' })
      .first()
      .waitFor({ timeout: 30_000 });

    await app.nav('library');
    await app.library.importFile(capA);
    await app.timeline.waitForFrames(framesA);
    await app.nav('library');
    await app.library.row('My everything').first().waitFor();
    expect((await titles(app)).filter((t) => t === 'mcpscope demo')).toHaveLength(1);
  });

  it('after a restart with a fresh browser profile: the profile (asking for its secrets again), the import and one demo session', async () => {
    const app = await boot();
    const page = browser!.page;
    await page.getByTestId('session-screen').waitFor({ timeout: 30_000 });
    await app.nav('library');
    await app.library.row('My everything').first().waitFor({ timeout: 30_000 });
    await app.library
      .row(/everything/)
      .first()
      .waitFor();
    const t = await titles(app);
    expect(t.filter((x) => x === 'mcpscope demo')).toHaveLength(1);
    expect(t).not.toContain('broken server');
    // The imported capture reopens from the engine's copy.
    const imported = app.library.rows().filter({ hasText: 'imported' });
    expect(await imported.count()).toBe(1);
    await imported.first().getByTestId('session-open').click();
    await app.timeline.waitForFrames(framesA);

    await app.nav('connect');
    await page
      .locator('[data-testid=profile][data-name="My everything"] [data-testid=profile-load]')
      .click();
    expect(await page.getByTestId('connect-env').inputValue()).toBe('API_KEY=\nPLAIN=');
    expect(await page.getByTestId('connect-command').inputValue()).toBe(process.execPath);
    await expect(page.getByTestId('profile-secrets-note').textContent()).resolves.toContain(
      'API_KEY',
    );
    await page.getByTestId('connect-submit').click();
    await expect(page.getByTestId('connect-problem').textContent()).resolves.toMatch(
      /Enter environment variable API_KEY, environment variable PLAIN again/,
    );
    // Deleting the profile is durable too.
    await page
      .locator('[data-testid=profile][data-name="My everything"] [data-testid=profile-delete]')
      .click();
    await page.locator('[data-testid=profile]').waitFor({ state: 'detached' });
    expect(JSON.parse(readFileSync(join(home, 'profiles.json'), 'utf8')).profiles).toEqual([]);
  });

  it('`mcpscope ui FILE` opens that file', async () => {
    const app = await boot([capB]);
    const page = browser!.page;
    await page.getByTestId('session-screen').waitFor({ timeout: 30_000 });
    await app.timeline.waitForFrames(framesB);
    expect(await app.timeline.messageCount()).toBe(framesB);
  });

  it('`mcpscope ui FILE FILE` shows the library filtered to those files', async () => {
    const app = await boot([capA, capB]);
    const page = browser!.page;
    await page.getByTestId('library-only').waitFor({ timeout: 30_000 });
    expect(await app.library.rows().count()).toBe(2);
    await page.getByTestId('library-show-all').click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=session-row]').length > 2,
    );
  });
});
