#!/usr/bin/env node
// Benchmark: the load generator itself. `mcpscope load` (the built CLI) sends ping at a fixed
// 20,000/s (open model) for --seconds to a trivial stdio server (test/fixtures/servers/load-stdio.mjs)
// in --rounds rounds; it passes when a round answered every request at ≥ 20,000/s
// (throughput counts the whole run, start-up and drain included). Then the
// closed model at --concurrency 256 shows the ceiling of generator + server together.
//   node test/bench/load.bench.mjs [--rate N] [--seconds S] [--rounds R]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'mcpscope.js');
const SERVER = join(ROOT, 'test', 'fixtures', 'servers', 'load-stdio.mjs');
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '25000' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
  },
});
const TARGET = 20_000;

function run(flags) {
  const r = spawnSync(
    process.execPath,
    [CLI, 'load', '--json', '--no-record', ...flags, '--', process.execPath, SERVER],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 },
  );
  if (r.status !== 0)
    throw new Error(
      `mcpscope load ${flags.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`,
    );
  return JSON.parse(r.stdout).load;
}

const line = (s) =>
  `sent ${s.sent}  ok ${s.ok}  errors ${s.errorCount}  send rate ${s.sendRate}/s  throughput ${s.throughput}/s  p50 ${s.latency.p50} ms  p99 ${s.latency.p99} ms  p99.9 ${s.latency.p999} ms  max ${s.latency.max} ms`;

let best = 0;
console.log(
  `open model: ping at ${values.rate}/s for ${values.seconds} s, ${values.rounds} rounds`,
);
for (let i = 0; i < Number(values.rounds); i++) {
  const s = run(['--rate', values.rate, '--duration', values.seconds]);
  console.log(`  round ${i + 1}: ${line(s)}`);
  if (s.ok === s.sent && s.errorCount === 0) best = Math.max(best, s.throughput);
}
const closed = run(['--concurrency', '256', '--duration', values.seconds]);
console.log(`closed model: concurrency 256 for ${values.seconds} s\n  ${line(closed)}`);
console.log(
  `\nbest open-model round: ${best}/s (target ≥ ${TARGET}/s, every request answered): ${best >= TARGET ? 'PASS' : 'FAIL'}`,
);
process.exitCode = best >= TARGET ? 0 : 1;
