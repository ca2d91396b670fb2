// Where one exchange (a request and its response) through the HTTP recorder stands: ONE phase
// per exchange, moved only by the four events below, instead of flags that could disagree. The
// request and the response overlap on the wire (a target may answer before the body is in, the
// proxy may answer for it), so the phases name each combination that can occur.
//
//   reading-request ──request-end──► forwarding ──response-head──► streaming-response
//        │                              │                                 │
//        ├──response-head──► streaming-early ──request-end──────────────►┘
//        │                              │                                 │
//        └─response-end─► draining-request ◄─response-end─ streaming-early   response-end
//                                       │                                 │
//                              request-end ──► done ◄─────────────────────┘
//
// `forwarding` ─response-end─► `done` is the proxy answering a complete request itself (the target
// failed or timed out). Any phase but the two final ones may go to `failed` (the exchange was cut:
// the client left, the target broke off, malformed HTTP, shutdown mid-stream).

export type ExchangePhase =
  /** The head went to the target; the body is still arriving; no response yet. */
  | 'reading-request'
  /** The request is complete; waiting for the response head. */
  | 'forwarding'
  /** The response began before the request was complete (an early 413, say). */
  | 'streaming-early'
  /** The request is complete and the response body is flowing. */
  | 'streaming-response'
  /** Answered (by the target or the proxy); the rest of the request is still read. */
  | 'draining-request'
  /** Both halves complete. */
  | 'done'
  /** Cut before both halves completed. */
  | 'failed';

export type ExchangeEvent = 'request-end' | 'response-head' | 'response-end' | 'fail';

const TABLE: Record<ExchangePhase, Partial<Record<ExchangeEvent, ExchangePhase>>> = {
  'reading-request': {
    'request-end': 'forwarding',
    'response-head': 'streaming-early',
    'response-end': 'draining-request',
    fail: 'failed',
  },
  forwarding: { 'response-head': 'streaming-response', 'response-end': 'done', fail: 'failed' },
  'streaming-early': {
    'request-end': 'streaming-response',
    'response-end': 'draining-request',
    fail: 'failed',
  },
  'streaming-response': { 'response-end': 'done', fail: 'failed' },
  'draining-request': { 'request-end': 'done', fail: 'failed' },
  done: {},
  failed: {},
};

/** An event the phase does not allow: a bug of the recorder's (the connection is cut). */
export class PhaseError extends Error {}

/** The phase after `event`; throws PhaseError for an event the phase does not allow. */
export function nextPhase(phase: ExchangePhase, event: ExchangeEvent): ExchangePhase {
  const next = TABLE[phase][event];
  if (next === undefined) throw new PhaseError(`exchange event ${event} in phase ${phase}`);
  return next;
}

/** Every request byte has been read (and forwarded where it had somewhere to go). */
export const requestComplete = (p: ExchangePhase): boolean =>
  p === 'forwarding' || p === 'streaming-response' || p === 'done';

/** The target's response head has not come (and nobody answered in its place). */
export const awaitingResponse = (p: ExchangePhase): boolean =>
  p === 'reading-request' || p === 'forwarding';

/** The target's response is being passed on. */
export const streaming = (p: ExchangePhase): boolean =>
  p === 'streaming-early' || p === 'streaming-response';

/** No more response bytes are owed for this exchange (answered, or cut). */
export const responseOver = (p: ExchangePhase): boolean =>
  p === 'draining-request' || p === 'done' || p === 'failed';

/** Finished one way or the other: nothing more happens on this exchange. */
export const final = (p: ExchangePhase): boolean => p === 'done' || p === 'failed';
