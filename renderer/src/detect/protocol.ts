// Detection runs off the main thread: shared/detect's TimelineDetector (the code `mcpscope scan`
// runs) lives in a Web Worker, so scanning a 100,000-frame capture (seconds of CPU and garbage)
// never stalls scrolling. This is the message protocol and the service interface the store uses.

import type { EventRecord, HeaderRecord } from '../../../shared/capture/types.js';
import type { Finding } from '../../../shared/detect/types.js';

export type ToWorker =
  /** A whole capture file: the worker reads it itself (no structured clone of 100k records). */
  | { t: 'text'; session: string; text: string }
  | { t: 'header'; session: string; header: HeaderRecord | undefined }
  | { t: 'records'; session: string; records: EventRecord[] }
  | { t: 'drop'; session: string };

export type FromWorker = { t: 'findings'; session: string; findings: Finding[]; idle: boolean } | { t: 'error'; session: string; message: string };

export type FindingsListener = (session: string, findings: Finding[], idle: boolean) => void;

export interface DetectionService {
  startText(session: string, text: string): void;
  startHeader(session: string, header: HeaderRecord | undefined): void;
  records(session: string, records: EventRecord[]): void;
  drop(session: string): void;
  onFindings(listener: FindingsListener): void;
}
