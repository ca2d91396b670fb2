// A large capture (300,000 frames, about 85 MB: over the 64 MB large-session threshold) imported
// in the browser without an engine: the large-session worker streams and indexes it. Rows show,
// the full frame count arrives, a filter gives the same rows as the small-session code computes in
// Node over the same file, and the detail of a far row shows that frame's exact raw text.

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
import { CHROMIUM, CHROMIUM_ARGS, e2eReady } from './harness.js';

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

describe.skipIf(skip !== undefined)('large session (300,000 frames, no engine)', () => {
  beforeAll(async () => {
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
    srv = await serveRenderer();
    ctx = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 860 },
    });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(srv.url).origin,
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(srv.url);
    await page.waitForSelector('html[data-app-ready="true"]');
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    await srv?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows rows while indexing, then the full count', async () => {
    await page.setInputFiles('[data-testid=import-input]', capture);
    await page.getByTestId('timeline-row').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=message-count]')?.textContent === String(n),
      frames,
      { timeout: 60_000 },
    );
    await page.getByTestId('indexing').waitFor({ state: 'detached', timeout: 30_000 });
    const count = await page.getByTestId('filter-count').textContent();
    expect(count).toMatch(new RegExp(`^${expected.count} / ${expected.count} `));
    // The sequence view says why it is off instead of drawing a million arrows.
    await page.getByTestId('view-sequence').click();
    await page.getByTestId('sequence-large').waitFor();
    await page.getByTestId('view-table').click();
  }, 120_000);

  it('filters in the worker with the same result as the small-session path', async () => {
    await page.getByTestId('filter-input').fill(QUERY);
    await page.waitForFunction(
      (q) => {
        const c = document.querySelector('[data-testid=filter-count]');
        return c?.getAttribute('data-busy') === 'false' && c.getAttribute('data-query') === q;
      },
      QUERY,
      { timeout: 30_000 },
    );
    const shown = await page.getByTestId('filter-count').textContent();
    expect(shown?.split('/')[0]?.trim()).toBe(String(expected.mids.length));
    expect(expected.mids.length).toBeGreaterThan(0);
    const mids = await page
      .getByTestId('timeline-row')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-mid'))));
    expect(mids.sort((a, b) => a - b)).toEqual(expected.mids);
  }, 60_000);

  it('shows the exact raw text of a far row in the detail', async () => {
    const far = expected.mids[expected.mids.length - 1]!;
    expect(far).toBeGreaterThan(200_000);
    await page.locator(`[data-testid=timeline-row][data-mid="${far}"]`).click();
    await page.locator(`[data-testid=detail][data-mid="${far}"]`).waitFor({ timeout: 30_000 });
    await page.getByTestId('detail-raw').click();
    await page.getByTestId('detail-copy').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(expected.raw.get(far));
    expect(copied).toContain(QUERY);
  }, 60_000);
});
