// SARIF for `export --format sarif`: the same log `scan --sarif` prints, plus what an exported
// report can add because it has the capture at hand: each result's region carries the line of
// its record in the capture and a snippet of the record's text (from the redacted records when
// the export is redacted, so the snippet never holds a masked value).

import type { Log } from 'sarif';
import { toSarif } from '../../../shared/detect/sarif.js';
import type { Finding } from '../../../shared/detect/types.js';
import { TOOL_VERSION } from '../version.js';

const SNIPPET = 400;

/**
 * `textOf`: the (redacted) text of each record a finding names; `lineOfSeq`: that record's line in
 * the capture. The streamed export collects both for the findings' records only.
 */
export function sarifExport(
  file: string,
  findings: Finding[],
  textOf: ReadonlyMap<number, string>,
  lineOfSeq: ReadonlyMap<number, number>,
): Log {
  const located = findings.map((f) => ({ ...f, target: { ...f.target, capture: file } }));
  const log = toSarif(located, {
    toolVersion: TOOL_VERSION,
    lineOf: (_c, seq) => lineOfSeq.get(seq),
  });
  const results = log.runs[0]?.results ?? [];
  results.forEach((res, i) => {
    const t = located[i]?.target;
    const text = t?.seq !== undefined ? textOf.get(t.seq) : undefined;
    const region = res.locations?.[0]?.physicalLocation?.region;
    if (!region || text === undefined) return;
    // Around the finding when its range is known (ranges are dropped from redacted exports).
    const from = t?.range ? Math.max(0, t.range[0] - 80) : 0;
    const to = t?.range ? Math.min(text.length, t.range[1] + 80) : SNIPPET;
    region.snippet = {
      text: `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`,
    };
  });
  return log;
}
