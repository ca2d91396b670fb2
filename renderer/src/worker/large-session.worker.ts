// The large-session worker: streams an imported capture file (never one giant string), indexes it
// line by line (LargeIndex), and answers filter, row and detail requests while it goes. Requests
// are served between stream chunks, so rows show as soon as the first chunk is indexed.

/// <reference lib="webworker" />

import { payloadText } from '../model/session-data.js';
import { LargeIndex } from './large-index.js';
import type { FromLarge, ToLarge } from './protocol.js';
import { streamLines } from './stream-lines.js';

const PROGRESS_MS = 100;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const index = new LargeIndex();
let file: Blob | undefined;
let bytes = 0;
let done = false;

function post(m: FromLarge, transfer: Transferable[] = []): void {
  scope.postMessage(m, transfer);
}

function progress(): void {
  post({
    t: 'progress',
    counts: { ...index.counts },
    bytes,
    total: file?.size ?? 0,
    done,
    ...(index.header ? { header: index.header } : {}),
    ...(index.summary && index.header
      ? {
          summary: index.summary.summary({
            id: index.header.id,
            origin: 'imported',
            live: false,
            ...(index.problems + (index.truncatedTail ? 1 : 0) > 0
              ? { problems: index.problems + (index.truncatedTail ? 1 : 0) }
              : {}),
          }),
        }
      : {}),
    problems: index.problems,
    truncatedTail: index.truncatedTail,
    searchChars: done ? index.searchChars() : 0,
  });
}

async function open(f: Blob): Promise<void> {
  file = f;
  let last = 0;
  let first = true;
  try {
    const endsWithNewline = await streamLines(f, (line, start, len) => {
      index.push(line, start, len);
      bytes = start + len + 1;
      const now = performance.now();
      if (first && index.counts.messages > 0) {
        first = false;
        last = now;
        progress();
      } else if (now - last > PROGRESS_MS) {
        last = now;
        progress();
      }
    });
    index.finish(endsWithNewline);
    bytes = f.size;
    done = true;
    progress();
  } catch (e) {
    post({ t: 'error', message: (e as Error).message });
  }
}

async function detail(id: number, mid: number): Promise<void> {
  const msg = index.rows([mid])[0];
  const at = index.lineOf(mid);
  if (!msg || !at || !file) {
    post({ t: 'detail', id, error: `no message ${mid} in this session` });
    return;
  }
  try {
    const line = await file.slice(at.start, at.start + at.len).text();
    const raw = payloadText(JSON.parse(line) as { text?: string; b64?: string });
    const pair = msg.pair === undefined ? undefined : index.rows([msg.pair])[0];
    post({ t: 'detail', id, msg, raw, ...(pair ? { pair } : {}) });
  } catch (e) {
    post({ t: 'detail', id, error: `could not read its line: ${(e as Error).message}` });
  }
}

scope.onmessage = (e: MessageEvent<ToLarge>) => {
  const m = e.data;
  switch (m.t) {
    case 'open':
      void open(m.file);
      break;
    case 'filter': {
      const t0 = performance.now();
      const mids = index.filter(m.query);
      post({ t: 'filtered', id: m.id, mids, ms: performance.now() - t0 }, [mids.buffer]);
      break;
    }
    case 'rows':
      post({ t: 'rows', id: m.id, rows: index.rows(m.mids) });
      break;
    case 'detail':
      void detail(m.id, m.mid);
      break;
  }
};
