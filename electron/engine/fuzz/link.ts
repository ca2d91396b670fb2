// The fuzzer's wire: a raw JSON-RPC link to the server under test that records every frame to
// the campaign's capture. No SDK client in between — the fuzzer must send what a client never
// would (bad envelopes, bytes that are not UTF-8, requests before initialize) and see every line.
// One link per server process (stdio) or session (HTTP); a restart makes a new link.

import type { ChildProcess } from 'node:child_process';
import {
  errorRecord,
  LineFramer,
  spawnRecord,
  redactArgs,
  redactUrl,
  type NewRecord,
} from '../../../shared/capture/index.js';
import type { CaptureWriter } from '../capture/writer.js';
import type { HttpTarget, StdioTarget } from '../../../shared/target.js';
import { toPayload } from '../record/payload.js';
import { describeSpawnError, spawnStdioTarget } from '../spawn.js';

/** The shared target model (shared/target.ts): stdio, Streamable HTTP and legacy HTTP+SSE. */
export type FuzzTarget = StdioTarget | HttpTarget;
/** What the raw links speak (legacy HTTP+SSE in link-sse.ts). */
export const FUZZ_TRANSPORTS = ['stdio', 'streamable-http', 'sse'] as const;

export interface LinkEvents {
  /** One server message (a stdout line, an HTTP JSON body, an SSE event); `text` undefined when not UTF-8. */
  line: (text: string | undefined, shown: string) => void;
  /** The process exited or the server stopped answering at the transport level. */
  down: (why: string) => void;
}

export interface FuzzLink {
  readonly framing: boolean;
  start(): Promise<void>;
  sendLine(text: string): void;
  /** stdio only: write raw bytes in chunks with a short pause between them. */
  sendChunks(chunks: Uint8Array[]): Promise<void>;
  close(): Promise<void>;
  readonly stderrTail: string[];
  /** After a successful initialize over HTTP: the session id to send back. */
  sessionId?: string;
}

export function recordTo(writer: CaptureWriter, conn: string): (r: NewRecord) => void {
  return (r) => writer.append({ ...r, conn } as NewRecord);
}

export class StdioLink implements FuzzLink {
  readonly framing = true;
  private child: ChildProcess | undefined;
  private readonly out = new LineFramer(64 << 20);
  private readonly err = new LineFramer(1 << 20);
  readonly stderrTail: string[] = [];
  private down = false;

  constructor(
    private readonly target: StdioTarget,
    private readonly rec: (r: NewRecord) => void,
    private readonly on: LinkEvents,
  ) {}

  start(): Promise<void> {
    const { command, cwd } = this.target;
    const args = this.target.args ?? [];
    return new Promise((resolve, reject) => {
      const child = spawnStdioTarget(this.target);
      this.child = child;
      child.on('spawn', () => {
        this.rec(spawnRecord(command, args, child.pid, cwd ?? process.cwd()));
        resolve();
      });
      child.on('error', (e: NodeJS.ErrnoException) => {
        this.rec(errorRecord('spawn', e));
        reject(new Error(describeSpawnError(command, e)));
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const f of this.out.push(chunk)) this.deliver(toPayload(f));
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        for (const f of this.err.push(chunk)) {
          const p = toPayload(f);
          this.rec({ type: 'stderr', ...p });
          this.stderrTail.push(p.text ?? '[not UTF-8]');
          if (this.stderrTail.length > 20) this.stderrTail.shift();
        }
      });
      child.stdin!.on('error', () => undefined); // the exit record tells the story
      child.on('close', (code, signal) => {
        const rest = this.out.flush();
        if (rest) this.deliver(toPayload(rest, false));
        this.rec({ type: 'exit', code, signal });
        if (!this.down) {
          this.down = true;
          this.on.down(
            `the server process exited (${signal ? `signal ${signal}` : `code ${code}`})`,
          );
        }
      });
    });
  }

  private deliver(p: { text?: string; b64?: string; eol?: false }): void {
    this.rec({ type: 'frame', dir: 's2c', channel: 'stdio', ...p });
    this.on.line(p.text, p.text ?? `[not UTF-8: ${p.b64 ?? ''}]`);
  }

  sendLine(text: string): void {
    if (this.down || !this.child) return;
    this.rec({ type: 'frame', dir: 'c2s', channel: 'stdio', text });
    this.child.stdin!.write(`${text}\n`);
  }

  async sendChunks(chunks: Uint8Array[]): Promise<void> {
    for (let i = 0; i < chunks.length; i++) {
      if (this.down || !this.child) return;
      const c = Buffer.from(chunks[i]!);
      // Record what a reader of the stream sees: the bytes as one frame per write.
      this.rec({ type: 'frame', dir: 'c2s', channel: 'stdio', ...toPayload({ bytes: c }, false) });
      this.child.stdin!.write(c);
      if (i < chunks.length - 1) await new Promise((r) => setTimeout(r, 2));
    }
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.down = true;
    const closed = new Promise((r) => child.once('close', r));
    child.stdin!.end();
    const t = setTimeout(() => child.kill('SIGTERM'), 500);
    const k = setTimeout(() => child.kill('SIGKILL'), 2000);
    await closed;
    clearTimeout(t);
    clearTimeout(k);
  }
}

export class HttpLink implements FuzzLink {
  readonly framing = false;
  readonly stderrTail: string[] = [];
  sessionId?: string;
  private streams = 0;
  private closed = false;
  private down = false;

  constructor(
    private readonly target: HttpTarget,
    private readonly rec: (r: NewRecord) => void,
    private readonly on: LinkEvents,
  ) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  sendLine(text: string): void {
    if (this.closed || this.down) return;
    void this.post(text);
  }

  private async post(text: string): Promise<void> {
    const stream = `h${++this.streams}`;
    const headers: Record<string, string> = {
      ...this.target.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    this.rec({ type: 'frame', dir: 'c2s', channel: 'http-post', stream, text });
    // A refused or reset connection under load is retried twice before the server counts as down.
    let res: Response | undefined;
    for (let attempt = 0; res === undefined; attempt++) {
      try {
        res = await fetch(this.target.url, { method: 'POST', headers, body: text });
      } catch (e) {
        if (this.closed) return;
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const why = `${(e as Error).message}${cause ? ` (${cause.code ?? cause.message ?? ''})` : ''}`;
        this.rec({ type: 'error', where: 'upstream', message: why, stream });
        if (attempt >= 2) {
          if (!this.down) {
            this.down = true;
            this.on.down(`the HTTP server stopped answering (${why})`);
          }
          return;
        }
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
    const sid = res.headers.get('mcp-session-id');
    if (sid && !this.sessionId) this.sessionId = sid;
    this.rec({
      type: 'http',
      dir: 's2c',
      stream,
      status: res.status,
      headers: { 'content-type': res.headers.get('content-type') ?? '' },
    });
    const type = res.headers.get('content-type') ?? '';
    const body = await res.text().catch(() => '');
    if (/text\/event-stream/i.test(type)) {
      for (const block of body.split(/\r?\n\r?\n/)) {
        const data = block
          .split(/\r?\n/)
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data === '') continue;
        this.rec({ type: 'frame', dir: 's2c', channel: 'post-sse', stream, text: data });
        this.on.line(data, data);
      }
    } else if (body.length > 0) {
      this.rec({ type: 'frame', dir: 's2c', channel: 'http-response', stream, text: body });
      // A non-JSON error page from a 4xx is the HTTP layer talking; a 5xx is the server failing.
      if (/json/i.test(type) || res.status >= 500) this.on.line(body, body);
    }
  }

  sendChunks(): Promise<void> {
    return Promise.reject(new Error('framing-level cases need a stdio server'));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

export const describeTarget = (
  t: FuzzTarget,
): { transport: 'stdio' | 'streamable-http' | 'sse'; command?: string[]; url?: string } =>
  t.transport === 'stdio'
    ? { transport: 'stdio', command: [t.command, ...redactArgs(t.args ?? [])] }
    : { transport: t.transport, url: redactUrl(t.url) };
