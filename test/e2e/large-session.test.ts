// A large capture (300,000 frames, about 85 MB: over both large-session thresholds), opened three
// ways: imported in the browser without an engine (the worker streams the File), given to
// `mcpscope ui FILE` (the worker streams it from the engine by byte range, readCaptureBytes), and
// imported through the Library while an engine runs (sent in slices, importBegin/Chunk/Finish).
// Each time: rows show, the full frame count arrives, a filter gives the same rows as the
// small-session code computes in Node over the same file, and the detail of a far row shows that
// frame's exact raw text.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/reader.js';
import { parseFilter } from '../../shared/filter/index.js';
import { LARGE_SESSION_BYTES } from '../../renderer/src/model/large-session.js';
import { SessionData } from '../../renderer/src/model/session-data.js';
import { filterMessages } from '../../renderer/src/store/timeline.js';
import { writeCapture } from '../bench/gen-capture.mjs';
import { serveRenderer } from '../bench/static-server.mjs';
import { AppPage, CHROMIUM, CHROMIUM_ARGS, e2eReady, startUi, type UiProcess } from './harness.js';

const skip = e2eReady();
if (skip && process.env.CI === 'true')
  throw new Error(`e2e prerequisites missing under CI: ${skip}`);

const FRAMES = 300_000;
/** Set from the file: the last echo call's message (so its rows are far down the session). */
let QUERY = '';
let work: string;
let capture: string;
let frames: number;
let srv: { url: string; close: () => Promise<void> };
let ctx: BrowserContext;
let page: Page;
/** What the small-session path computes over the same file (mid → raw text, filter result). */
let expected: { count: number; mids: number[]; raw: Map<number, string> };

beforeAll(async () => {
  if (skip !== undefined) return;
  work = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-large-'));
  capture = join(work, 'large.mcpscope.jsonl');
  frames = (await writeCapture(capture, { frames: FRAMES })).frames;
  expect(statSync(capture).size).toBeGreaterThan(LARGE_SESSION_BYTES);
  const read = readCapture(readFileSync(capture, 'utf8'));
  const data = new SessionData('x', read.header);
  data.append(read.records);
  for (let i = data.messages.length - 1; i >= 0 && QUERY === ''; i--) {
    const hello = /"hello (\d+)"/.exec(data.rawText(data.messages[i]!));
    if (hello) QUERY = `hello ${hello[1]}`;
  }
  const mids = filterMessages(data, parseFilter(QUERY));
  expected = {
    count: data.counts.messages,
    mids,
    raw: new Map(mids.map((m) => [m, data.rawText(data.messages[m]!)])),
  };
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Launch Chromium with clipboard access for `origin` (the detail's Copy button is read back). */
async function browserFor(origin: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const c = await chromium.launchPersistentContext(mkdtempSync(join(work, 'profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 860 },
  });
  await c.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return { ctx: c, page: c.pages()[0] ?? (await c.newPage()) };
}

/** `mcpscope ui ARGS` and a browser on it, for one describe block (started before, stopped after). */
function engineBrowser(args: () => string[]): { ui: UiProcess; ctx: BrowserContext; page: Page } {
  const b = {} as { ui: UiProcess; ctx: BrowserContext; page: Page };
  beforeAll(async () => {
    b.ui = await startUi(args());
    Object.assign(b, await browserFor(b.ui.url.origin));
    await new AppPage(b.page).open(b.ui.url);
  }, 60_000);
  afterAll(async () => {
    await b.ctx?.close();
    await b.ui?.stop();
  });
  return b;
}

/** Rows, full count, no indexing left, the total in the filter bar. */
async function expectAllRows(p: Page): Promise<void> {
  await p.getByTestId('timeline-row').first().waitFor({ timeout: 30_000 });
  await p.waitForFunction(
    (n) => document.querySelector('[data-testid=message-count]')?.textContent === String(n),
    frames,
    { timeout: 60_000 },
  );
  await p.getByTestId('indexing').waitFor({ state: 'detached', timeout: 30_000 });
  const count = await p.getByTestId('filter-count').textContent();
  expect(count).toMatch(new RegExp(`^${expected.count} / ${expected.count} `));
  // The sequence view says why it is off instead of drawing every message.
  await p.getByTestId('view-sequence').click();
  await p.getByTestId('sequence-large').waitFor();
  await p.getByTestId('view-table').click();
}

/** The worker's filter result is the small path's, row for row. */
async function expectFilter(p: Page): Promise<void> {
  await p.getByTestId('filter-input').fill(QUERY);
  await p.waitForFunction(
    (q) => {
      const c = document.querySelector('[data-testid=filter-count]');
      return c?.getAttribute('data-busy') === 'false' && c.getAttribute('data-query') === q;
    },
    QUERY,
    { timeout: 30_000 },
  );
  const shown = await p.getByTestId('filter-count').textContent();
  expect(shown?.split('/')[0]?.trim()).toBe(String(expected.mids.length));
  expect(expected.mids.length).toBeGreaterThan(0);
  // Rows are fetched from the worker after the count: wait for them.
  await p.waitForFunction(
    (n) => document.querySelectorAll('[data-testid=timeline-row]').length === n,
    expected.mids.length,
    { timeout: 30_000 },
  );
  const mids = await p
    .getByTestId('timeline-row')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-mid'))));
  expect(mids.sort((a, b) => a - b)).toEqual(expected.mids);
}

/** The detail of the last matching row (far down the file) has its frame's exact text. */
async function expectFarDetail(p: Page): Promise<void> {
  const far = expected.mids[expected.mids.length - 1]!;
  expect(far).toBeGreaterThan(200_000);
  await p.locator(`[data-testid=timeline-row][data-mid="${far}"]`).click();
  await p.locator(`[data-testid=detail][data-mid="${far}"]`).waitFor({ timeout: 30_000 });
  await p.getByTestId('detail-raw').click();
  await p.getByTestId('detail-copy').click();
  const copied = await p.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(expected.raw.get(far));
  expect(copied).toContain(QUERY);
}

describe.skipIf(skip !== undefined)('large session, imported without an engine', () => {
  beforeAll(async () => {
    srv = await serveRenderer();
    ({ ctx, page } = await browserFor(new URL(srv.url).origin));
    await page.goto(srv.url);
    await page.waitForSelector('html[data-app-ready="true"]');
  }, 60_000);

  afterAll(async () => {
    await ctx?.close();
    await srv?.close();
  });

  it('shows rows while indexing, then the full count', async () => {
    await page.setInputFiles('[data-testid=import-input]', capture);
    await expectAllRows(page);
  }, 120_000);

  it('filters in the worker with the same result as the small-session path', async () => {
    await expectFilter(page);
  }, 60_000);

  it('shows the exact raw text of a far row in the detail', async () => {
    await expectFarDetail(page);
  }, 60_000);
});

describe.skipIf(skip !== undefined)(
  'large session, `mcpscope ui FILE` (engine by byte range)',
  () => {
    const b = engineBrowser(() => [capture]);

    it('opens the session from the library as a large session', async () => {
      const app = new AppPage(b.page);
      await app.nav('library');
      await app.library.row(/bench/).first().waitFor({ timeout: 30_000 });
      await app.library.openRow(/bench/);
      await expectAllRows(b.page);
    }, 120_000);

    it('filters and shows a far row exactly', async () => {
      await expectFilter(b.page);
      await expectFarDetail(b.page);
    }, 60_000);
  },
);

describe.skipIf(skip !== undefined)(
  'large session, imported into a running engine (slices)',
  () => {
    const b = engineBrowser(() => []);

    it('uploads the file in slices, keeps it in the library folder and opens it large', async () => {
      const app = new AppPage(b.page);
      await app.nav('library');
      await b.page.setInputFiles('[data-testid=import-input]', capture);
      await expectAllRows(b.page);
      await expectFilter(b.page);
      const copy = join(b.ui.home, 'captures', 'imported', 'large.mcpscope.jsonl');
      expect(readFileSync(copy).equals(readFileSync(capture))).toBe(true);
    }, 180_000);
  },
);
