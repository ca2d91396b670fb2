// Capture text → an open session and its library summary, in the browser (no host needed).

import { readCapture, type ReadCapture } from '../../../shared/capture/reader.js';
import type { SessionSummary } from '../../../shared/host-api.js';
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

export function summarize(id: string, read: ReadCapture, data: SessionData, origin: SessionSummary['origin']): SessionSummary {
  const h = read.header!;
  const last = read.records[read.records.length - 1];
  const hs = data.builder.session.handshake;
  const s: SessionSummary = {
    id,
    origin,
    live: false,
    title: hs.serverInfo?.name ?? h.source.name ?? h.source.command?.join(' ') ?? h.source.url ?? 'capture',
    transport: h.source.transport,
    started: h.ts,
    durationMs: last ? Math.max(0, last.ts - h.ts) : 0,
    frameCount: data.counts.frames,
    errorCount: data.counts.errors + data.counts.recordErrors,
    recordCount: read.records.length + 1,
    closed: read.closed,
  };
  if (hs.serverInfo) s.server = { ...hs.serverInfo };
  if (hs.protocolVersion !== undefined) s.protocolVersion = hs.protocolVersion;
  if (h.source.command) s.command = h.source.command;
  if (h.source.url !== undefined) s.url = h.source.url;
  if (read.problems.length > 0 || read.truncatedTail) s.problems = read.problems.length + (read.truncatedTail ? 1 : 0);
  return s;
}

/** Parse a capture file's text; throws CaptureFormatError when it is not a capture at all. */
export function importCaptureText(text: string, taken: (id: string) => boolean): ImportedCapture {
  const read = readCapture(text);
  const header = read.header!;
  const id = uniqueId(header.id, taken);
  const data = new SessionData(id, header);
  data.append(read.records);
  return { data, read, summary: summarize(id, read, data, 'imported') };
}
