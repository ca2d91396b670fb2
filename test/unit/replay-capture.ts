// Builds an in-memory ReadCapture from JSON-RPC messages, for the replay unit tests.
import type { EventRecord, ReadCapture } from '../../shared/capture/index.js';

export type Wire = ['c2s' | 's2c', unknown];

export function makeCapture(wire: Wire[]): ReadCapture {
  const records: EventRecord[] = wire.map(([dir, m], i) => ({
    seq: i + 1,
    ts: 1000 + i,
    type: 'frame',
    dir,
    channel: 'stdio',
    text: typeof m === 'string' ? m : JSON.stringify(m),
  }));
  return { records, problems: [], closed: true };
}
