// Where a finding sits in the text the editor shows. Findings carry raw-text offsets (what the
// frame was on the wire); the pretty view re-indents, so offsets are mapped through the JSON
// pointer of the string they fall in.

import { rawRangeOf, rawToDecoded, spansAt } from '../../../shared/detect/jsonloc.js';
import type { Finding } from '../../../shared/detect/types.js';

export interface TextRange {
  start: number;
  end: number;
  finding: Finding;
}

export function findingRanges(
  raw: string,
  shown: string,
  pretty: boolean,
  findings: readonly Finding[],
): TextRange[] {
  const out: TextRange[] = [];
  for (const f of findings) {
    const r = f.target.range;
    if (!r) continue;
    if (!pretty) {
      if (r[0] >= 0 && r[1] <= raw.length && r[0] <= r[1])
        out.push({ start: r[0], end: r[1], finding: f });
      continue;
    }
    const [span] = spansAt(raw, [r[0]]);
    if (!span) continue;
    const d0 = rawToDecoded(raw, span.start, r[0]);
    const d1 = rawToDecoded(raw, span.start, Math.min(r[1], span.end));
    const mapped = rawRangeOf(shown, span.pointer, [d0, d1], span.key);
    if (mapped) out.push({ start: mapped[0], end: mapped[1], finding: f });
  }
  return out;
}
