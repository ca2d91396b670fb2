#!/usr/bin/env node
// Benchmark: fuzz throughput against a fast stdio server (the fixture with --clean: no faults),
// a default campaign (tools, protocol and framing cases) and a tools-only one; then the time to
// find each seeded fault of the fixture (its first live finding), per fault and per seed, from the
// built engine; then one campaign with minimisation, to show the minimal inputs.
//   node test/bench/fuzz.bench.mjs [--cases N] [--rounds R] [--seed S] [--fault-seeds 7,8,9] [--faults-only]
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
    'fault-seeds': { type: 'string', default: '7,8,9' },
    'faults-only': { type: 'boolean', default: false },
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

// The fixture's seeded faults (test/fixtures/servers/fuzz-target.mjs), as findings name them.
const FAULTS = [
  ['crash', 'divide'],
  ['timeout', 'echo'],
  ['protocol-violation', 'count'],
  ['schema-violation', 'stats'],
  ['error-leak', 'lookup'],
  ['sensitive-output', 'config'],
  ['accepted-invalid', 'greet'],
  ['crash', 'protocol:batch'],
  ['protocol-violation', 'framing:invalid-utf8'],
];
const FAULT_SEEDS = values['fault-seeds'].split(',').map(Number);

try {
  for (const [label, families] of values['faults-only']
    ? []
    : [
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

  // Time to find each seeded fault: from the campaign's start (server spawn included) to the fault's
  // first live finding, per seed; no minimisation, so campaigns end sooner.
  const times = new Map(FAULTS.map(([k, t]) => [`${k} ${t}`, []]));
  for (const seed of FAULT_SEEDS) {
    const start = performance.now();
    const seen = new Map();
    await runCampaign({
      target: target(),
      seed,
      cases: 2000,
      timeoutMs: 1000,
      minimize: false,
      capturePath: join(dir, `find-${seed}.mcpscope.jsonl`),
      onFinding: (f) => {
        const k = `${f.kind} ${f.tool ?? f.method}`;
        if (!seen.has(k)) seen.set(k, { ms: performance.now() - start, case: f.case });
      },
    });
    for (const [k, list] of times) list.push(seen.get(k));
  }
  console.log(
    `time to find each seeded fault (2000 cases per campaign, --timeout 1000, seeds ${FAULT_SEEDS.join(', ')}):`,
  );
  for (const [k, list] of times) {
    const cells = list.map((t, i) =>
      t
        ? `seed ${FAULT_SEEDS[i]}: ${Math.round(t.ms)} ms (case ${t.case})`
        : `seed ${FAULT_SEEDS[i]}: not found`,
    );
    console.log(`  ${k.padEnd(40)} ${cells.join('  ')}`);
  }

  // One whole campaign with minimisation (first seed), to show each fault's minimal input.
  const t0 = performance.now();
  const first = new Map();
  const rep = await runCampaign({
    target: target(),
    seed: FAULT_SEEDS[0],
    cases: 2000,
    timeoutMs: 1000,
    capturePath: join(dir, 'faults.mcpscope.jsonl'),
    onFinding: (f) => {
      const k = `${f.kind} ${f.tool ?? f.method}`;
      if (!first.has(k)) first.set(k, { ms: performance.now() - t0, case: f.case });
    },
  });
  console.log(
    `seeded faults with minimisation (seed ${FAULT_SEEDS[0]}, 2000 cases, --timeout 1000): campaign ${(rep.durationMs / 1000).toFixed(1)} s including minimisation, ${rep.restarts} restarts`,
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
