// Client mode's SSE parser (eventsource-parser) reads one 20 MB event arriving in 64 KiB chunks
// in linear time (the recorder's parser has the same test in http-sse.test.ts). The old client
// parser re-sliced its buffer per line and per chunk: 4.3 s idle, 55 s on the loaded machine.
// The bounds are generous (shared CI cores) yet far below that.
import { describe, expect, it } from 'vitest';
import {
  SseParser as ClientSse,
  type SseEvent as ClientEvent,
} from '../../electron/engine/client/sse.js';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

function chunks(mb: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(`id: 9\ndata: ${'x'.repeat(mb * MB)}\n\n`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) out.push(bytes.subarray(i, i + CHUNK));
  return out;
}

function timeClient(parts: Uint8Array[]): { ms: number; events: ClientEvent[] } {
  const events: ClientEvent[] = [];
  const t0 = performance.now();
  const p = new ClientSse((e) => events.push(e));
  for (const c of parts) p.push(c);
  p.end();
  return { ms: performance.now() - t0, events };
}

describe('client-mode SSE parser on one 20 MB event', () => {
  const big = chunks(20);

  it('client mode: the whole event, once, well under the quadratic parser time', () => {
    const { ms, events } = timeClient(big);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.length).toBe(20 * MB);
    expect(events[0]!.id).toBe('9');
    expect(ms).toBeLessThan(5000);
  });

  it('client mode: 10× the size costs about 10× the time, not 100×', () => {
    timeClient(chunks(2)); // warm-up
    const small = Math.max(timeClient(chunks(2)).ms, 1);
    const large = timeClient(big).ms;
    expect(large / small).toBeLessThan(40);
  });
});
