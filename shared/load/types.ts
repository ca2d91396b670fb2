// The load probe's result model: what `mcpscope load --json` prints, what the capture's summary
// note carries and what the app's latency chart reads. Plain JSON-serialisable data.

/** Latency percentiles in milliseconds (from an HDR histogram, 3 significant digits). */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  /** Responses the percentiles were computed from. */
  count: number;
}

/**
 * Errors by class. Keys: `jsonrpc:<code>` (error responses), `http:<status>` (non-2xx answers
 * other than 429), `http:429` (rate limited), `timeout` (no answer within the per-request
 * timeout), `disconnect` (connection reset/refused, the stdio server's pipe closed).
 */
export type ErrorCounts = Record<string, number>;

/** One interval of the run (the chart's x axis). */
export interface LoadInterval {
  /** Start of the interval, ms after the run started. */
  t: number;
  /** Length of the interval in ms. */
  ms: number;
  sent: number;
  ok: number;
  errors: number;
  /** Latency of the interval's successful responses (ms); absent when there were none. */
  p50?: number;
  p99?: number;
  max?: number;
  /** Target rate of the interval (open model; changes under --ramp). */
  rate?: number;
}

/** One sample of the stdio server's process tree. */
export interface ProcessSample {
  /** ms after the run started. */
  t: number;
  /** Resident set size of the process and its children, bytes. */
  rss: number;
  /** CPU use since the previous sample, percent of one core. */
  cpu: number;
}

export interface RateLimitInfo {
  /** 429 answers. */
  count: number;
  /** …of which carried a Retry-After header. */
  withRetryAfter: number;
  /** Distinct Retry-After values seen (as sent, the first 5). */
  retryAfter: string[];
  /** Request number (1-based, in send order) of the first 429. */
  firstAt?: number;
}

export interface RampStep {
  rate: number;
  sent: number;
  achieved: number;
  p99?: number;
  errorRate: number;
  /** This step crossed a threshold. */
  over: boolean;
}

export interface LoadSummary {
  target: { transport: 'stdio' | 'streamable-http'; label: string; remote: boolean };
  operation: { method: string; tool?: string };
  mode: { kind: 'rate'; rate: number } | { kind: 'concurrency'; concurrency: number };
  bounds: { durationMs: number; requests: number; timeoutMs: number };
  /** Why the run stopped: `duration`, `requests`, `server-exited`, `interrupted`, `ramp-knee`, `ramp-done`. */
  stopped: string;
  startedAt: string;
  durationMs: number;
  sent: number;
  ok: number;
  errorCount: number;
  /** Successful responses per second over the sending phase. */
  throughput: number;
  /** Requests sent per second (the achieved offered load). */
  sendRate: number;
  /** Latency from the intended send time (open model: coordinated omission corrected). */
  latency: Percentiles;
  errors: ErrorCounts;
  rateLimit: RateLimitInfo;
  intervals: LoadInterval[];
  process?: {
    pid: number;
    samples: ProcessSample[];
    exit?: { code: number | null; signal: string | null };
  };
  /** The server stopped answering for good during the run (stdio exit, or HTTP connections refused/reset until the end). */
  died?: { afterMs: number; reason: string };
  ramp?: { steps: RampStep[]; knee?: number; thresholds: { p99Ms: number; errorRate: number } };
  /** Exchanges written to the capture (a sample when the rate is high); all counts above are exact. */
  recorded: number;
}

/** The note text that carries a summary in a capture: this prefix, then the JSON. */
export const LOAD_SUMMARY_PREFIX = 'mcpscope-load-summary/1 ';

export function loadSummaryNote(s: LoadSummary): string {
  return LOAD_SUMMARY_PREFIX + JSON.stringify(s);
}

/** The summary in a note's text, or undefined when the note is something else or malformed. */
export function parseLoadSummaryNote(text: string): LoadSummary | undefined {
  if (!text.startsWith(LOAD_SUMMARY_PREFIX)) return undefined;
  try {
    const v = JSON.parse(text.slice(LOAD_SUMMARY_PREFIX.length)) as unknown;
    if (typeof v !== 'object' || v === null) return undefined;
    const s = v as Partial<LoadSummary>;
    if (
      !Array.isArray(s.intervals) ||
      typeof s.sent !== 'number' ||
      typeof s.latency !== 'object' ||
      s.latency === null
    )
      return undefined;
    return v as LoadSummary;
  } catch {
    return undefined;
  }
}
