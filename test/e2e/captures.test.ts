// Browser mode with recorded captures: `mcpscope ui FILE`, import through the file picker,
// filtering, request↔response pairing, hostile content shown as text, and a live recorder.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCapture } from '../bench/gen-capture.mjs';
import { CLI, EVERYTHING } from '../helpers/paths.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';
import { skipWithout } from '../helpers/prereq.js';

const skip = skipWithout(e2eReady());
const work = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-cap-'));
const recorded = join(work, 'recorded.mcpscope.jsonl');
const hostile = join(work, 'hostile.mcpscope.jsonl');
let ui: UiProcess;
let frames = 0;
let browser: Browser;
let app: AppPage;
const children: ChildProcess[] = [];

describe.skipIf(skip)('browser mode with captures', () => {
  beforeAll(async () => {
    frames = (await writeCapture(recorded, { frames: 400 })).frames;
    await writeCapture(hostile, { frames: 40, hostile: true });
    ({ ui, browser, app } = await openApp([recorded]));
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await browser?.close();
    await ui?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the capture given on the command line and opens it with every frame', async () => {
    await app.nav('library');
    await app.library
      .row(/everything/)
      .first()
      .waitFor();
    await app.library.openRow(/everything/);
    await app.timeline.waitForFrames(frames);
    expect(await app.timeline.messageCount()).toBe(frames);
    expect(await app.timeline.rows().count()).toBeGreaterThan(10);
    await app.timeline.rows().first().waitFor();
  });

  it('pairs a request with its response: select one, the other is highlighted, jump to it', async () => {
    const tl = app.timeline;
    await tl.filter('method:tools/call id:20,21');
    const req = tl.rowWhere({ kind: 'request' }).first();
    await req.click();
    const paired = browser.page.locator('[data-testid=timeline-row][data-paired=true]');
    await paired.waitFor();
    expect(await paired.getAttribute('data-kind')).toMatch(/response|error/);
    expect(await paired.locator('.c-id').textContent()).toBe(
      await req.locator('.c-id').textContent(),
    );
    await browser.page.getByTestId('jump-to-pair').click();
    await browser.page.locator('[data-testid=timeline-row].selected[data-dir=s2c]').waitFor();
    // Monaco shows the selected frame, loaded from the bundle (no CDN).
    await browser.page
      .locator('[data-testid=detail-editor] .monaco-editor')
      .waitFor({ timeout: 30_000 });
    // The whole timeline, the pair still selected, for the README.
    await tl.filter('');
    await browser.page.locator('[data-testid=timeline-row][data-paired=true]').waitFor();
    await app.screenshot('screenshot-timeline.png');
  });

  it('filters with the query language and shows errors for bad queries', async () => {
    const tl = app.timeline;
    await tl.filter('status:error dir:s2c');
    await browser.page.waitForFunction(
      () => document.querySelectorAll('[data-testid=timeline-row]').length > 0,
    );
    const kinds = await tl
      .rows()
      .evaluateAll((rows) =>
        rows.map((r) => `${r.getAttribute('data-kind')}/${r.getAttribute('data-dir')}`),
      );
    expect(new Set(kinds)).toEqual(new Set(['error/s2c']));
    const shown = await tl.shownCount();
    expect(shown).toBeGreaterThan(0);
    await tl.filter('latency:>500');
    await browser.page.waitForFunction(
      (n) =>
        !document.querySelector('[data-testid=filter-count]')?.textContent?.startsWith(`${n} `),
      shown,
    );
    await tl.filter('dir:sideways');
    await expect(browser.page.getByTestId('filter-errors').textContent()).resolves.toMatch(
      /dir: "sideways" is not one of c2s, s2c/,
    );
    await tl.filter('');
    await browser.page.waitForFunction(
      (n) =>
        (document.querySelector('[data-testid=filter-count]')?.textContent ?? '').startsWith(
          `${n} /`,
        ),
      frames,
    );
  });

  it('a status-bar count applies the filter that shows exactly what it counts', async () => {
    const page = browser.page;
    const errors = Number(
      ((await page.getByTestId('count-errors').textContent()) ?? '').replace(/\D+/g, ''),
    );
    expect(errors).toBeGreaterThan(0);
    await page.getByTestId('count-errors').click();
    expect(await page.getByTestId('filter-input').inputValue()).toBe('status:error -kind:request');
    await page.waitForFunction(
      (n) =>
        (document.querySelector('[data-testid=filter-count]')?.textContent ?? '').startsWith(
          `${n} /`,
        ),
      errors,
    );
    await app.timeline.filter('');
  });

  it('moves with j/k and focuses the filter with /', async () => {
    await browser.page.getByTestId('timeline').click();
    await browser.page.keyboard.press('j');
    await browser.page.keyboard.press('j');
    const sel = browser.page.locator('[data-testid=timeline-row].selected');
    await sel.waitFor();
    const first = await sel.getAttribute('data-mid');
    await browser.page.keyboard.press('k');
    await browser.page.waitForFunction(
      (m) =>
        document.querySelector('[data-testid=timeline-row].selected')?.getAttribute('data-mid') !==
        m,
      first,
    );
    await browser.page.keyboard.press('/');
    expect(
      await browser.page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    ).toBe('filter-input');
    await browser.page.keyboard.press('Escape');
  });

  it('imports a hostile capture through the file picker and shows its content as inert text', async () => {
    await app.nav('library');
    await app.library.importFile(hostile);
    await app.timeline.waitForFrames(41);
    await browser.page.getByTestId('panel-capabilities').click();
    const caps = browser.page.getByTestId('capabilities');
    await caps.getByTestId('cap-item').first().waitFor();
    const text = (await caps.textContent()) ?? '';
    expect(text).toContain('evil<script>alert(1)</script>');
    // No element came from the payloads, nothing ran, and hidden characters are shown.
    expect(
      await browser.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(
      await browser.page
        .locator('[data-testid=capabilities] script, [data-testid=capabilities] svg, img[onerror]')
        .count(),
    ).toBe(0);
    await browser.page.locator('details.hs-instructions > summary').click();
    const instr = (await browser.page.locator('details.hs-instructions pre').textContent()) ?? '';
    expect(instr).toContain('\\u202eSECRET\\u202c\\u200b');
    expect(instr).toContain('\\x1b[31mred');
    // eslint-disable-next-line no-control-regex -- the raw escape character must not be on screen
    expect(instr).not.toMatch(/[\u202e\u200b\u001b]/);
    const stderr = (await browser.page.getByTestId('stderr-panel').textContent()) ?? '';
    expect(stderr).toContain('\\x1b[31mANSI');
    expect(browser.pageErrors).toEqual([]);
  });

  it('verifies the hash chain of an imported file in the library', async () => {
    await app.nav('library');
    const row = app.library
      .row(/everything/)
      .filter({ has: browser.page.getByTestId('integrity') });
    await row.first().waitFor({ timeout: 30_000 });
    expect(await row.first().getByTestId('integrity').getAttribute('data-intact')).toBe('true');
    await app.screenshot('screenshot-library.png');
  });

  it('exports a capture byte for byte, imports by drag-and-drop, and deletes', async () => {
    const page = browser.page;
    await app.nav('library');
    const row = app.library
      .row(/everything/)
      .filter({ has: page.getByTestId('integrity') })
      .first();
    await row.getByTestId('session-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByTestId('export-format').selectOption('jsonl');
    await dialog.getByTestId('export-redact').uncheck();
    await dialog
      .locator('[data-testid=export-status][data-busy=false]')
      .getByText('NOT redacted')
      .waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('export-download').click(),
    ]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(download.suggestedFilename()).toMatch(/\.mcpscope\.jsonl$/);
    const saved = join(work, 'exported.mcpscope.jsonl');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe(readFileSync(hostile, 'utf8'));

    // Drop files on the library (a real DataTransfer with a File in it).
    const drop = (content: string, name: string) =>
      page.evaluate(
        ([c, n]) => {
          const dt = new DataTransfer();
          dt.items.add(new File([c!], n!, { type: 'application/x-ndjson' }));
          const target = document.querySelector('[data-testid=library]')!;
          target.dispatchEvent(
            new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }),
          );
          target.dispatchEvent(
            new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
          );
        },
        [content, name],
      );
    const before = await app.library.rows().count();
    // The exported copy is the same capture (same id): it opens the session already listed.
    await drop(readFileSync(saved, 'utf8'), 'exported.mcpscope.jsonl');
    await page.getByTestId('toast-info').filter({ hasText: 'already in the library' }).waitFor();
    await page.getByTestId('session-screen').waitFor();
    await app.nav('library');
    expect(await app.library.rows().count()).toBe(before);
    const fresh = join(work, 'fresh.mcpscope.jsonl');
    await writeCapture(fresh, { frames: 20 });
    await drop(readFileSync(fresh, 'utf8'), 'dropped.mcpscope.jsonl');
    await page.getByTestId('session-screen').waitFor();
    await app.nav('library');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=session-row]').length === n + 1,
      before,
    );

    page.once('dialog', (d) => void d.accept());
    const dropped = app.library.rows().first();
    const id = await dropped.getAttribute('data-session-id');
    await dropped.getByTestId('session-delete').click();
    await page
      .locator(`[data-testid=session-row][data-session-id="${id}"]`)
      .waitFor({ state: 'detached' });
    expect(await app.library.rows().count()).toBe(before);
  });

  it('shows a recorder started by a host as a live session', async () => {
    const out = join(work, 'live.mcpscope.jsonl');
    const rec = spawn(
      process.execPath,
      [CLI, 'record', '--out', out, '--', process.execPath, EVERYTHING, 'stdio'],
      {
        env: { ...process.env, MCPSCOPE_HOME: ui.home },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    children.push(rec);
    const lines: string[] = [];
    let buf = '';
    rec.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    const send = (v: unknown): boolean => rec.stdin!.write(`${JSON.stringify(v)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'e2e-host', version: '1' },
      },
    });
    await app.nav('library');
    const row = browser.page.locator('[data-testid=session-row][data-live=true]');
    await row.first().waitFor({ timeout: 30_000 });
    await row.first().getByTestId('session-open').click();
    await app.timeline.waitForFrames(2);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    // The new frames stream into the open timeline.
    await app.timeline.waitForFrames(5);
    await app.timeline.rowWhere({ kind: 'response', text: 'tools/list' }).first().waitFor();
    await app.screenshot('screenshot-live.png');
    expect(lines.length).toBeGreaterThanOrEqual(2); // the host still got its answers
    rec.stdin!.end();
    await new Promise((r) => rec.once('exit', r));
  });

  it('made no request outside its own origin', () => {
    expect(browser.foreignRequests).toEqual([]);
  });
});
