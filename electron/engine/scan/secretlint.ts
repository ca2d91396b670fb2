// secretlint's recommended preset as a second secret pass (its core is async and pulls in a
// Node profiler, so it runs here in the engine rather than in shared/). All texts go through one
// lintSource call, joined with newlines, and each hit is mapped back to its record and JSON string.

import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { spansAt } from '../../../shared/detect/jsonloc.js';
import { maskSecret } from '../../../shared/detect/mask.js';
import type { Finding } from '../../../shared/detect/types.js';
import type { Direction } from '../../../shared/protocol/messages.js';

export interface LintText {
  seq: number;
  text: string;
  /** Frames are JSON (hits get a pointer); stderr lines are plain text. */
  json: boolean;
  dir?: Direction;
  method?: string;
}

const config = {
  rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }],
};

function owner(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export async function secretlintFindings(
  texts: LintText[],
  server: string | undefined,
): Promise<Finding[]> {
  if (texts.length === 0) return [];
  const starts: number[] = [];
  let pos = 0;
  for (const t of texts) {
    starts.push(pos);
    pos += t.text.length + 1;
  }
  const content = texts.map((t) => t.text).join('\n');
  const result = await lintSource({
    source: { content, filePath: 'capture.txt', contentType: 'text' },
    options: { config, maskSecrets: false, noPhysicFilePath: true },
  });
  const out: Finding[] = [];
  for (const m of result.messages) {
    const [a, b] = m.range;
    const k = owner(starts, a);
    const t = texts[k]!;
    const start = a - starts[k]!;
    const end = Math.min(b - starts[k]!, t.text.length);
    const value = t.text.slice(start, end);
    const rule = m.ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
    const target: Finding['target'] = { kind: t.json ? 'message' : 'server', seq: t.seq };
    if (server !== undefined) target.server = server;
    if (t.method !== undefined) target.name = t.method;
    if (t.json) {
      const span = spansAt(t.text, [start])[0];
      if (span) target.pointer = span.pointer;
    }
    target.range = [start, end];
    const masked = maskSecret(value);
    // secretlint's own message quotes the secret; ours names the rule and shows it masked.
    const f: Finding = {
      rule: 'secret.secretlint',
      severity: 'high',
      title: 'Secret (secretlint rule)',
      message: `secretlint rule "${rule}" matched ${t.json ? (t.dir === 'c2s' ? 'a value sent to the server' : 'a value returned by the server') : 'server stderr'}: ${masked}.`,
      target,
      evidence: masked,
      dataClass: `secret:${rule}`,
    };
    if (t.dir) f.dir = t.dir;
    out.push(f);
  }
  return out;
}

/** Drop secretlint hits that overlap a finding of the built-in secret rules on the same record. */
export function mergeSecretFindings(own: Finding[], extra: Finding[]): Finding[] {
  const overlaps = (x: Finding, y: Finding) =>
    x.target.seq === y.target.seq &&
    x.target.range &&
    y.target.range &&
    x.target.range[0] < y.target.range[1] &&
    y.target.range[0] < x.target.range[1];
  return extra.filter((e) => !own.some((o) => o.rule.startsWith('secret.') && overlaps(o, e)));
}
