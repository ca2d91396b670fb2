// Hash-chain and signature verification: finds the first record that was edited, inserted,
// removed or moved, checks every signature on the way, and says whether the capture is complete.
// Works line by line (ChainVerifier) so a capture of any size verifies in bounded memory.

import { splitHash } from './codec.js';
import type { HashFn } from './hash.js';
import { checkBodySignature, keyId } from './sign.js';

export interface ChainReport {
  /** Every hash and every signature checked out (says nothing yet about who signed). */
  intact: boolean;
  /** Records whose hash checked out (header included). */
  checked: number;
  firstBad?: { line: number; seq?: number; reason: string };
  /** Not alterations, but worth saying: cut-off tail, missing end record. */
  warnings: string[];
  /** Hash of the last complete record: pin it (`verify --expect`). */
  finalHash?: string;
  /** Public keys (hex) that signed, in order of first appearance. */
  signers: string[];
  /** seq of the last signed record. */
  lastSignedSeq?: number;
  /** The header carries a valid signature. */
  headerSigned: boolean;
  /** The last complete record is an `end` record… */
  ended: boolean;
  /** …and it is signed. */
  endSigned: boolean;
  /** The last line was cut off mid-write. */
  partialTail: boolean;
}

function seqOf(body: string): number | undefined {
  const m = /^\{"seq":(\d+)[,}]/.exec(body);
  return m ? Number(m[1]) : undefined;
}

/** Feed lines (without their newline) with push(); finish() returns the report. */
export class ChainVerifier {
  private readonly report: ChainReport = {
    intact: true,
    checked: 0,
    warnings: [],
    signers: [],
    headerSigned: false,
    ended: false,
    endSigned: false,
    partialTail: false,
  };
  private prev = '';
  private pending: string | undefined;
  private line = 0;
  private stopped = false;

  constructor(private readonly hash: HashFn) {}

  push(rawLine: string): void {
    if (this.pending !== undefined) this.check(this.pending, false, true);
    this.pending = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  }

  /** `endsWithNewline`: whether the file's last byte was a newline (else the last line may be cut). */
  finish(endsWithNewline: boolean): ChainReport {
    if (this.pending !== undefined) this.check(this.pending, true, endsWithNewline);
    this.pending = undefined;
    const r = this.report;
    if (this.line === 0 && r.intact) {
      r.intact = false;
      r.firstBad = { line: 1, reason: 'the file is empty' };
    }
    if (r.intact && !r.ended && !r.partialTail)
      r.warnings.push(
        'no end record: the recorder did not shut down cleanly, or records were cut from the end',
      );
    return r;
  }

  private check(line: string, isLast: boolean, endsWithNewline: boolean): void {
    if (this.stopped) return;
    const i = this.line++;
    const r = this.report;
    const split = splitHash(line);
    if (!split) {
      if (isLast && !endsWithNewline && i > 0) {
        r.partialTail = true;
        r.warnings.push(
          `line ${i + 1} is incomplete: the recording was cut off mid-write (not counted as an alteration)`,
        );
        return;
      }
      return this.fail(i, seqOf(line), 'the line has no valid hash member');
    }
    const seq = seqOf(split.body);
    if (seq !== i) {
      return this.fail(
        i,
        seq,
        seq === undefined
          ? 'the record has no leading "seq"'
          : `expected seq ${i} here, found ${seq} (a record was removed, inserted or moved)`,
      );
    }
    if (this.hash(`${this.prev}\n${split.body}`) !== split.hash) {
      return this.fail(i, seq, 'hash mismatch: this record, or the chain before it, was changed');
    }
    const sig = checkBodySignature(split.body, this.prev);
    if (sig && !sig.valid) {
      return this.fail(
        i,
        seq,
        `signature by key ${keyId(sig.key)} does not match: the records up to here were changed and the chain recomputed`,
      );
    }
    if (sig) {
      if (!r.signers.includes(sig.key)) r.signers.push(sig.key);
      r.lastSignedSeq = seq;
      if (i === 0) r.headerSigned = true;
    }
    r.ended = /^\{"seq":\d+,"ts":[0-9.e+-]+,"type":"end"/.test(split.body);
    r.endSigned = r.ended && sig !== undefined;
    this.prev = split.hash;
    r.finalHash = split.hash;
    r.checked++;
  }

  private fail(i: number, seq: number | undefined, reason: string): void {
    this.stopped = true;
    this.report.intact = false;
    this.report.firstBad =
      seq === undefined ? { line: i + 1, reason } : { line: i + 1, seq, reason };
  }
}

export function verifyChain(text: string, hash: HashFn): ChainReport {
  const v = new ChainVerifier(hash);
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (start < text.length) v.push(text.slice(start));
      break;
    }
    v.push(text.slice(start, nl));
    start = nl + 1;
  }
  return v.finish(text.endsWith('\n'));
}

export type Verdict =
  | { status: 'intact'; signer: string }
  | { status: 'altered'; seq?: number; line: number; reason: string }
  | { status: 'incomplete'; signer?: string; reason: string };

/**
 * What an auditor may conclude, given the keys they trust. Altered: an edit, a bad or untrusted
 * signature, no signature at all (anyone can recompute a bare SHA-256 chain), or an unsigned end
 * record (cut and re-closed). Incomplete: intact and signed as far as it goes, but cut off.
 */
export function judge(r: ChainReport, trusted: readonly string[]): Verdict {
  if (!r.intact)
    return {
      status: 'altered',
      line: r.firstBad!.line,
      ...(r.firstBad!.seq !== undefined ? { seq: r.firstBad!.seq } : {}),
      reason: r.firstBad!.reason,
    };
  const foreign = r.signers.find((k) => !trusted.includes(k));
  if (foreign !== undefined) {
    const which =
      trusted.length === 0
        ? 'no trusted key was given (pass --pubkey FILE, from `mcpscope key export` on the recording machine)'
        : `the trusted key is ${trusted.map(keyId).join(', ')}`;
    return {
      status: 'altered',
      line: 1,
      seq: 0,
      reason: `signed by key ${keyId(foreign)}, which is not trusted: ${which}`,
    };
  }
  if (!r.headerSigned) {
    return {
      status: 'altered',
      line: 1,
      seq: 0,
      reason:
        'the header is not signed: written by an mcpscope without signing, or rewritten with a recomputed chain; its origin cannot be checked',
    };
  }
  const signer = r.signers[0]!;
  if (r.ended && !r.endSigned) {
    return {
      status: 'altered',
      line: r.checked,
      seq: r.checked - 1,
      reason: 'the end record is not signed: records were cut and the capture re-closed',
    };
  }
  if (r.partialTail || !r.ended) {
    const cut = r.partialTail
      ? 'the last line was cut off mid-write'
      : 'there is no end record (recorder killed, or records cut from the end)';
    const after = r.checked - 1 - (r.lastSignedSeq ?? 0);
    return {
      status: 'incomplete',
      signer,
      reason: `${cut}; signed up to seq ${r.lastSignedSeq ?? 0}${after > 0 ? `, ${after} later record${after === 1 ? ' is' : 's are'} not covered by a signature` : ''}`,
    };
  }
  return { status: 'intact', signer };
}
