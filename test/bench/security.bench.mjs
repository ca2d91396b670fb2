#!/usr/bin/env node
// Security bench (issue 12): the cost of encryption at rest and of retention.
// 1. A 100,000-frame capture (gen-capture.mjs): `export --no-redact --encrypt-to` and `verify`
//    plain vs `verify --identity` (decrypted as a stream in memory), wall time with process start.
// 2. `gc --dry-run --json` over a captures folder of 2,000 files (each file's tail is read to find
//    its end record).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCapture } from './gen-capture.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'mcpscope.js');
const FRAMES = Number(process.env.SECURITY_BENCH_FRAMES ?? 100_000);
const FILES = Number(process.env.SECURITY_BENCH_FILES ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-security-bench-'));
// The generated capture is signed with this home's key, so verify trusts it.
process.env.MCPSCOPE_HOME = join(dir, 'home');
const env = { ...process.env, NO_COLOR: '1' };

function timed(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    console.error(`mcpscope ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    process.exit(1);
  }
  return { ms, r };
}

try {
  const capture = join(dir, 'big.mcpscope.jsonl');
  const { frames } = await writeCapture(capture, { frames: FRAMES });
  console.log(`capture: ${frames} frames, ${(statSync(capture).size / 1e6).toFixed(1)} MB`);
  const key = join(dir, 'id.key');
  timed(['key', 'age-keygen', '--out', key]);
  const recipient = /age1[a-z0-9]+/.exec(readFileSync(key, 'utf8'))[0];
  const sealed = join(dir, 'big.age');
  const base = timed([
    'export',
    capture,
    '--format',
    'jsonl',
    '--no-redact',
    '--out',
    join(dir, 'copy.jsonl'),
  ]);
  console.log(`export --no-redact (no encryption): ${(base.ms / 1000).toFixed(2)} s`);
  const enc = timed(['export', capture, '--no-redact', '--encrypt-to', recipient, '--out', sealed]);
  console.log(`export --no-redact --encrypt-to:      ${(enc.ms / 1000).toFixed(2)} s`);
  const plain = timed(['verify', capture]);
  console.log(`verify (plain):                     ${(plain.ms / 1000).toFixed(2)} s`);
  const dec = timed(['verify', sealed, '--identity', key]);
  console.log(`verify --identity (decrypting):     ${(dec.ms / 1000).toFixed(2)} s`);

  const captures = join(env.MCPSCOPE_HOME, 'captures');
  mkdirSync(captures, { recursive: true });
  const small = join(dir, 'small.mcpscope.jsonl');
  await writeCapture(small, { frames: 20 });
  const now = Date.now() / 1000;
  for (let i = 0; i < FILES; i++) {
    const p = join(captures, `c${String(i).padStart(5, '0')}.mcpscope.jsonl`);
    copyFileSync(small, p);
    const t = now - i * 3600;
    utimesSync(p, t, t);
  }
  const gc = timed(['gc', '--dry-run', '--json', '--max-age', '30d']);
  const report = JSON.parse(gc.r.stdout);
  console.log(
    `gc --dry-run over ${FILES} captures: ${(gc.ms / 1000).toFixed(2)} s (${report.deleted.length} would go)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
