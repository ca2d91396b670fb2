// The detection loop itself, shared by the worker and the in-process service (tests, or a
// browser without module workers). Findings are emitted in batches, with `idle` on the last one.

import { readCapture } from '../../../shared/capture/reader.js';
import type { EventRecord, HeaderRecord } from '../../../shared/capture/types.js';
import { TimelineDetector } from '../../../shared/detect/timeline.js';
import type { Finding } from '../../../shared/detect/types.js';
import { sha256Hex } from '../../../shared/capture/hash.js';
import { verifyChain } from '../../../shared/capture/verify.js';
import type { FindingsListener, IntegrityListener, ToWorker } from './protocol.js';

const BATCH_RECORDS = 5000;

function safe(fn: () => Finding[]): Finding[] {
  try {
    return fn();
  } catch (e) {
    // A crashing detector must not stop detection of the rest (mitmproxy's safecall).
    console.error('mcpscope: detection failed on a record', e);
    return [];
  }
}

export class DetectionEngine {
  private sessions = new Map<string, TimelineDetector>();

  constructor(
    private readonly emit: FindingsListener,
    private readonly integrity: IntegrityListener = () => undefined,
  ) {}

  handle(m: ToWorker): void {
    switch (m.t) {
      case 'text': {
        this.integrity(m.session, verifyChain(m.text, sha256Hex));
        const read = readCapture(m.text);
        this.sessions.set(m.session, new TimelineDetector(read.header));
        this.run(m.session, read.records);
        break;
      }
      case 'verify':
        this.integrity(m.session, verifyChain(m.text, sha256Hex));
        break;
      case 'header':
        this.sessions.set(m.session, new TimelineDetector(m.header));
        break;
      case 'records':
        this.run(m.session, m.records);
        break;
      case 'drop':
        this.sessions.delete(m.session);
        break;
    }
  }

  private run(session: string, records: readonly EventRecord[]): void {
    let det = this.sessions.get(session);
    if (!det) {
      det = new TimelineDetector(undefined as HeaderRecord | undefined);
      this.sessions.set(session, det);
    }
    let batch: Finding[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      batch.push(...safe(() => det.add(r)));
      if (r.type === 'end') batch.push(...safe(() => det.finish()));
      if ((i + 1) % BATCH_RECORDS === 0 && batch.length > 0) {
        this.emit(session, batch, false);
        batch = [];
      }
    }
    this.emit(session, batch, true);
  }
}
