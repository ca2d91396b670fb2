// The sequence view and the remembered layout in Chromium: lanes and one request→response arrow
// per answered request, a bar selects its frame (and a table row selects its arrow), a brush
// filters the table, wheel/keys zoom, and pane sizes, side by side and the view survive a
// restart of `mcpscope ui` (a new origin: only the engine's data dir remembers them).

import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/reader.js';
import { buildTimeline } from '../../shared/capture/timeline.js';
import { writeCapture } from '../bench/gen-capture.mjs';
import { skipWithout } from '../helpers/prereq.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';

const skip = skipWithout(e2eReady());
const work = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-seq-'));
const recorded = join(work, 'recorded.mcpscope.jsonl');
let ui: UiProcess;
let browser: Browser;
let app: AppPage;
/** Requests the capture answered, and every message's seq, computed from the file itself. */
let answered = 0;
let seqs: number[] = [];

async function openRecorded(): Promise<void> {
  await app.nav('library');
  await app.library
    .row(/everything/)
    .first()
    .waitFor({ timeout: 30_000 });
  await app.library.openRow(/everything/);
}

describe.skipIf(skip)('sequence view and layout', () => {
  beforeAll(async () => {
    await writeCapture(recorded, { frames: 120 });
    const tl = buildTimeline(readCapture(readFileSync(recorded, 'utf8')));
    const msgs = tl.index.messages;
    answered = msgs.filter((m) => m.kind === 'request' && m.pair !== undefined).length;
    seqs = msgs.map((m) => m.seq);
    ({ ui, browser, app } = await openApp([recorded]));
    await openRecorded();
    await app.timeline.waitForFrames(120);
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('v switches to the sequence view: lanes, one arrow per message, one bar per answered request', async () => {
    const page = browser.page;
    await page.getByTestId('timeline').click();
    await page.keyboard.press('v');
    await page.getByTestId('seq-chart').waitFor();
    expect(await page.getByTestId('view-sequence').getAttribute('aria-pressed')).toBe('true');
    for (const lane of ['client', 'recorder', 'server', 'process', 'stderr'])
      expect(await page.getByTestId(`seq-lane-${lane}`).count(), lane).toBe(1);
    // A stdio recording has no HTTP metadata lane.
    expect(await page.getByTestId('seq-lane-http').count()).toBe(0);
    // 120 frames at full width: not bucketed, every message its own arrow.
    expect(await page.getByTestId('seq-chart').getAttribute('data-dense')).toBeNull();
    expect(answered).toBeGreaterThan(20);
    expect(await page.getByTestId('seq-pair').count()).toBe(answered);
    expect(await page.getByTestId('seq-msg').count()).toBe(seqs.length);
    // The recorded spawn and the server's stderr lines are on their lanes.
    expect(await page.locator('[data-testid=seq-event][data-type=spawn]').count()).toBe(1);
    expect(await page.locator('[data-testid=seq-event][data-type=stderr]').count()).toBeGreaterThan(
      0,
    );
    await app.screenshot('screenshot-sequence.png');
  });

  it('a bar selects its request (the detail shows it); a table row selects its arrow', async () => {
    const page = browser.page;
    const bar = page.getByTestId('seq-pair').nth(5);
    const mid = await bar.getAttribute('data-mid');
    await bar.click();
    await page.locator(`[data-testid=detail][data-mid="${mid}"]`).waitFor();
    expect(await page.locator('[data-testid=seq-pair].selected').getAttribute('data-mid')).toBe(
      mid,
    );
    expect(await page.getByTestId('detail-method').textContent()).not.toBe('');
    // The other way: pick a response in the table, its arrow is selected in the sequence.
    await page.getByTestId('view-table').click();
    const row = app.timeline.rowWhere({ kind: 'response' }).nth(3);
    const rowMid = await row.getAttribute('data-mid');
    await row.click();
    await page.getByTestId('view-sequence').click();
    await page.locator(`[data-testid=seq-msg].selected[data-mid="${rowMid}"]`).waitFor();
    await page.locator(`[data-testid=detail][data-mid="${rowMid}"]`).waitFor();
  });

  it('zooms with keys and the wheel, and fits again with 0', async () => {
    const page = browser.page;
    const before = await page.getByTestId('seq-msg').count();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=seq-msg]').length < n,
      before,
    );
    await page.keyboard.press('0');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=seq-msg]').length === n,
      before,
    );
    const box = (await page.getByTestId('seq-chart').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 40);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=seq-msg]').length < n,
      before,
    );
    await page.getByTestId('seq-fit').click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=seq-msg]').length === n,
      before,
    );
  });

  it('a brush selects a time range: the filter gets seq:A..B and the table shows just those frames', async () => {
    const page = browser.page;
    const box = (await page.getByTestId('seq-chart').boundingBox())!;
    const y = box.y + box.height - 12;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
    await page.getByTestId('seq-brush').waitFor();
    await page.mouse.up();
    await page.getByTestId('seq-range').waitFor();
    const q = await page.getByTestId('filter-input').inputValue();
    const m = /seq:(\d+)\.\.(\d+)/.exec(q);
    expect(m).not.toBeNull();
    const [from, to] = [Number(m![1]), Number(m![2])];
    const inRange = seqs.filter((s) => s >= from && s <= to).length;
    expect(inRange).toBeGreaterThan(0);
    expect(inRange).toBeLessThan(seqs.length);
    await page.getByTestId('view-table').click();
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=filter-count]')?.textContent?.startsWith(`${n} `),
      inRange,
    );
    expect(await app.timeline.shownCount()).toBe(inRange);
    for (const s of await app.timeline
      .rows()
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-seq')))))
      expect(s >= from && s <= to).toBe(true);
    // Clearing the range (in the sequence view) gives the whole session back.
    await page.getByTestId('view-sequence').click();
    await page.getByTestId('seq-range-clear').click();
    await page.getByTestId('seq-range').waitFor({ state: 'detached' });
    expect(await page.getByTestId('filter-input').inputValue()).not.toMatch(/seq:/);
  });

  it('? lists the view switch; Esc closes the list', async () => {
    const page = browser.page;
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts').waitFor();
    expect(await page.getByTestId('shortcuts').textContent()).toContain('Table and Sequence');
    await app.screenshot('screenshot-shortcuts.png');
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts').waitFor({ state: 'detached' });
  });

  it('pane sizes, side by side and the view survive a restart (new origin, same data dir)', async () => {
    const page = browser.page;
    await page.getByTestId('split-toggle').click();
    await page.getByTestId('side-detail').waitFor();
    const sep = (await page.getByTestId('sep-session-split-1').boundingBox())!;
    const mainBefore = (await page.getByTestId('pane-main').boundingBox())!.width;
    await page.mouse.move(sep.x + sep.width / 2, sep.y + sep.height / 2);
    await page.mouse.down();
    await page.mouse.move(sep.x + sep.width / 2 - 200, sep.y + sep.height / 2, { steps: 8 });
    await page.mouse.up();
    const mainAfter = (await page.getByTestId('pane-main').boundingBox())!.width;
    expect(mainAfter).toBeLessThan(mainBefore - 150);
    await page.getByTestId('panel-capabilities').click();
    await app.screenshot('screenshot-side-by-side.png');
    // Saved by the engine (debounced): wait for the file rather than sleeping.
    const saved = join(ui.home, 'ui-state.json');
    await expect
      .poll(
        () => {
          try {
            return (JSON.parse(readFileSync(saved, 'utf8')) as { layout?: { split?: boolean } })
              .layout?.split;
          } catch {
            return undefined;
          }
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    await expect
      .poll(() => readFileSync(saved, 'utf8').includes('session-split'), { timeout: 10_000 })
      .toBe(true);

    await browser.close();
    const home = ui.home;
    await ui.stop();
    ({ ui, browser, app } = await openApp([recorded], home));
    await openRecorded();
    const p2 = browser.page;
    await p2.getByTestId('seq-chart').waitFor({ timeout: 30_000 });
    await p2.getByTestId('side-detail').waitFor();
    expect(await p2.getByTestId('split-toggle').getAttribute('aria-pressed')).toBe('true');
    const restored = (await p2.getByTestId('pane-main').boundingBox())!.width;
    expect(Math.abs(restored - mainAfter)).toBeLessThan(12);
  });

  it('threw no page errors', () => {
    expect(browser.pageErrors).toEqual([]);
  });
});
