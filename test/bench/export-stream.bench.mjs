#!/usr/bin/env node
// Streamed export at scale: a ~620 MB capture (gen-big-capture.mjs: 1 MB frames) exported by the
// real CLI with a 256 MB V8 heap (--max-old-space-size=256), to redacted jsonl, html, vitest and
// otlp, and the same session recorded over Streamable HTTP to har. EXPORT_STREAM_FORMATS picks
// formats (comma-separated), EXPORT_STREAM_MB the size.
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
const FORMATS = (process.env.EXPORT_STREAM_FORMATS ?? 'jsonl,html,har,vitest,otlp').split(',');
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-export-stream-'));
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
try {
  const stdio = join(dir, 'big.mcpscope.jsonl');
  const http = join(dir, 'big-http.mcpscope.jsonl');
  const sizes = {};
  if (FORMATS.some((f) => f !== 'har')) {
    const { bytes, records } = writeBigCapture(stdio, MB);
    sizes[stdio] = bytes;
    console.log(`capture (stdio): ${(bytes / 1e6).toFixed(1)} MB, ${records} records`);
  }
  if (FORMATS.includes('har')) {
    const { bytes, records } = writeBigCapture(http, MB, { transport: 'streamable-http' });
    sizes[http] = bytes;
    console.log(`capture (Streamable HTTP): ${(bytes / 1e6).toFixed(1)} MB, ${records} records`);
  }
  for (const format of FORMATS) {
    const capture = format === 'har' ? http : stdio;
    const bytes = sizes[capture];
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
    rmSync(out, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
