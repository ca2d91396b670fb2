// Hash-chain verification: finds the first record that was edited, inserted, removed or moved.

import { splitHash } from './codec.js';
import type { HashFn } from './hash.js';
import { captureLines } from './reader.js';

export interface ChainReport {
  intact: boolean;
  /** Records whose hash checked out (header included). */
  checked: number;
  firstBad?: { line: number; seq?: number; reason: string };
  /** Not alterations, but worth saying: cut-off tail, missing end record. */
  warnings: string[];
}

function seqOf(body: string): number | undefined {
  const m = /^\{"seq":(\d+)[,}]/.exec(body);
  return m ? Number(m[1]) : undefined;
}

export function verifyChain(text: string, hash: HashFn): ChainReport {
  const lines = captureLines(text);
  const report: ChainReport = { intact: true, checked: 0, warnings: [] };
  if (lines.length === 0) {
    report.intact = false;
    report.firstBad = { line: 1, reason: 'the file is empty' };
    return report;
  }
  const endsWithNewline = text.endsWith('\n');
  let prev = '';
  let lastBody = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const split = splitHash(line);
    if (!split) {
      if (i === lines.length - 1 && !endsWithNewline && i > 0) {
        report.warnings.push(`line ${i + 1} is incomplete: the recording was cut off mid-write (not counted as an alteration)`);
        break;
      }
      return fail(report, i, seqOf(line), 'the line has no valid hash member');
    }
    const seq = seqOf(split.body);
    if (seq !== i) {
      return fail(report, i, seq, seq === undefined ? 'the record has no leading "seq"' : `expected seq ${i} here, found ${seq} (a record was removed, inserted or moved)`);
    }
    if (hash(`${prev}\n${split.body}`) !== split.hash) {
      return fail(report, i, seq, 'hash mismatch: this record, or the chain before it, was changed');
    }
    prev = split.hash;
    lastBody = split.body;
    report.checked++;
  }
  if (!/"type":"end"/.test(lastBody)) {
    report.warnings.push('no end record: the recorder did not shut down cleanly, or records were cut from the end');
  }
  return report;
}

function fail(report: ChainReport, i: number, seq: number | undefined, reason: string): ChainReport {
  report.intact = false;
  report.firstBad = seq === undefined ? { line: i + 1, reason } : { line: i + 1, seq, reason };
  return report;
}
