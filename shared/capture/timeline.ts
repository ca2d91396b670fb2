// From a read capture to the timeline every view shows: messages (paired, classified), the
// session model, and lifecycle events in order.

import { MessageIndex, SessionModel } from '../protocol/index.js';
import { frameInput } from './frames.js';
import type { ReadCapture } from './reader.js';
import type { EventRecord, FrameRecord } from './types.js';

export interface Timeline {
  index: MessageIndex;
  session: SessionModel;
  /** Every non-frame record, in order. */
  events: Exclude<EventRecord, FrameRecord>[];
  /** Time of the first record (the header), for relative times. */
  startTs: number;
}

export class TimelineBuilder implements Timeline {
  readonly index = new MessageIndex();
  readonly session: SessionModel;
  readonly events: Exclude<EventRecord, FrameRecord>[] = [];

  /** keepEvents false: `events` stays empty (a streamed reader hands them over again itself). */
  constructor(
    public startTs: number,
    private readonly keepEvents = true,
  ) {
    this.session = new SessionModel((mid) => this.index.get(mid));
  }

  add(r: EventRecord): void {
    if (r.type !== 'frame') {
      if (this.keepEvents) this.events.push(r);
      return;
    }
    for (const m of this.index.add(frameInput(r))) this.session.add(m);
  }
}

export function buildTimeline(read: ReadCapture): Timeline {
  const b = new TimelineBuilder(read.header?.ts ?? read.records[0]?.ts ?? 0);
  for (const r of read.records) b.add(r);
  return b;
}
