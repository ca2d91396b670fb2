// Bounded memory for streamed exports: a MessageIndex keeps every message it has seen, with its
// parsed JSON. Once a message has been handed to the session model and the detectors, only its
// envelope is needed later (pairing, counts, an error row), so its params/result are dropped. A
// request keeps its body until it is answered (a response's detectors look at their request).

import type { Message, MessageIndex } from '../protocol/messages.js';

/** Drop one message's body (params/result/value), keeping its envelope. */
export function slim(m: Message): void {
  const p = m.parsed;
  if (p.params === undefined && p.result === undefined && p.value === undefined) return;
  const out: Message['parsed'] = { kind: p.kind };
  if (p.id !== undefined) out.id = p.id;
  if (p.method !== undefined) out.method = p.method;
  if (p.error !== undefined) out.error = { code: p.error.code, message: p.error.message };
  if (p.reason !== undefined) out.reason = p.reason;
  m.parsed = out;
}

/** Drop the bodies of the messages from `fromMid` on (and of the requests they answer). */
export function slimMessages(index: MessageIndex, fromMid: number): void {
  const all = index.messages;
  for (let i = fromMid; i < all.length; i++) {
    const m = all[i]!;
    if (m.kind === 'request') continue;
    slim(m);
    if (m.pair !== undefined) slim(all[m.pair]!);
  }
}

/**
 * A copy of a short piece of a large string that does not keep the large string alive (V8 makes
 * `slice` a view into its parent; concatenating and slicing again flattens into a new string).
 * Anything a streamed export keeps from a record (previews, located values) goes through this.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : `${s} `.slice(0, -1);
}
