#!/usr/bin/env node
// Export bench: a 100,000-frame capture (gen-capture.mjs) exported by the real CLI to html and to
// redacted jsonl (and md, sarif), wall time per format including process start. Goal: each < 5 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCapture } from './gen-capture.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'mcpscope.js');
const FRAMES = Number(process.env.EXPORT_BENCH_FRAMES ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-export-bench-'));
try {
  const capture = join(dir, 'big.mcpscope.jsonl');
  const { frames } = await writeCapture(capture, { frames: FRAMES });
  console.log(`capture: ${frames} frames, ${(statSync(capture).size / 1e6).toFixed(1)} MB`);
  for (const format of ['html', 'jsonl', 'md', 'sarif']) {
    const out = join(dir, `out.${format}`);
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [CLI, 'export', capture, '--format', format, '--out', out],
      { encoding: 'utf8' },
    );
    const ms = performance.now() - t0;
    if (r.status !== 0) {
      console.error(r.stderr);
      process.exit(1);
    }
    const goal =
      format === 'html' || format === 'jsonl'
        ? ms < 5000
          ? ' (goal < 5 s: met)'
          : ' (goal < 5 s: MISSED)'
        : '';
    console.log(
      `export --format ${format.padEnd(5)} (redacted): ${(ms / 1000).toFixed(2)} s, ${(statSync(out).size / 1e6).toFixed(1)} MB${goal}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
