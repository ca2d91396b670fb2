#!/usr/bin/env node
// Benchmark: fuzz throughput against a fast stdio server (the fixture with --clean: no faults),
// a default campaign (tools, protocol and framing cases) and a tools-only one; then the time to
// find each seeded fault of the fixture (first live finding of each kind), from the built engine.
//   node test/bench/fuzz.bench.mjs [--cases N] [--rounds R] [--seed S]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TARGET = join(ROOT, 'test', 'fixtures', 'servers', 'fuzz-target.mjs');
const { runCampaign } = await import(join(ROOT, 'dist', 'electron', 'engine', 'fuzz', 'index.js'));
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '7' },
  },
});
const CASES = Number(values.cases);
const ROUNDS = Number(values.rounds);
const SEED = Number(values.seed);
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-fuzz-bench-'));
const target = (...extra) => ({
  transport: 'stdio',
  command: process.execPath,
  args: [TARGET, ...extra],
});

try {
  for (const [label, families] of [
    ['default (tools+protocol+framing)', undefined],
    ['tools only', ['tools']],
  ]) {
    const rates = [];
    for (let r = 0; r < ROUNDS; r++) {
      const rep = await runCampaign({
        target: target('--clean'),
        seed: SEED + r,
        cases: CASES,
        timeoutMs: 5000,
        minimize: false,
        capturePath: join(dir, `clean-${r}.mcpscope.jsonl`),
        ...(families ? { families } : {}),
      });
      if (rep.findings.length > 0)
        throw new Error(`the clean fixture produced findings: ${JSON.stringify(rep.findings[0])}`);
      rates.push(rep.cases / (rep.durationMs / 1000));
    }
    rates.sort((a, b) => a - b);
    console.log(
      `${label}: ${CASES} cases × ${ROUNDS}: median ${Math.round(rates[rates.length >> 1])} cases/s (min ${Math.round(rates[0])}, max ${Math.round(rates.at(-1))}), recorded`,
    );
  }

  // Time to first finding of each seeded fault (timeout 1000 ms), then the whole campaign with minimisation.
  const t0 = performance.now();
  const first = new Map();
  const rep = await runCampaign({
    target: target(),
    seed: SEED,
    cases: 2000,
    timeoutMs: 1000,
    capturePath: join(dir, 'faults.mcpscope.jsonl'),
    onFinding: (f) => {
      const k = `${f.kind} ${f.tool ?? f.method}`;
      if (!first.has(k)) first.set(k, { ms: performance.now() - t0, case: f.case });
    },
  });
  console.log(
    `seeded faults (seed ${SEED}, 2000 cases, --timeout 1000): campaign ${(rep.durationMs / 1000).toFixed(1)} s including minimisation, ${rep.restarts} restarts`,
  );
  for (const f of rep.findings) {
    const t = first.get(`${f.kind} ${f.tool ?? f.method}`);
    console.log(
      `  ${f.kind.padEnd(18)} ${(f.tool ?? f.method).padEnd(26)} found after ${t ? `${Math.round(t.ms)} ms (case ${t.case})` : '?'}  minimal ${JSON.stringify(f.minimized ?? f.input).slice(0, 60)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
