// The capture file (`*.mcpscope.jsonl`): one JSON object per line. Line 1 is the header
// (seq 0); every later line is one event. See docs/capture-format.md.

import type { Direction } from '../protocol/messages.js';

export const CAPTURE_FORMAT = 'mcpscope-capture';
export const CAPTURE_VERSION = 1;
export const CAPTURE_EXTENSION = '.mcpscope.jsonl';

export type Transport = 'stdio' | 'streamable-http' | 'sse' | 'client';

export interface CaptureSource {
  transport: Transport;
  /** Command and arguments (stdio), secrets redacted. */
  command?: string[];
  /** Target URL (HTTP), credentials redacted. */
  url?: string;
  /** Local address the proxy listened on (HTTP). */
  listen?: string;
  cwd?: string;
  /** Free-form label (e.g. a client connection's name). */
  name?: string;
}

/**
 * Where a frame travelled. stdio: one line on stdin/stdout. HTTP: `http-post` (request body),
 * `http-response` (JSON response body), `post-sse` (SSE stream answering a POST),
 * `get-sse` (standalone GET stream), `legacy-sse` (2024-11-05 SSE stream).
 */
export type Channel =
  'stdio' | 'http-post' | 'http-response' | 'post-sse' | 'get-sse' | 'legacy-sse';

interface Base {
  seq: number;
  /** Wall-clock time in epoch milliseconds with microsecond fraction (monotonic within a file). */
  ts: number;
}

export interface HeaderRecord extends Base {
  type: 'header';
  format: typeof CAPTURE_FORMAT;
  version: number;
  tool: string;
  created: string;
  /** Random id of this capture; part of the hash chain, so records cannot be spliced between files. */
  id: string;
  source: CaptureSource;
  /** Set on a redacted copy made by `mcpscope export`: what it was made from and how. */
  redaction?: RedactionInfo;
  /** Signer's Ed25519 public key (hex) and signature, see sign.ts. */
  key?: string;
  sig?: string;
}

export interface RedactionInfo {
  /** Final hash of the original capture (its last record's hash). */
  from: string;
  /** The original capture's header id. */
  fromId: string;
  /** The rule families applied. */
  rules: string[];
  /** Distinct values replaced by placeholders. */
  values: number;
}

/** A frame's payload: `text` when the bytes are valid UTF-8, otherwise `b64`. */
export interface Payload {
  text?: string;
  b64?: string;
  /** stdio: false when the bytes were not terminated by a newline (stream ended mid-frame). */
  eol?: false;
  /** Set when only the first bytes were kept: the frame's real size in bytes. */
  truncated?: number;
}

export interface FrameRecord extends Base, Payload {
  type: 'frame';
  dir: Direction;
  channel: Channel;
  /** HTTP: which request or stream carried it. */
  stream?: string;
  /** SSE event id. */
  eventId?: string;
  /** Client mode with several connections in one file: which connection. */
  conn?: string;
}

export interface StderrRecord extends Base, Payload {
  type: 'stderr';
  conn?: string;
}

export interface SpawnRecord extends Base {
  type: 'spawn';
  command: string;
  args: string[];
  pid?: number;
  cwd?: string;
  conn?: string;
}

export interface ExitRecord extends Base {
  type: 'exit';
  code: number | null;
  signal: string | null;
  conn?: string;
}

export interface HttpRecord extends Base {
  type: 'http';
  /** c2s: a request from the client; s2c: a response from the server. */
  dir: Direction;
  stream: string;
  method?: string;
  path?: string;
  status?: number;
  /** Header names lower-cased; secrets masked. */
  headers: Record<string, string>;
  conn?: string;
}

export interface ErrorRecord extends Base {
  type: 'error';
  /** What failed: `spawn`, `capture`, `upstream`, `downstream`, `client`… */
  where: string;
  message: string;
  code?: string;
  stream?: string;
  conn?: string;
}

export interface NoteRecord extends Base {
  type: 'note';
  text: string;
  /** seq of the record the note is about. */
  about?: number;
  conn?: string;
}

export interface EndRecord extends Base {
  type: 'end';
  reason: string;
  key?: string;
  sig?: string;
}

/** A signed checkpoint of the chain (see sign.ts); carries no event. */
export interface SigRecord extends Base {
  type: 'sig';
  key: string;
  sig: string;
}

export type EventRecord =
  | FrameRecord
  | StderrRecord
  | SpawnRecord
  | ExitRecord
  | HttpRecord
  | ErrorRecord
  | NoteRecord
  | EndRecord
  | SigRecord;

export type CaptureRecord = HeaderRecord | EventRecord;

/** A record before the writer numbers, stamps and chains it. */
export type NewRecord = EventRecord extends infer R
  ? R extends EventRecord
    ? Omit<R, 'seq' | 'ts'> & { ts?: number }
    : never
  : never;
