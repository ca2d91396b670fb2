// Every rule is documented: unique id, a paragraph on the risk and what to do, references, and a
// row in the README's generated table (regenerate with scripts/gen-rules-doc.mjs --write).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTORS, RULES } from '../../shared/detect/registry.js';
import { RUGPULL_RULES } from '../../shared/detect/rugpull.js';
import { ROOT } from '../helpers/paths.js';

describe('rules', () => {
  it('have unique ids, a risk-and-action paragraph and references', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.description.length, r.id).toBeGreaterThan(80);
      if (r.category !== 'internal') expect(r.references.length, r.id).toBeGreaterThan(0);
    }
  });

  it("include every detector's rules", () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const d of DETECTORS) for (const r of d.rules) expect(ids.has(r.id), r.id).toBe(true);
    for (const r of RUGPULL_RULES) expect(ids.has(r.id)).toBe(true);
  });

  it('are all in the README table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(
      readme.indexOf('<!-- rules:begin'),
      readme.indexOf('<!-- rules:end -->'),
    );
    for (const r of RULES)
      expect(table, `${r.id} missing: run node scripts/gen-rules-doc.mjs --write`).toContain(
        `\`${r.id}\` — ${r.title}`,
      );
  });
});
