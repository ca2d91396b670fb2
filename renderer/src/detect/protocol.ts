// Detection runs off the main thread: shared/detect's TimelineDetector (the code `mcpscope scan`
// runs) lives in a Web Worker, with the hash-chain check of imported files, so scanning a 100,000-frame capture (seconds of CPU and garbage)
// never stalls scrolling. This is the message protocol and the service interface the store uses.

import type { EventRecord, HeaderRecord } from '../../../shared/capture/types.js';
import type { ChainReport } from '../../../shared/capture/verify.js';
import type { Finding } from '../../../shared/detect/types.js';

export type ToWorker =
  /** A whole capture file: the worker reads it itself (no structured clone of 100k records). */
  | { t: 'text'; session: string; text: string }
  /** Only the hash-chain check (findings come from the engine). */
  | { t: 'verify'; session: string; text: string }
  | { t: 'header'; session: string; header: HeaderRecord | undefined }
  | { t: 'records'; session: string; records: EventRecord[] }
  | { t: 'drop'; session: string };

export type FromWorker =
  | { t: 'findings'; session: string; findings: Finding[]; idle: boolean }
  | { t: 'integrity'; session: string; report: ChainReport }
  | { t: 'error'; session: string; message: string };

export type FindingsListener = (session: string, findings: Finding[], idle: boolean) => void;
export type IntegrityListener = (session: string, report: ChainReport) => void;

export interface DetectionService {
  startText(session: string, text: string): void;
  startHeader(session: string, header: HeaderRecord | undefined): void;
  /** The hash-chain check alone (onIntegrity), for captures whose findings the engine computes. */
  verifyText(session: string, text: string): void;
  records(session: string, records: EventRecord[]): void;
  drop(session: string): void;
  onFindings(listener: FindingsListener): void;
  /** The hash-chain check of a capture given as text (what `mcpscope verify` does). */
  onIntegrity(listener: IntegrityListener): void;
}
