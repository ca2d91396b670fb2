// Capture text → an open session and its library summary, in the browser (no host needed).

import { readCapture, type ReadCapture } from '../../../shared/capture/reader.js';
import type { SessionSummary } from '../../../shared/host-api.js';
import { summarizeCapture } from '../../../shared/capture/summary.js';
import { SessionData } from './session-data.js';

export interface ImportedCapture {
  data: SessionData;
  read: ReadCapture;
  summary: SessionSummary;
}

/** A stable-enough id for a capture whose header id collides with one already open. */
function uniqueId(base: string, taken: (id: string) => boolean): string {
  if (!taken(base)) return base;
  for (let i = 2; i < 10_000; i++) if (!taken(`${base}~${i}`)) return `${base}~${i}`;
  return `${base}~${Date.now()}`;
}

export function summarize(
  id: string,
  read: ReadCapture,
  origin: SessionSummary['origin'],
): SessionSummary {
  const problems = read.problems.length + (read.truncatedTail ? 1 : 0);
  return summarizeCapture(read.header!, read.records, {
    id,
    origin,
    live: false,
    ...(problems > 0 ? { problems } : {}),
  });
}

/** Parse a capture file's text; throws CaptureFormatError when it is not a capture at all. */
export function importCaptureText(text: string, taken: (id: string) => boolean): ImportedCapture {
  const read = readCapture(text);
  const header = read.header!;
  const id = uniqueId(header.id, taken);
  const data = new SessionData(id, header);
  data.append(read.records);
  return { data, read, summary: summarize(id, read, 'imported') };
}
