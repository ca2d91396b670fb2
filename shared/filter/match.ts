// Applying a parsed filter to one timeline message. The subject is an interface, not the
// renderer's row type, so the CLI (or a report) can filter with the same language.

import type { Message } from '../protocol/messages.js';
import {
  SEVERITIES,
  type Clause,
  type FilterQuery,
  type NumberTest,
  type Severity,
} from './parse.js';

export interface FilterSubject {
  msg: Message;
  /** The paired message (its kind decides status:ok / status:error on requests). */
  pair?: Message;
  /** Severities of the findings on this message (empty or undefined when none). */
  findings?: readonly Severity[];
  /**
   * Lower-cased searchable text (raw frame text plus method). A function so the caller can
   * cache it and so it is only computed when a free-text clause needs it.
   */
  haystack: () => string;
  /**
   * Optional faster free-text test: is the (lower-cased) needle in the subject's text, ignoring
   * case? Lets a caller search its raw text without building lower-cased copies.
   */
  search?: (needle: string) => boolean;
}

export function numberMatches(t: NumberTest, v: number): boolean {
  switch (t.op) {
    case '>':
      return v > t.value;
    case '>=':
      return v >= t.value;
    case '<':
      return v < t.value;
    case '<=':
      return v <= t.value;
    case '=':
      return v === t.value;
    case 'range':
      return v >= t.value && v <= (t.max ?? t.value);
  }
}

function isErrorish(m: Message | undefined): boolean {
  return m !== undefined && (m.kind === 'error' || m.kind === 'invalid');
}

function statusOf(s: FilterSubject): 'ok' | 'error' | 'pending' | 'unpaired' | undefined {
  const m = s.msg;
  if (m.kind === 'invalid' || m.kind === 'error') {
    return 'error';
  }
  if (m.kind === 'response') return m.flags.includes('unpaired') ? 'unpaired' : 'ok';
  if (m.kind === 'request') {
    if (m.pair === undefined) return 'pending';
    return isErrorish(s.pair) ? 'error' : 'ok';
  }
  return undefined;
}

function idText(id: Message['id']): string | undefined {
  if (id === undefined) return undefined;
  return id === null ? 'null' : String(id);
}

function clauseMatches(c: Clause, s: FilterSubject): boolean {
  const m = s.msg;
  switch (c.key) {
    case 'method':
      return m.method !== undefined && c.patterns.some((p) => p.test(m.method!));
    case 'dir':
      return c.values.includes(m.dir);
    case 'kind':
      return c.values.includes(m.kind);
    case 'status': {
      const st = statusOf(s);
      if (st === undefined) return false;
      // An unpaired error is both an error and unpaired.
      if (st === 'error' && m.flags.includes('unpaired') && c.values.includes('unpaired'))
        return true;
      return c.values.includes(st);
    }
    case 'latency':
      return m.latencyMs !== undefined && c.tests.some((t) => numberMatches(t, m.latencyMs!));
    case 'size':
      return c.tests.some((t) => numberMatches(t, m.size));
    case 'seq':
      return c.tests.some((t) => numberMatches(t, m.seq));
    case 'id': {
      const id = idText(m.id);
      return id !== undefined && c.values.includes(id);
    }
    case 'has':
      return c.values.some((v) => {
        switch (v) {
          case 'finding':
            return (s.findings?.length ?? 0) > 0;
          case 'error':
            return isErrorish(m) || (m.kind === 'request' && isErrorish(s.pair));
          case 'pair':
            return m.pair !== undefined;
          case 'progress':
            return m.progressOf !== undefined;
          case 'cancel':
            return m.cancels !== undefined || m.flags.includes('cancelled');
          case 'flag':
            return m.flags.length > 0;
        }
      });
    case 'severity':
      return (s.findings ?? []).some((sev) => SEVERITIES.indexOf(sev) >= c.min);
    case 'text':
      return s.search ? s.search(c.needle) : s.haystack().includes(c.needle);
  }
}

export function matches(q: FilterQuery, s: FilterSubject): boolean {
  for (const c of q.clauses) {
    if (clauseMatches(c, s) === c.negate) return false;
  }
  return true;
}

/**
 * True when the query reads what an answer changes on its request (status, latency, pairing,
 * cancellation), so a live view re-tests a request when its answer arrives.
 */
export function dependsOnPairing(q: FilterQuery): boolean {
  return q.clauses.some(
    (c) =>
      c.key === 'status' ||
      c.key === 'latency' ||
      (c.key === 'has' &&
        c.values.some((v) => v === 'pair' || v === 'error' || v === 'cancel' || v === 'flag')),
  );
}

/** True when the query reads findings, so callers know a findings change must re-filter. */
export function usesFindings(q: FilterQuery): boolean {
  return q.clauses.some(
    (c) => c.key === 'severity' || (c.key === 'has' && c.values.includes('finding')),
  );
}
