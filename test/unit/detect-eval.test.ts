// Calibration on the TUNE split of the detection corpus (test/fixtures/detect-corpus): every
// poisoned item found at medium or above (traffic: the finding names the tool), no real benign
// definition flagged at medium or above. The held-out split is measured only by
// test/bench/detect-eval.bench.mjs and never tuned on. DETECT_EVAL_PRINT=1 prints the report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, findingsFor, flagged, type CorpusItem } from '../../shared/detect/evaluate.js';
import { ROOT } from '../helpers/paths.js';

const load = (f: string): CorpusItem[] =>
  (
    JSON.parse(readFileSync(join(ROOT, 'test/fixtures/detect-corpus', f), 'utf8')) as {
      items: CorpusItem[];
    }
  ).items;
const poisoned = load('poisoned.json');
const benign = load('benign.json');
const tune = (xs: CorpusItem[]) => xs.filter((x) => x.split === 'tune');

describe('detection corpus, tune split', () => {
  it('has the size the calibration needs (>= 200 poisoned, >= 300 benign from >= 40 servers)', () => {
    expect(poisoned.length).toBeGreaterThanOrEqual(200);
    expect(benign.length).toBeGreaterThanOrEqual(300);
    expect(new Set(benign.map((b) => b.server)).size).toBeGreaterThanOrEqual(40);
    for (const b of benign)
      expect(b).toMatchObject({
        repo: expect.any(String),
        commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      });
  });

  it('recall at medium+ on poisoned items and no medium+ finding on benign definitions', () => {
    const r = evaluate(tune(poisoned), tune(benign));
    if (process.env.DETECT_EVAL_PRINT) console.log(JSON.stringify(r, null, 1));
    expect(r.missed).toEqual([]);
    expect(r.falseAlarms).toEqual([]);
  });

  it('traffic findings name the tool they concern', () => {
    for (const item of tune(poisoned).filter((p) => p.traffic)) {
      const found = findingsFor(item);
      expect(flagged(item, found), item.id).toBe(true);
      expect(
        found
          .filter((f) => f.target.kind === 'message')
          .every((f) => f.target.name === item.traffic!.tool),
        item.id,
      ).toBe(true);
    }
  });
});
