// How a non-frame record shows in the sequence view's event lanes: process lifecycle (spawn,
// exit, recorder errors), HTTP metadata (request line, status, mcp-session-id) and stderr.
// Everything here can come from the server (stderr text, headers, exit signals), so labels and
// tooltips go through toDisplay. Pure: unit-tested in test/unit/sequence-events.test.ts.

import type { EventRecord, FrameRecord } from '../../../shared/capture/types.js';
import { toDisplay } from '../components/SafeText.js';

type NonFrame = Exclude<EventRecord, FrameRecord>;

export const EVENT_ROWS = ['process', 'http', 'stderr'] as const;
export type EventRow = (typeof EVENT_ROWS)[number];
export const EVENT_ROW_H = 22;
/** Beyond this many events in one row, ticks only (labels would overlap). */
export const MAX_LABELS = 40;
/** Beyond this many events in view, nothing more is drawn (the count says so). */
export const MAX_EVENTS = 800;

export interface EventMark {
  row: EventRow;
  /** Short label (already escaped); the tooltip has more. */
  label: string;
  title: string;
  err: boolean;
}

function payload(r: { text?: string; b64?: string }): string {
  return r.text ?? (r.b64 !== undefined ? `<${r.b64.length} base64 chars>` : '');
}

/** How one record shows in the event lanes, or undefined when it has no lane (most notes, end). */
export function eventMark(r: NonFrame): EventMark | undefined {
  switch (r.type) {
    case 'spawn': {
      const cmd = toDisplay([r.command, ...r.args].join(' '), 200);
      return {
        row: 'process',
        label: 'spawn',
        title: `spawn ${cmd}${r.pid ? ` (pid ${r.pid})` : ''}`,
        err: false,
      };
    }
    case 'exit': {
      const how = r.signal !== null ? `signal ${toDisplay(r.signal, 20)}` : `code ${r.code}`;
      return { row: 'process', label: `exit ${how}`, title: `exit ${how}`, err: r.code !== 0 };
    }
    case 'error':
      return {
        row: 'process',
        label: `error: ${toDisplay(r.where, 20)}`,
        title: `${toDisplay(r.where, 40)}: ${toDisplay(r.message, 300)}`,
        err: true,
      };
    case 'http': {
      const sid = r.headers['mcp-session-id'];
      const sidText = sid === undefined ? '' : ` · session ${toDisplay(sid, 40)}`;
      if (r.dir === 'c2s') {
        const line = `${toDisplay(r.method ?? '', 10)} ${toDisplay(r.path ?? '', 60)}`.trim();
        return { row: 'http', label: line || 'request', title: `${line}${sidText}`, err: false };
      }
      const status = r.status === undefined ? 'response' : String(r.status);
      return {
        row: 'http',
        label: `${status}${sid === undefined ? '' : ' sid'}`,
        title: `HTTP ${status}${sidText}`,
        err: r.status !== undefined && r.status >= 400,
      };
    }
    case 'stderr':
      return { row: 'stderr', label: '', title: toDisplay(payload(r), 300), err: false };
    case 'note': {
      // OAuth steps (client/oauth.ts writes "oauth: <step>: <detail>") are lifecycle events; a
      // failed step is an error record with where "oauth" (above).
      if (!r.text.startsWith('oauth: ')) return undefined;
      const step = r.text.slice(7).split(':')[0] ?? '';
      return {
        row: 'process',
        label: `oauth ${toDisplay(step, 40)}`,
        title: toDisplay(r.text, 300),
        err: false,
      };
    }
    default:
      return undefined;
  }
}
