// What the load engine needs from a transport: send a batch of request lines, report each
// answer's outcome, say when the server is gone. Drivers speak raw JSON-RPC text (no SDK objects
// on the hot path) so the generator is never the bottleneck it measures.

import type { SetupClient } from './setup.js';

/** An answer's class: undefined for success, else an ErrorCounts key (see shared/load/types.ts). */
export type OutcomeClass = string | undefined;

export interface OutcomeSink {
  /** The answer to load request `id` arrived (or failed). `raw` is the answer's text, when there was one. */
  outcome(id: number, cls: OutcomeClass, raw: string | undefined, retryAfter?: string): void;
  /** The server is gone for good (process exited, connection refused). */
  dead(reason: string): void;
  /** Non-2xx HTTP answer metadata, for the capture. */
  http?(status: number, headers: Record<string, string>): void;
  /** A line the server wrote to stderr. */
  stderr?(line: string): void;
}

export interface SetupFrame {
  dir: 'c2s' | 's2c';
  text: string;
}

/** call (one request during setup: tools/list…) and notify come from SetupClient. */
export interface LoadDriver extends SetupClient {
  readonly transport: 'stdio' | 'streamable-http';
  /** The stdio server's process id. */
  readonly pid: number | undefined;
  /** Start the server / connection and run the MCP handshake; setup frames go to `frames`. */
  open(frames: (f: SetupFrame) => void, timeoutMs: number): Promise<void>;
  /** Hot path: send these request lines (one JSON-RPC request each, no newline). */
  send(lines: string[], ids: number[]): void;
  /** Give up on a request (timed out): HTTP aborts it; stdio has nothing to abort. */
  abandon(id: number): void;
  sink: OutcomeSink;
  /** Stop the server / close the connections. Safe to call twice. */
  close(): Promise<void>;
}

/** JSON-RPC text of load request `id`: prefix + id + suffix, precomputed once. */
export function requestLine(
  method: string,
  params: Record<string, unknown> | undefined,
): (id: number | string) => string {
  const prefix = '{"jsonrpc":"2.0","id":';
  const suffix = `,"method":${JSON.stringify(method)}${params !== undefined ? `,"params":${JSON.stringify(params)}` : ''}}`;
  return (id) => prefix + (typeof id === 'number' ? id : JSON.stringify(id)) + suffix;
}

/** Classify a parsed JSON-RPC answer: undefined = success. */
export function classify(msg: { error?: unknown; result?: unknown }): OutcomeClass {
  if (msg.error !== undefined) {
    const code = (msg.error as { code?: unknown } | null)?.code;
    return `jsonrpc:${typeof code === 'number' ? code : 'invalid'}`;
  }
  // A tool that failed reports isError in its result: it answered, but the call did not work.
  if (
    msg.result !== null &&
    typeof msg.result === 'object' &&
    (msg.result as { isError?: unknown }).isError === true
  )
    return 'tool-error';
  return undefined;
}

export class SetupError extends Error {}
