import { describe, expect, it } from 'vitest';
import {
  awaitingResponse,
  final,
  nextPhase,
  PhaseError,
  requestComplete,
  responseOver,
  streaming,
  type ExchangeEvent,
  type ExchangePhase,
} from '../../electron/engine/record/http/phase.js';

const PHASES: ExchangePhase[] = [
  'reading-request',
  'forwarding',
  'streaming-early',
  'streaming-response',
  'draining-request',
  'done',
  'failed',
];
const EVENTS: ExchangeEvent[] = ['request-end', 'response-head', 'response-end', 'fail'];

const run = (events: ExchangeEvent[]): ExchangePhase =>
  events.reduce<ExchangePhase>((p, e) => nextPhase(p, e), 'reading-request');

describe('exchange phases (record/http/phase.ts)', () => {
  it('an ordinary exchange: request read, response head, response end', () => {
    expect(nextPhase('reading-request', 'request-end')).toBe('forwarding');
    expect(nextPhase('forwarding', 'response-head')).toBe('streaming-response');
    expect(nextPhase('streaming-response', 'response-end')).toBe('done');
    expect(run(['request-end', 'response-head', 'response-end'])).toBe('done');
  });

  it('a response that starts before the request body is in (an early 413)', () => {
    expect(run(['response-head'])).toBe('streaming-early');
    expect(run(['response-head', 'request-end'])).toBe('streaming-response');
    expect(run(['response-head', 'response-end'])).toBe('draining-request');
    expect(run(['response-head', 'response-end', 'request-end'])).toBe('done');
    expect(run(['response-head', 'request-end', 'response-end'])).toBe('done');
  });

  it('the proxy answering in the target’s place, before or after the request is complete', () => {
    expect(run(['response-end'])).toBe('draining-request');
    expect(run(['response-end', 'request-end'])).toBe('done');
    expect(run(['request-end', 'response-end'])).toBe('done');
  });

  it('every phase but the final ones can fail; the final ones take no event at all', () => {
    for (const p of PHASES) {
      if (final(p)) {
        for (const e of EVENTS) expect(() => nextPhase(p, e)).toThrow(PhaseError);
      } else expect(nextPhase(p, 'fail')).toBe('failed');
    }
  });

  it('refuses events out of order, naming the event and the phase', () => {
    expect(() => run(['request-end', 'request-end'])).toThrow(/request-end in phase forwarding/);
    expect(() => run(['response-head', 'response-head'])).toThrow(
      /response-head in phase streaming-early/,
    );
    expect(() => run(['request-end', 'response-head', 'response-head'])).toThrow(PhaseError);
    expect(() => run(['response-end', 'response-head'])).toThrow(
      /response-head in phase draining-request/,
    );
    expect(() => run(['response-end', 'response-end'])).toThrow(PhaseError);
  });

  it('each event happens at most once on any path (request-end, response-head, response-end)', () => {
    // Walk every path from the start and check no event repeats and every path ends final.
    const walk = (p: ExchangePhase, seen: ExchangeEvent[]): number => {
      let ends = 0;
      let moved = false;
      for (const e of EVENTS) {
        let n: ExchangePhase;
        try {
          n = nextPhase(p, e);
        } catch {
          continue;
        }
        moved = true;
        if (e !== 'fail') expect(seen).not.toContain(e);
        ends += walk(n, [...seen, e]);
      }
      if (!moved) {
        expect(final(p)).toBe(true);
        return 1;
      }
      return ends;
    };
    expect(walk('reading-request', [])).toBeGreaterThan(5);
  });

  it('the predicates the forwarding reads agree with the phases', () => {
    const table = Object.fromEntries(
      PHASES.map((p) => [
        p,
        [requestComplete(p), awaitingResponse(p), streaming(p), responseOver(p), final(p)],
      ]),
    );
    expect(table).toEqual({
      'reading-request': [false, true, false, false, false],
      forwarding: [true, true, false, false, false],
      'streaming-early': [false, false, true, false, false],
      'streaming-response': [true, false, true, false, false],
      'draining-request': [false, false, false, true, false],
      done: [true, false, false, true, true],
      failed: [false, false, false, true, true],
    });
  });
});
