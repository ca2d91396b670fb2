// Messages between the main thread and the large-session worker (large-session.worker.ts).
// The worker owns one imported capture (a File/Blob: structured-cloned without copying its
// bytes); the main thread asks it for filter results and for rows by mid.

import type { HeaderRecord } from '../../../shared/capture/types.js';
import type { SessionSummary } from '../../../shared/host-api.js';
import type { Message } from '../../../shared/protocol/messages.js';
import type { SessionCounts } from '../model/session-data.js';

export type ToLarge =
  | { t: 'open'; file: Blob }
  /**
   * The file as a stream of base64 chunks (the engine's readCaptureBytes, pumped by the main
   * thread), `size` bytes in all; the worker keeps the bytes to read a frame's line back.
   */
  | { t: 'open-stream'; stream: ReadableStream<string>; size: number }
  | { t: 'filter'; id: number; query: string }
  | { t: 'rows'; id: number; mids: number[] }
  | { t: 'detail'; id: number; mid: number };

export interface LargeProgress {
  t: 'progress';
  counts: SessionCounts;
  /** Bytes of the file indexed so far, and its size. */
  bytes: number;
  total: number;
  done: boolean;
  header?: HeaderRecord;
  /** The library row's summary so far (its id is the header's; the store may rename it). */
  summary?: SessionSummary;
  /** Lines that could not be read (set when done). */
  problems: number;
  truncatedTail: boolean;
  /** Characters of lower-cased frame text the worker keeps for text search. */
  searchChars: number;
}

export type FromLarge =
  | LargeProgress
  | { t: 'error'; message: string }
  | { t: 'filtered'; id: number; mids: Int32Array; ms: number }
  | { t: 'rows'; id: number; rows: Message[] }
  | { t: 'detail'; id: number; msg?: Message; raw?: string; pair?: Message; error?: string };
