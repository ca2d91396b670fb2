// Detection quality on the HELD-OUT split of test/fixtures/detect-corpus (never tuned on):
// precision and recall per category at medium or above, false alarms on real benign definitions,
// and the official reference servers at high or above. Needs `npm run build`.
// Prints one JSON line {"bench":"detect-eval",...} and a table.
//
//   node test/bench/detect-eval.bench.mjs [--split heldout|tune|all]

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const load = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { evaluate } = await load('shared/detect/evaluate.js');
const { detectServers } = await load('shared/detect/run.js');
const { atLeast } = await load('shared/detect/types.js');

const i = process.argv.indexOf('--split');
const split = i > 0 ? process.argv[i + 1] : 'heldout';
const read = (f) =>
  JSON.parse(readFileSync(join(ROOT, 'test/fixtures/detect-corpus', f), 'utf8')).items.filter(
    (x) => split === 'all' || x.split === split,
  );
const poisoned = read('poisoned.json');
const benign = read('benign.json');

const t0 = performance.now();
const r = evaluate(poisoned, benign, 'medium');
const ms = performance.now() - t0;

const ref = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/detect/reference-servers.json'), 'utf8'),
).servers.map((s) => ({ prompts: [], resources: [], resourceTemplates: [], ...s }));
const refHigh = detectServers(ref).filter((f) => atLeast(f.severity, 'high'));

console.log(
  `split: ${split}; ${poisoned.length} poisoned, ${benign.length} benign (${new Set(benign.map((b) => b.server)).size} servers); ${ms.toFixed(0)} ms`,
);
console.log('category           items  found  recall');
for (const c of r.poisoned)
  console.log(
    `${c.category.padEnd(18)} ${String(c.items).padStart(5)}  ${String(c.flagged).padStart(5)}  ${((100 * c.flagged) / c.items).toFixed(1).padStart(5)}%`,
  );
console.log(
  `${'ALL poisoned'.padEnd(18)} ${String(poisoned.length).padStart(5)}  ${String(poisoned.length - r.missed.length).padStart(5)}  ${(100 * r.recall).toFixed(1).padStart(5)}%`,
);
console.log(
  `benign definitions flagged at medium+: ${r.benign.flagged} of ${r.benign.items}; precision ${(100 * r.precision).toFixed(1)}%`,
);
console.log(`reference servers, findings at high+: ${refHigh.length}`);
if (r.missed.length) console.log(`missed: ${r.missed.join(', ')}`);
for (const f of r.falseAlarms) console.log(`false alarm ${f.id}: ${f.findings[0]}`);
console.log(
  JSON.stringify({
    bench: 'detect-eval',
    split,
    poisoned: poisoned.length,
    benign: benign.length,
    recall: r.recall,
    precision: r.precision,
    benignFlagged: r.benign.flagged,
    referenceHigh: refHigh.length,
    perCategory: r.poisoned,
    missed: r.missed,
  }),
);
const ok = r.recall >= 0.95 && r.benign.flagged === 0 && refHigh.length === 0;
if (!ok)
  console.log(
    '!! below the quality bar: recall >= 95% at medium+, no benign definition at medium+, nothing at high+ on the reference servers',
  );
process.exitCode = ok ? 0 : 1;
