/* global window, document, KeyboardEvent, requestAnimationFrame, PerformanceObserver */
// Sequence view benchmark, in Debian's Chromium: a real 100,000-frame capture (the engine's
// CaptureWriter) is imported, the timeline is switched to the sequence view (`v`), then zoomed in
// step by step (`+`), panned (`→`) and fitted again (`0`). We measure
//   switchMs      from the `v` key to the chart painted (whole session, bucketed per pixel),
//   stepMaxMs     the slowest zoom/pan step, key event to painted frame,
//   svgNodes      SVG elements drawn at the whole-session zoom (only what is visible is drawn),
//   arrowsZoomedIn  message arrows drawn after 18 zoom steps in (one arrow per message there),
//   longestTaskMs the longest main-thread task during the steps (PerformanceObserver 'longtask').
// Prints one JSON line {"bench":"sequence", ...}. Needs `npm run build` first.
//
//   node test/bench/sequence.bench.mjs [--frames N]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCapture } from './gen-capture.mjs';
import { launchChromium, requireBuild, requireChromium } from './lib.mjs';
import { serveRenderer } from './static-server.mjs';

const GOALS = { switchMs: 500, stepMaxMs: 100 };
const argFrames = process.argv.indexOf('--frames');
const FRAMES = argFrames > 0 ? Number(process.argv[argFrames + 1]) : 100_000;

requireBuild('sequence.bench');
requireChromium('sequence.bench');

const work = mkdtempSync(join(tmpdir(), 'mcpscope-seqbench-'));
const capture = join(work, 'bench.mcpscope.jsonl');
const gen = await writeCapture(capture, { frames: FRAMES });
const srv = await serveRenderer();
const ctx = await launchChromium(join(work, 'profile'));

/** Press a key in the page and time it to the next painted frame (two rAFs: render, paint). */
const timedKey = (page, key) =>
  page.evaluate(async (k) => {
    const t0 = performance.now();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    await new Promise((r) =>
      requestAnimationFrame(() => requestAnimationFrame(() => r(undefined))),
    );
    return performance.now() - t0;
  }, key);

try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(srv.url);
  await page.waitForSelector('html[data-app-ready="true"]');
  await page.setInputFiles('[data-testid=import-input]', capture);
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=message-count]')?.textContent === String(n),
    gen.frames,
    { timeout: 120_000 },
  );
  await page.waitForSelector('[data-testid=timeline-row]');
  // Let detection finish so its worker does not compete with the measured steps.
  await page.waitForSelector('[data-testid=finding-count][data-scanning=false]', {
    timeout: 180_000,
  });

  const switchMs = await timedKey(page, 'v');
  await page.waitForSelector('[data-testid=seq-chart]');
  const svgNodes = await page.evaluate(
    () => document.querySelectorAll('[data-testid=seq-chart] *').length,
  );
  const dense = (await page.getAttribute('[data-testid=seq-chart]', 'data-dense')) === 'true';

  const start = await page.evaluate(() => performance.now());
  const steps = [];
  for (let i = 0; i < 14; i++) steps.push(['+', await timedKey(page, '+')]);
  for (let i = 0; i < 20; i++) steps.push(['ArrowRight', await timedKey(page, 'ArrowRight')]);
  for (let i = 0; i < 6; i++) steps.push(['-', await timedKey(page, '-')]);
  steps.push(['0', await timedKey(page, '0')]);
  const arrowsZoomedIn = await page.evaluate(async () => {
    // Zoomed in far enough that every message is its own arrow again (not bucketed).
    for (let i = 0; i < 18; i++)
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true }));
    await new Promise((r) =>
      requestAnimationFrame(() => requestAnimationFrame(() => r(undefined))),
    );
    return document.querySelectorAll('[data-testid=seq-msg]').length;
  });
  const tasks = await page.evaluate(
    (s) => /** @type {any} */ (window).__longtasks.filter((t) => t.start >= s),
    start,
  );
  const stepMaxMs = Math.max(...steps.map(([, ms]) => ms));
  const result = {
    bench: 'sequence',
    frames: gen.frames,
    switchMs: Math.round(switchMs),
    wholeSessionBucketed: dense,
    svgNodes,
    steps: steps.length,
    stepMaxMs: Math.round(stepMaxMs),
    stepMedianMs: Math.round(steps.map(([, ms]) => ms).sort((a, b) => a - b)[steps.length >> 1]),
    arrowsZoomedIn,
    longTasks: tasks.length,
    longestTaskMs: Math.round(tasks.reduce((m, t) => Math.max(m, t.duration), 0)),
    goals: GOALS,
    pass: switchMs < GOALS.switchMs && stepMaxMs < GOALS.stepMaxMs,
    chromium: ctx.browser()?.version() ?? 'persistent',
  };
  console.log(JSON.stringify(result));
} finally {
  await ctx.close();
  await srv.close();
  rmSync(work, { recursive: true, force: true });
}
