// Scale (issue 16): a 1,000,000-frame capture in the app in Chromium. Runs ui.bench.mjs with
// --frames 1000000 (it generates the capture into a temp dir with the engine's CaptureWriter,
// imports it through the Library's file input and measures rows on screen, filter times and the
// renderer's JS heap) and checks issue 16's bars: rows in < 3 s, every filter < 500 ms, renderer
// heap < 1 GB. "Rows" is the first screen of rows (the worker indexes the file as it streams;
// fullCountMs is when the status bar has the full frame count); the heap bar is checked on the
// page's heap, and the worker that owns the session is reported beside it (workersMB). Prints one JSON line {"bench":"scale",...}; exits 1 if the run itself fails.
// Needs `npm run build`.
//
//   node test/bench/scale.bench.mjs [--frames N]

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const GOALS = { rowsMs: 3000, filterMs: 500, heapMB: 1024 };
const argFrames = process.argv.indexOf('--frames');
const frames = argFrames > 0 ? Number(process.argv[argFrames + 1]) : 1_000_000;
const ui = fileURLToPath(new URL('./ui.bench.mjs', import.meta.url));
const t0 = Date.now();
const r = spawnSync(
  process.execPath,
  ['--max-old-space-size=4096', ui, '--frames', String(frames)],
  { encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 },
);
const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{"bench":"ui"'));
if (!line) {
  console.error(`scale.bench: ui.bench.mjs did not finish (exit ${r.status ?? r.signal})`);
  console.error((r.stderr ?? '').slice(-4000));
  process.exit(1);
}
const u = JSON.parse(line);
const result = {
  bench: 'scale',
  frames: u.frames,
  fileMB: u.fileMB,
  rowsMs: u.firstRowsMs,
  indexingShown: u.indexingShown,
  fullCountMs: u.importToRowsMs,
  filterMaxMs: u.filterMaxMs,
  filter: u.filter,
  heapMB: u.heapMB,
  workersMB: u.workersMB,
  heapWithWorkersMB:
    u.heapMB + Object.values(u.workersMB ?? {}).reduce((a, b) => a + (Number(b) || 0), 0),
  scrollLongestTaskMs: u.scroll?.longestTaskMs,
  goals: GOALS,
  met: {
    rows: u.firstRowsMs < GOALS.rowsMs,
    filter: u.filterMaxMs < GOALS.filterMs,
    heap: u.heapMB < GOALS.heapMB,
    heapWithWorkers:
      u.heapMB + Object.values(u.workersMB ?? {}).reduce((a, b) => a + (Number(b) || 0), 0) <
      GOALS.heapMB,
  },
  wallS: Math.round((Date.now() - t0) / 1000),
  chromium: u.chromium,
};
console.log(JSON.stringify(result));
