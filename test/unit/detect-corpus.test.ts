// The labelled example corpus (../shared/corpus) must be classified as labelled: every malicious
// case yields a finding at high or above, every benign case none at medium or above.
import { describe, expect, it } from 'vitest';
import { TimelineDetector } from '../../shared/detect/timeline.js';
import { detectServers } from '../../shared/detect/run.js';
import { atLeast, type Finding } from '../../shared/detect/types.js';
import { skipWithout } from '../helpers/prereq.js';
import {
  CORPUS_PATH,
  loadCorpus,
  makeHeader,
  makeServer,
  makeSession,
  type CorpusCase,
} from '../helpers/factories.js';

export function classify(c: CorpusCase): Finding[] {
  if (c.servers) {
    return detectServers(
      c.servers.map((s) =>
        makeServer(s.name, s.tools, s.instructions ? { instructions: s.instructions } : {}),
      ),
    );
  }
  const d = new TimelineDetector(makeHeader());
  const spec: Parameters<typeof makeSession>[0] = { name: c.id, tools: c.tools ?? [] };
  if (c.instructions) spec.instructions = c.instructions;
  if (c.later) spec.later = c.later;
  if (c.result !== undefined) spec.result = c.result;
  for (const r of makeSession(spec)) d.add(r);
  d.finish();
  return d.findings;
}

const cases = loadCorpus();
const PLAIN_DUPLICATE = new Set(['dev-m09']);
const summary = (fs: Finding[]) =>
  fs.map((f) => `${f.severity} ${f.rule}: ${f.message.slice(0, 160)}`).join('\n');

// Skipped (and named with its path) only when the corpus is absent locally; under CI=true that fails.
describe.skipIf(skipWithout(cases ? undefined : `no labelled corpus at ${CORPUS_PATH}`))(
  `labelled corpus (${CORPUS_PATH})`,
  () => {
    for (const c of cases ?? []) {
      it(`${c.id} (${c.label}): ${c.why}`, () => {
        const findings = classify(c);
        if (PLAIN_DUPLICATE.has(c.id)) {
          // Two servers that merely share a generic tool name ("search") were reported high: the false
          // alarm issue #17 removes. The clash is still reported, as low (notable).
          expect(
            findings.some((f) => f.rule === 'shadow.duplicate-name' && f.severity === 'low'),
            summary(findings),
          ).toBe(true);
        } else if (c.label === 'malicious')
          expect(
            findings.some((f) => atLeast(f.severity, 'high')),
            summary(findings),
          ).toBe(true);
        else
          expect(
            findings.filter((f) => atLeast(f.severity, 'medium')),
            summary(findings),
          ).toEqual([]);
      });
    }
  },
);
