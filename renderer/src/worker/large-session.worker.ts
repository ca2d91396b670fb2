// The large-session worker: streams an imported capture file (never one giant string), indexes it
// line by line (LargeIndex), and answers filter, row and detail requests while it goes. Requests
// are served between stream chunks, so rows show as soon as the first chunk is indexed.

/// <reference lib="webworker" />

import { base64ToBytes } from '../../../shared/capture/frames.js';
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
    total,
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

/** Bytes of a streamed (engine) source, kept until they can become one Blob at the end. */
const kept: Uint8Array[] = [];
const keptAt: number[] = [];
let total = 0;

async function indexStream(stream: ReadableStream<Uint8Array>): Promise<void> {
  let last = 0;
  let first = true;
  try {
    const endsWithNewline = await streamLines(stream, (line, start, len) => {
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
    if (!file && kept.length > 0) {
      // The browser keeps a Blob's bytes outside the JS heap (on disk when large).
      file = new Blob(kept as BlobPart[]);
      kept.length = 0;
      keptAt.length = 0;
    }
    bytes = total;
    done = true;
    progress();
  } catch (e) {
    post({ t: 'error', message: (e as Error).message });
  }
}

/** The base64 chunks of the engine's file as bytes, kept for reading lines back. */
function fromBase64(stream: ReadableStream<string>): ReadableStream<Uint8Array> {
  let at = 0;
  return stream.pipeThrough(
    new TransformStream<string, Uint8Array>({
      transform(b64, out) {
        const b = base64ToBytes(b64);
        kept.push(b);
        keptAt.push(at);
        at += b.length;
        out.enqueue(b);
      },
    }),
  );
}

/** A line of the file by byte range: from the Blob, or from the kept chunks while streaming. */
async function readRange(start: number, len: number): Promise<string> {
  if (file) return file.slice(start, start + len).text();
  const out = new Uint8Array(len);
  for (let i = 0; i < kept.length; i++) {
    const c = kept[i]!;
    const at = keptAt[i]!;
    const a = Math.max(start, at);
    const b = Math.min(start + len, at + c.length);
    if (a < b) out.set(c.subarray(a - at, b - at), a - start);
  }
  return new TextDecoder().decode(out);
}

async function detail(id: number, mid: number): Promise<void> {
  const msg = index.rows([mid])[0];
  const at = index.lineOf(mid);
  if (!msg || !at) {
    post({ t: 'detail', id, error: `no message ${mid} in this session` });
    return;
  }
  try {
    const line = await readRange(at.start, at.len);
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
      file = m.file;
      total = m.file.size;
      void indexStream(m.file.stream());
      break;
    case 'open-stream':
      total = m.size;
      void indexStream(fromBase64(m.stream));
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
