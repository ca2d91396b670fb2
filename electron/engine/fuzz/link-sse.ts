// The fuzzer's raw link to a legacy HTTP+SSE server (protocol 2024-11-05): a GET opens the event
// stream, whose first `endpoint` event names the URL to POST messages to; every answer comes back
// as a `message` event on that stream (the POST itself only gets 202 Accepted). A restart opens a
// new stream (a new session). Frames are recorded like the other links' (channel `legacy-sse`).

import type { NewRecord } from '../../../shared/capture/index.js';
import { SseParser } from '../../../shared/http/sse.js';
import type { HttpTarget } from '../../../shared/target.js';
import type { FuzzLink, LinkEvents } from './link.js';

/** How long the stream may take to name its POST endpoint. */
const ENDPOINT_WAIT_MS = 10_000;

export class SseLink implements FuzzLink {
  readonly framing = false;
  readonly stderrTail: string[] = [];
  private endpoint: URL | undefined;
  private readonly abort = new AbortController();
  private closed = false;
  private down = false;
  private posts = 0;

  constructor(
    private readonly target: HttpTarget,
    private readonly rec: (r: NewRecord) => void,
    private readonly on: LinkEvents,
  ) {}

  private fail(why: string): void {
    if (this.down || this.closed) return;
    this.down = true;
    this.rec({ type: 'error', where: 'upstream', message: why, stream: 'sse' });
    this.on.down(why);
  }

  async start(): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.target.url, {
        headers: { ...this.target.headers, accept: 'text/event-stream' },
        signal: this.abort.signal,
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new Error(
        `cannot open the SSE stream at ${this.target.url}: ${(e as Error).message}${cause ? ` (${cause})` : ''}`,
        { cause: e },
      );
    }
    this.rec({
      type: 'http',
      dir: 's2c',
      stream: 'sse',
      status: res.status,
      headers: { 'content-type': res.headers.get('content-type') ?? '' },
    });
    if (!res.ok || !/text\/event-stream/i.test(res.headers.get('content-type') ?? '') || !res.body)
      throw new Error(
        `GET ${this.target.url} answered HTTP ${res.status} (${res.headers.get('content-type') ?? 'no content type'}), not an event stream: is this a legacy SSE endpoint (usually …/sse)? For Streamable HTTP drop --sse.`,
      );
    let named: (() => void) | undefined;
    const endpointSeen = new Promise<void>((resolve) => (named = resolve));
    const parser = new SseParser();
    const reader = res.body.getReader();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const ev of parser.push(value)) {
            if (ev.event === 'endpoint') {
              try {
                this.endpoint = new URL(ev.data.trim(), this.target.url);
              } catch {
                this.fail(`the SSE stream named an endpoint that is not a URL: ${ev.data}`);
              }
              named?.();
            } else if (ev.hasData && (ev.event === undefined || ev.event === 'message')) {
              this.rec({ type: 'frame', dir: 's2c', channel: 'legacy-sse', text: ev.data });
              this.on.line(ev.data, ev.data);
            }
          }
        }
        this.fail('the server closed the SSE stream');
      } catch (e) {
        this.fail(`the SSE stream broke (${(e as Error).message})`);
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ENDPOINT_WAIT_MS);
    });
    const r = await Promise.race([endpointSeen, timedOut]);
    clearTimeout(timer);
    if (r === 'timeout' || !this.endpoint) {
      this.abort.abort();
      throw new Error(
        `the SSE stream at ${this.target.url} sent no endpoint event within ${ENDPOINT_WAIT_MS / 1000} s: not a legacy MCP SSE server?`,
      );
    }
  }

  sendLine(text: string): void {
    if (this.closed || this.down || !this.endpoint) return;
    const stream = `p${++this.posts}`;
    this.rec({ type: 'frame', dir: 'c2s', channel: 'http-post', stream, text });
    void fetch(this.endpoint, {
      method: 'POST',
      headers: { ...this.target.headers, 'content-type': 'application/json' },
      body: text,
      signal: this.abort.signal,
    }).then(
      async (res) => {
        this.rec({ type: 'http', dir: 's2c', stream, status: res.status, headers: {} });
        const body = await res.text().catch(() => '');
        // 202 with an empty (or "Accepted") body is normal; a 5xx means the server failed the message.
        if (res.status >= 500) {
          this.rec({ type: 'frame', dir: 's2c', channel: 'http-response', stream, text: body });
          this.on.line(body, body);
        }
      },
      (e: Error) => {
        if (!this.closed) this.fail(`POST ${this.endpoint?.href ?? ''} failed (${e.message})`);
      },
    );
  }

  sendChunks(): Promise<void> {
    return Promise.reject(new Error('framing-level cases need a stdio server'));
  }

  close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    return Promise.resolve();
  }
}
