import { describe, expect, it } from 'vitest';
import { EventLedger } from '../../shared/http/resume.js';
import { SseParser } from '../../shared/http/sse.js';

describe('Last-Event-ID resumption', () => {
  it('links a resumed stream to the stream that carried the event', () => {
    const ledger = new EventLedger();
    const p = new SseParser();
    for (const ev of p.push(
      new TextEncoder().encode('id: s1_1\ndata: {}\n\nid: s1_2\ndata: {}\n\n'),
    ))
      ledger.see('h3', ev.id!);
    expect(p.lastEventId).toBe('s1_2');
    expect(ledger.resumeOf(p.lastEventId)).toEqual({ stream: 'h3', eventId: 's1_2' });
    expect(ledger.seen('s1_1')).toBe(true);
    expect(ledger.resumeOf('unknown')).toBeUndefined();
  });

  it('forgets the oldest ids past its capacity', () => {
    const ledger = new EventLedger(2);
    ledger.see('h1', 'a');
    ledger.see('h1', 'b');
    ledger.see('h2', 'c');
    expect(ledger.resumeOf('a')).toBeUndefined();
    expect(ledger.resumeOf('c')).toEqual({ stream: 'h2', eventId: 'c' });
  });
});
