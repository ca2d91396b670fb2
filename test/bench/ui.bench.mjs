/* global window, document, HTMLInputElement, Event, requestAnimationFrame, PerformanceObserver */
// UI benchmark, in Debian's Chromium: a real 100,000-frame capture (written by the engine's
// CaptureWriter) is imported through the Library's file input; we measure
//   firstRowsMs     from the input's change event to the first rows on screen (a large file,
//                   64 MB and up, is indexed by a worker as it streams: rows show before the end),
//   importToRowsMs  from the input's change event to rows on screen with the full count (for a
//                   large file: when the worker finished indexing it),
//   filter          time for a query to filter and render (several queries; the max counts): from
//                   the input event until the count shown is the new query's (the large path
//                   filters in its worker) and a frame painted,
//   heap            the page's JS heap (performance.memory) and, for a large file, the heap of the
//                   worker that owns it (CDP Runtime.getHeapUsage on the worker target),
//   scroll          the longest main-thread task while scrolling the whole timeline
//                   (PerformanceObserver 'longtask' reports tasks over 50 ms; none means < 50),
//                   once after detection (a worker) finished (the goal), and once right after
//                   import while it may still run (reported as scrollWhileScanning).
// Prints one JSON line {"bench":"ui", ...}. Needs `npm run build` first (renderer/dist + dist/).
//
//   node test/bench/ui.bench.mjs [--frames N]
//   MCPSCOPE_RENDERER_DIST=/other/renderer/dist/ node test/bench/ui.bench.mjs   (A/B)

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { writeCapture } from './gen-capture.mjs';
import { serveRenderer } from './static-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const GOALS = { importToRowsMs: 3000, filterMs: 150, longestTaskMs: 50 };
const argFrames = process.argv.indexOf('--frames');
const FRAMES = argFrames > 0 ? Number(process.argv[argFrames + 1]) : 100_000;
/** Waits grow with the capture (scale.bench.mjs runs this with 1,000,000 frames). */
const WAIT_MS = Math.max(60_000, FRAMES * 0.6);

if (
  !existsSync(join(ROOT, 'renderer/dist/index.html')) ||
  !existsSync(join(ROOT, 'dist/electron/engine/capture/writer.js'))
) {
  console.error('ui.bench: build first: npm run build (renderer/dist and dist/ are missing)');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`ui.bench: no Chromium at ${CHROMIUM}; set CHROMIUM_PATH`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'mcpscope-uibench-'));
const capture = join(work, 'bench.mcpscope.jsonl');
const gen = await writeCapture(capture, { frames: FRAMES });
// MCPSCOPE_RENDERER_DIST: serve another build of the renderer (an A/B run against an older commit).
const srv = await serveRenderer(process.env.MCPSCOPE_RENDERER_DIST);
const ctx = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-precise-memory-info',
  ],
  viewport: { width: 1400, height: 900 },
});

/**
 * JS heap of each dedicated worker of the page, in MB (CDP: attach to the worker target and ask
 * Runtime.getHeapUsage through Target.sendMessageToTarget).
 */
async function workerHeaps(page) {
  const cdp = await page.context().newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const out = {};
  for (const t of targetInfos.filter((x) => x.type === 'worker')) {
    const { sessionId } = await cdp.send('Target.attachToTarget', {
      targetId: t.targetId,
      flatten: false,
    });
    const reply = new Promise((resolve) => {
      const on = (e) => {
        if (e.sessionId !== sessionId) return;
        const m = JSON.parse(e.message);
        if (m.id !== 1) return;
        cdp.off('Target.receivedMessageFromTarget', on);
        resolve(m.result);
      };
      cdp.on('Target.receivedMessageFromTarget', on);
    });
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id: 1, method: 'Runtime.getHeapUsage' }),
    });
    const r = await Promise.race([
      reply,
      new Promise((r) => setTimeout(() => r(undefined), 10_000)),
    ]);
    out[t.title || t.url] = r ? Math.round(r.usedSize / 1048576) : 'no answer';
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
  }
  await cdp.detach();
  return out;
}

try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    document.addEventListener(
      'change',
      (e) => {
        const t = /** @type {HTMLElement} */ (e.target);
        if (t?.dataset?.testid === 'import-input') w.__importStart = performance.now();
      },
      true,
    );
  });
  await page.goto(srv.url);
  await page.waitForSelector('html[data-app-ready="true"]');

  // Import → first rows on screen, then rows with the full count.
  await page.setInputFiles('[data-testid=import-input]', capture);
  await page.waitForFunction(
    () => {
      const w = /** @type {any} */ (window);
      const ok = document.querySelector('[data-testid=timeline-row]') !== null;
      if (ok && w.__firstRowsAt === undefined) w.__firstRowsAt = performance.now();
      return ok;
    },
    undefined,
    { polling: 'raf', timeout: WAIT_MS },
  );
  const firstRowsMs = await page.evaluate(
    () => /** @type {any} */ (window).__firstRowsAt - /** @type {any} */ (window).__importStart,
  );
  const indexingShown = (await page.$('[data-testid=indexing]')) !== null;
  await page.waitForFunction(
    (n) => {
      const w = /** @type {any} */ (window);
      const ok =
        document.querySelector('[data-testid=message-count]')?.textContent === String(n) &&
        document.querySelector('[data-testid=timeline-row]') !== null;
      if (ok && w.__rowsAt === undefined) w.__rowsAt = performance.now();
      return ok;
    },
    gen.frames,
    { polling: 'raf', timeout: WAIT_MS },
  );
  const importToRowsMs = await page.evaluate(
    () => /** @type {any} */ (window).__rowsAt - /** @type {any} */ (window).__importStart,
  );
  // Chromium's non-standard heap figure (coarse, but enough to see the timeline's footprint).
  const heapMB = await page.evaluate(() =>
    Math.round(/** @type {any} */ (performance.memory?.usedJSHeapSize ?? 0) / 1048576),
  );
  const workersMB = await workerHeaps(page);

  // Scroll through the whole timeline, one step per frame, then check long tasks in that window.
  const scrollPass = () =>
    page.evaluate(async () => {
      const w = /** @type {any} */ (window);
      const el = /** @type {HTMLElement} */ (document.querySelector('[data-testid=timeline]'));
      const start = performance.now();
      const steps = 240;
      const stride = Math.ceil(el.scrollHeight / steps);
      let frames = 0;
      for (let i = 0; i <= steps; i++) {
        el.scrollTop = i * stride;
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        frames++;
      }
      // And some wheel-sized steps back up through a dense region.
      for (let i = 0; i < 120; i++) {
        el.scrollTop -= 600;
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        frames++;
      }
      const end = performance.now();
      const tasks = w.__longtasks.filter((t) => t.start >= start && t.start <= end);
      return {
        durationMs: Math.round(end - start),
        frames,
        longTasks: tasks.length,
        longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
        tasks: tasks.map((t) => `${Math.round(t.duration)}ms@${Math.round(t.start - start)}`),
      };
    });
  // First while detection (in its worker) may still be scanning the import, then once it is done.
  const scanningAtStart = await page.getAttribute('[data-testid=finding-count]', 'data-scanning');
  const scrollWhileScanning = await scrollPass();
  const t0 = Date.now();
  await page.waitForSelector('[data-testid=finding-count][data-scanning=false]', {
    timeout: 2 * WAIT_MS,
  });
  const scanSettledMs = Date.now() - t0;
  // Filter: set the query the way typing does, time until React has rendered and a frame painted.
  const queries = [
    'status:error',
    'method:tools/call dir:s2c',
    'latency:>500',
    'has:progress',
    'hello 99999',
    'kind:request -method:tools/call',
    '',
  ];
  const filter = {};
  for (const q of queries) {
    filter[q || '(clear)'] = await page.evaluate(async (query) => {
      const el = /** @type {HTMLInputElement} */ (
        document.querySelector('[data-testid=filter-input]')
      );
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const t0 = performance.now();
      setter.call(el, query);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      // A large session filters in its worker: wait (bounded) until the count is this query's.
      const count = () => document.querySelector('[data-testid=filter-count]');
      for (let i = 0; i < 6000; i++) {
        const c = count();
        // (A build without these attributes, e.g. an A/B run of an older commit: one frame.)
        const q = c?.getAttribute('data-query');
        if (q === null || (c?.getAttribute('data-busy') !== 'true' && q === query)) break;
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      }
      const t1 = performance.now();
      const shown = document.querySelector('[data-testid=filter-count]')?.textContent ?? '';
      // The filter's own time as the app reports it (for a large session: in its worker).
      const own = /\(([\d.]+) ms\)/.exec(shown)?.[1];
      return {
        ms: Math.round((t1 - t0) * 10) / 10,
        shown: shown.split('/')[0].trim(),
        ...(own !== undefined ? { filterOnlyMs: Number(own) } : {}),
      };
    }, q);
  }
  const filterMaxMs = Math.max(...Object.values(filter).map((f) => f.ms));

  const scroll = await scrollPass();

  const result = {
    bench: 'ui',
    frames: gen.frames,
    fileMB: Math.round((statSync(capture).size / 1024 / 1024) * 10) / 10,
    firstRowsMs: Math.round(firstRowsMs),
    indexingShown,
    importToRowsMs: Math.round(importToRowsMs),
    heapMB,
    workersMB,
    filterMaxMs,
    filter,
    scroll,
    scrollWhileScanning: { ...scrollWhileScanning, scanningAtStart: scanningAtStart === 'true' },
    scanSettledAfterFirstScrollMs: scanSettledMs,
    goals: GOALS,
    pass:
      importToRowsMs < GOALS.importToRowsMs &&
      filterMaxMs < GOALS.filterMs &&
      scroll.longestTaskMs < GOALS.longestTaskMs,
    chromium: ctx.browser()?.version() ?? 'persistent',
  };
  console.log(JSON.stringify(result));
} finally {
  await ctx.close();
  await srv.close();
  rmSync(work, { recursive: true, force: true });
}
