#!/usr/bin/env node
// Streamed export at scale: a ~620 MB capture (gen-big-capture.mjs: 1 MB frames) exported by the
// real CLI with a 256 MB V8 heap (--max-old-space-size=256), to redacted jsonl and to html.
// Reports wall time, MB/s of capture read, and the process's peak RSS (GNU time, else
// process.resourceUsage of the child is not available: then RSS is not reported).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBigCapture } from './gen-big-capture.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'mcpscope.js');
const MB = Number(process.env.EXPORT_STREAM_MB ?? 620);
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-export-stream-'));
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
try {
  const capture = join(dir, 'big.mcpscope.jsonl');
  const { bytes, records } = writeBigCapture(capture, MB);
  console.log(`capture: ${(bytes / 1e6).toFixed(1)} MB, ${records} records`);
  for (const format of ['jsonl', 'html']) {
    const out = join(dir, `out.${format}`);
    const args = [
      '--max-old-space-size=256',
      CLI,
      'export',
      capture,
      '--format',
      format,
      '--out',
      out,
    ];
    const load = loadavg()[0].toFixed(1);
    const t0 = performance.now();
    const r = gnuTime
      ? spawnSync(gnuTime, ['-f', 'maxrss_kb=%M', process.execPath, ...args], {
          encoding: 'utf8',
          env: { ...process.env, MCPSCOPE_HOME: join(dir, 'home') },
        })
      : spawnSync(process.execPath, args, {
          encoding: 'utf8',
          env: { ...process.env, MCPSCOPE_HOME: join(dir, 'home') },
        });
    const s = (performance.now() - t0) / 1000;
    if (r.status !== 0) {
      console.error(r.stderr);
      process.exit(1);
    }
    const rss = /maxrss_kb=(\d+)/.exec(r.stderr)?.[1];
    console.log(
      `export --format ${format.padEnd(5)} (redacted, heap 256 MB): ${s.toFixed(1)} s, ${(bytes / 1e6 / s).toFixed(1)} MB/s, output ${(statSync(out).size / 1e6).toFixed(1)} MB` +
        `${rss ? `, peak RSS ${(Number(rss) / 1024).toFixed(0)} MB` : ''}, load average at start ${load}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
