// The team store as a library source in browser mode, against a real PostgreSQL: add it by its
// connection string, list and search its sessions, open one like a local session (read-only
// copy, origin "store"); a wrong address is explained; the connection string is never written
// to the data folder in browser mode.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCapture } from '../bench/gen-capture.mjs';
import { runCli } from '../helpers/cli.js';
import { pgMissing, startPg, type TestPg } from '../helpers/postgres.js';
import { skipWithout } from '../helpers/prereq.js';
import { AppPage, e2eReady, launch, startUi, type Browser, type UiProcess } from './harness.js';

const pgWhy = pgMissing();
if (pgWhy && process.env.CI === 'true')
  throw new Error(`team-store e2e needs PostgreSQL: ${pgWhy}`);
const skip = skipWithout(e2eReady()) || pgWhy !== undefined;
const work = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-store-'));
let db: TestPg;
let ui: UiProcess;
let browser: Browser;
let app: AppPage;
let ids: string[] = [];
let framesB = 0;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    const st = statSync(p);
    return st.isDirectory() ? filesUnder(p) : st.isFile() ? [p] : [];
  });
}

describe.skipIf(skip)('team store in the library (browser mode)', () => {
  beforeAll(async () => {
    db = await startPg();
    const a = await writeCapture(join(work, 'a.mcpscope.jsonl'), { frames: 60 });
    const b = await writeCapture(join(work, 'b.mcpscope.jsonl'), { frames: 40 });
    ids = [a.id, b.id];
    framesB = b.frames;
    const pushed = await runCli(['push', a.path, b.path, '--to', db.url]);
    expect(pushed.code).toBe(0);
    ui = await startUi([]);
    browser = await launch(ui.url.origin);
    app = new AppPage(browser.page);
    await app.open(ui.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    db?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('explains a store it cannot reach', async () => {
    const page = browser.page;
    await app.nav('library');
    await page.getByTestId('store-add').click();
    // In browser mode there is nothing to encrypt with: no "remember" choice.
    expect(await page.getByTestId('store-remember').count()).toBe(0);
    await page.getByTestId('store-url').fill('postgres://postgres@127.0.0.1:1/postgres');
    await page.getByTestId('store-form').getByRole('button', { name: 'Connect' }).click();
    await page
      .getByTestId('store-error')
      .filter({ hasText: 'cannot reach the team store' })
      .waitFor();
    expect(await page.getByTestId('store-source').count()).toBe(0);
  });

  it('lists, searches and opens the sessions of a team store', async () => {
    const page = browser.page;
    await page.getByTestId('store-url').fill(db.url);
    await page.getByTestId('store-form').getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('store-source').first().waitFor();
    const rows = page.getByTestId('store-session-row');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=store-session-row]').length === 2,
    );
    expect(
      (await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-session-id')))).sort(),
    ).toEqual([...ids].sort());
    // Search by part of an id: only that session.
    await page.getByTestId('store-search').fill(ids[1]!.slice(0, 10));
    await page.getByTestId('store-search').press('Enter');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=store-session-row]').length === 1,
    );
    expect(await rows.first().getAttribute('data-session-id')).toBe(ids[1]);
    await rows.first().getByTestId('store-session-open').click();
    await page.getByTestId('session-screen').waitFor();
    await app.timeline.waitForFrames(framesB);
    expect(await app.timeline.messageCount()).toBe(framesB);
    // In the library like a local session, marked as a copy from the store.
    await app.nav('library');
    const local = page.locator(`[data-testid=session-row][data-session-id="${ids[1]}"]`);
    await local.waitFor();
    expect(await local.locator('td').nth(1).textContent()).toBe('store');
  });

  it('never writes the connection string into the data folder', () => {
    const port = new URL(db.url).port;
    for (const f of filesUnder(ui.home))
      expect(readFileSync(f, 'latin1'), f).not.toContain(`127.0.0.1:${port}`);
  });
});
