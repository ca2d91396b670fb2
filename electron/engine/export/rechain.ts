// The redacted jsonl copy, written record by record: re-chained from a fresh header so it
// verifies on its own, and signed with this install's key where the original was signed (header,
// every `sig` checkpoint, end record), so seq numbers stay those of the original. A record the
// redactor left as it was keeps its original text (the body the writer hashed), so only its hash
// is recomputed.

import {
  CAPTURE_VERSION,
  chainBody,
  signBody,
  splitHash,
  type CaptureSigner,
  type EventRecord,
  type HeaderRecord,
} from '../../../shared/capture/index.js';
import { installSigner } from '../capture/key.js';
import { nodeSha256 } from '../capture/writer.js';
import type { OutputSink } from './sink.js';

const unsigned = <T extends object>(r: T): T => {
  const { key: _k, sig: _s, ...rest } = r as T & { key?: string; sig?: string };
  return rest as T;
};

export class Rechainer {
  private prev = '';
  private readonly signer: CaptureSigner | undefined;
  private readonly sameVersion: boolean;

  constructor(
    private readonly sink: OutputSink,
    fileVersion: number,
  ) {
    this.sameVersion = fileVersion === CAPTURE_VERSION;
    let signer: CaptureSigner | undefined;
    try {
      signer = installSigner();
    } catch {
      signer = undefined; // No usable key: the copy is chained but unsigned, as the recorder would write it.
    }
    this.signer = signer;
  }

  private emit(body: string, sign: boolean): void {
    const b = sign && this.signer ? signBody(body, this.prev, this.signer) : body;
    const { line, hash } = chainBody(b, this.prev, nodeSha256);
    this.sink.write(`${line}\n`);
    this.prev = hash;
  }

  header(h: HeaderRecord): void {
    this.emit(JSON.stringify(unsigned(h)), true);
  }

  /** `original`: the record as read; `r`: as redacted; `line`: its line in the capture. */
  record(original: EventRecord, r: EventRecord, line: string): void {
    if (r.type === 'sig')
      return this.emit(JSON.stringify({ seq: r.seq, ts: r.ts, type: 'sig' }), true);
    if (r.type === 'end') return this.emit(JSON.stringify(unsigned(r)), true);
    let body: string | undefined;
    if (r === original && this.sameVersion) {
      const m = /^\{"seq":(\d+),/.exec(line);
      if (m && Number(m[1]) === r.seq) body = splitHash(line)?.body;
    }
    this.emit(body ?? JSON.stringify(r), false);
  }
}
