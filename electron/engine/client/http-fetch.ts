// A `fetch` for the SDK's StreamableHTTPClientTransport / SSEClientTransport that records the
// true wire traffic: request metadata and bodies, response metadata, JSON response bodies and
// each SSE event as it arrives. SSE bodies are re-streamed chunk by chunk (each chunk forwarded
// before it is parsed for the record), so streaming is not delayed, and a broken stream is seen.

import type { Channel } from '../../../shared/capture/index.js';
import { redactUrl } from '../../../shared/capture/index.js';
import type { ConnRecorder } from './recorder.js';
import { maskHeaders } from './recorder.js';
import { SseParser, type SseEvent } from './sse.js';

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** What the recording fetch learned that callers (raw send, error messages) need. */
export interface HttpWireState {
  /** Legacy SSE: the POST endpoint the server announced. */
  endpoint?: URL;
  /** Status of the last response that was not 2xx, with its URL. */
  lastFailure?: { status: number; url: string; body: string };
  /** The last network-level failure (refused, DNS…). */
  networkError?: { message: string; code?: string };
  /** Called when an SSE response stream breaks (not when we aborted it). */
  onStreamBroken?: (message: string) => void;
}

const BODYLESS = new Set([101, 204, 205, 304]);
const MAX_NOTE_BODY = 2000;

function headersOf(init: RequestInit | undefined): Headers {
  return new Headers(init?.headers ?? {});
}

function pathOf(url: URL): string {
  const r = new URL(redactUrl(url.href));
  return `${r.pathname}${r.search}`;
}

export function recordingFetch(
  rec: ConnRecorder,
  legacySse: boolean,
  state: HttpWireState,
  base: FetchLike = fetch,
): FetchLike {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input.href);
    const method = (init?.method ?? 'GET').toUpperCase();
    const stream = rec.nextStream();
    rec.append({
      type: 'http',
      dir: 'c2s',
      stream,
      method,
      path: pathOf(url),
      headers: maskHeaders(headersOf(init)),
    });
    if (typeof init?.body === 'string')
      rec.frame('c2s', 'http-post', { text: init.body }, { stream });
    let res: Response;
    try {
      res = await base(url, init);
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (err.name !== 'AbortError') {
        const code = err.cause?.code;
        state.networkError = {
          message: err.cause?.message ?? err.message,
          ...(code ? { code } : {}),
        };
        rec.error('http', `${method} ${pathOf(url)}: ${err.cause?.message ?? err.message}`, {
          stream,
          ...(code ? { code } : {}),
        });
      }
      throw e;
    }
    rec.append({
      type: 'http',
      dir: 's2c',
      stream,
      status: res.status,
      headers: maskHeaders(res.headers),
    });
    const type = res.headers.get('content-type') ?? '';
    if (res.body && /text\/event-stream/i.test(type)) {
      const channel: Channel = legacySse ? 'legacy-sse' : method === 'GET' ? 'get-sse' : 'post-sse';
      const onEvent = (ev: SseEvent): void => {
        const extra = ev.id !== undefined ? { stream, eventId: ev.id } : { stream };
        // No message: the SDK's priming event only sets an id for resumption (as the recorder does).
        if (ev.event === 'message' && ev.data === '') return;
        if (ev.event === 'message') {
          rec.frame('s2c', channel, { text: ev.data }, extra);
        } else {
          if (ev.event === 'endpoint' && legacySse) {
            try {
              state.endpoint = new URL(ev.data, url);
              // The endpoint usually carries the session id: recorded redacted, like request paths.
              rec.note(`${stream}: legacy endpoint event ${pathOf(state.endpoint)}`);
              return;
            } catch {
              // The SDK reports the bad endpoint; the note below keeps the evidence.
            }
          }
          rec.note(`SSE event "${ev.event}" on ${stream}: ${ev.data.slice(0, MAX_NOTE_BODY)}`);
        }
      };
      const parser = new SseParser(onEvent);
      // Forward each chunk first, then parse it for the record; a read error (the server died,
      // the socket was reset) is recorded and reported unless we aborted the request ourselves.
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(ctl) {
          let r: Awaited<ReturnType<typeof reader.read>>;
          try {
            r = await reader.read();
          } catch (e) {
            parser.end();
            if (!init?.signal?.aborted) {
              const err = e as Error & { cause?: { message?: string } };
              const message = `${channel} stream ${stream} broke: ${err.cause?.message ?? err.message}`;
              rec.error('http', message, { stream });
              state.onStreamBroken?.(message);
            }
            ctl.error(e);
            return;
          }
          if (r.done) {
            parser.end();
            ctl.close();
            return;
          }
          ctl.enqueue(r.value);
          parser.push(r.value);
        },
        cancel(reason) {
          return reader.cancel(reason);
        },
      });
      return new Response(body, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    }
    // JSON or other bodies: small by nature; read once, record, hand an identical copy on.
    const text = await res.text();
    if (text.length > 0) {
      if (/json/i.test(type)) rec.frame('s2c', 'http-response', { text }, { stream });
      // Error pages explain failures; a 202's "Accepted" says nothing the status does not.
      else if (!res.ok)
        rec.note(
          `HTTP ${res.status} body on ${stream} (${type || 'no content-type'}): ${text.slice(0, MAX_NOTE_BODY)}`,
        );
    }
    if (!res.ok)
      state.lastFailure = {
        status: res.status,
        url: redactUrl(url.href),
        body: text.slice(0, MAX_NOTE_BODY),
      };
    const body = BODYLESS.has(res.status) || text.length === 0 ? null : text;
    return new Response(body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

/** Parse an SSE body completely (used by raw sends that read the answer stream themselves). */
export async function readSseEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (e: SseEvent) => boolean | void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = body.getReader();
  let stop = false;
  const parser = new SseParser((e) => {
    if (onEvent(e) === true) stop = true;
  });
  const abort = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    while (!stop) {
      const { done, value } = await reader.read();
      if (done) {
        parser.end();
        break;
      }
      parser.push(value);
    }
  } catch {
    // Cancelled or the stream broke; the recording fetch already recorded what arrived.
  } finally {
    signal?.removeEventListener('abort', abort);
    if (stop) await reader.cancel().catch(() => undefined);
  }
}
