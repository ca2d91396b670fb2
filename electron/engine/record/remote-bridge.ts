// `mcpscope record --bridge-to URL`: a host that only speaks stdio reaches a remote MCP server
// through mcpscope (what mcp-remote does, plus the recording). The host writes JSON-RPC lines to
// our stdin; we are a Streamable HTTP client of the remote (falling back to legacy HTTP+SSE when
// the endpoint answers 404/405 to the first POST, or SSE when asked), with the configured headers,
// and write what the remote sends back to stdout, one line per message.
//
// The capture holds the stdio side as frames (the host's exact bytes, and the exact lines we wrote
// back), and the HTTP side as `http` records (method, path, status, masked headers), transport
// errors and notes — the same client-mode fetch that `mcpscope inspect --url` records with.

import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { errorRecord, LineFramer, redactUrl, type Frame } from '../../../shared/capture/index.js';
import type { Direction } from '../../../shared/protocol/index.js';
import { CaptureWriter } from '../capture/writer.js';
import { recordingFetch, type HttpWireState } from '../client/http-fetch.js';
import { ConnRecorder } from '../client/recorder.js';
import { describeConnectFailure } from '../client/transports.js';
import { toPayload } from './payload.js';

export type BridgeTransport = 'auto' | 'streamable-http' | 'sse';

export interface RemoteBridgeOptions {
  url: string;
  headers?: Record<string, string>;
  transport?: BridgeTransport;
  out: string;
  /** Host → bridge (default process.stdin). */
  input?: NodeJS.ReadableStream;
  /** Bridge → host (default process.stdout). */
  output?: NodeJS.WritableStream;
  log?: (line: string) => void;
  onWriter?: (writer: CaptureWriter) => void;
  /** Resolves when the bridge should stop (e.g. a signal); default: only when the host closes stdin. */
  stop?: Promise<string>;
}

export interface RemoteBridgeResult {
  /** 0 after a clean stop; 1 when the remote could never be reached. */
  exitCode: number;
  capturePath: string;
  reason: string;
}

/** The HTTP side records its metadata only: the messages are recorded once, on the stdio side. */
class HttpMetaRecorder extends ConnRecorder {
  override frame(): void {}
}

type Msg = JSONRPCMessage & {
  id?: string | number | null;
  method?: string;
  result?: { protocolVersion?: unknown };
};

/** `p`, or undefined after `ms`; the timer never keeps the process alive. */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<undefined>((r) => {
    timer = setTimeout(() => r(undefined), ms);
    timer.unref();
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const isRequest = (m: Msg): boolean =>
  typeof m.method === 'string' && m.id !== undefined && m.id !== null;

export function runRemoteBridge(opts: RemoteBridgeOptions): Promise<RemoteBridgeResult> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const log = opts.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const url = new URL(opts.url);
  const headers = opts.headers ?? {};
  const mode = opts.transport ?? 'auto';

  const writer = new CaptureWriter({
    path: opts.out,
    source: {
      transport: mode === 'sse' ? 'sse' : 'streamable-http',
      url: redactUrl(url.href),
      name: `bridge to ${redactUrl(url.href)}`,
    },
    onError: (e) =>
      log(
        `mcpscope: cannot write the capture ${opts.out}: ${e.message}. Traffic keeps flowing but is no longer recorded.`,
      ),
  });
  opts.onWriter?.(writer);
  const rec = new HttpMetaRecorder(writer, undefined, () => undefined);
  const framers: Record<Direction, LineFramer> = { c2s: new LineFramer(), s2c: new LineFramer() };
  const record = (dir: Direction, frames: Frame[], eol = true): void => {
    for (const f of frames)
      writer.append({ type: 'frame', dir, channel: 'stdio', ...toPayload(f, eol) });
  };

  let hostGone = false;
  // Requests the host sent that the remote has not answered yet: on stdin EOF they get a moment to finish.
  const outstanding = new Set<string>();
  let drained: (() => void) | undefined;
  const settle = (msg: unknown): void => {
    const m = msg as Msg;
    if (typeof m !== 'object' || m === null || typeof m.method === 'string' || m.id === undefined)
      return;
    outstanding.delete(JSON.stringify(m.id));
    if (outstanding.size === 0) drained?.();
  };
  const toHost = (msg: unknown): void => {
    settle(msg);
    const line = Buffer.from(`${JSON.stringify(msg)}\n`, 'utf8');
    if (!hostGone) output.write(line);
    record('s2c', framers.s2c.push(line));
  };

  let state: HttpWireState = {};
  let legacy = mode === 'sse';
  let transport: Transport | undefined;
  let initId: Msg['id'];
  let reachedRemote = false;
  let stopping = false;

  const build = (sse: boolean): Transport => {
    state = {};
    legacy = sse;
    const f = recordingFetch(rec, sse, state);
    const requestInit: RequestInit = { headers };
    const t = sse
      ? new SSEClientTransport(url, { fetch: f, requestInit })
      : new StreamableHTTPClientTransport(url, { fetch: f, requestInit });
    t.onmessage = (m) => {
      const msg = m as Msg;
      if (
        initId !== undefined &&
        msg.id === initId &&
        typeof msg.result?.protocolVersion === 'string'
      ) {
        reachedRemote = true;
        t.setProtocolVersion?.(msg.result.protocolVersion);
      }
      toHost(msg);
    };
    t.onerror = (e) => {
      if (stopping) return;
      rec.error('upstream', `remote transport: ${e.message}`);
      log(`mcpscope: remote ${redactUrl(url.href)}: ${e.message}`);
    };
    t.onclose = () => {
      if (!stopping) rec.note('the remote transport closed');
    };
    return t;
  };

  const explain = (e: unknown): string => {
    const target = {
      transport: legacy ? ('sse' as const) : ('streamable-http' as const),
      url: url.href,
      headers,
    };
    const http = { legacy, state, fetch: fetch, url, headers };
    return describeConnectFailure(target, transport ? { transport, http } : undefined, e, 0)
      .message;
  };

  const fail = (msg: Msg, e: unknown): void => {
    const message = explain(e);
    rec.error('upstream', `${msg.method ?? 'message'}: ${message}`);
    log(`mcpscope: ${message}`);
    if (isRequest(msg))
      toHost({
        jsonrpc: '2.0',
        id: msg.id,
        error: { code: -32000, message: `mcpscope bridge: ${message}` },
      });
  };

  const fallbackWorthy = (e: unknown): boolean =>
    e instanceof StreamableHTTPError && (e.code === 404 || e.code === 405);

  const start = async (): Promise<Transport> => {
    const t = build(mode === 'sse');
    transport = t;
    await t.start();
    return t;
  };
  let started: Promise<Transport> | undefined;
  // Everything after initialize waits for it: the session id comes with its answer.
  let ready: Promise<void> = Promise.resolve();

  const initialize = async (msg: Msg): Promise<void> => {
    try {
      const t = await (started ??= start());
      await t.send(msg);
    } catch (e) {
      if (mode === 'auto' && fallbackWorthy(e)) {
        rec.note(
          `the remote answered ${(e as StreamableHTTPError).code} to a Streamable HTTP POST: trying legacy HTTP+SSE`,
        );
        log(
          `mcpscope: ${redactUrl(url.href)} is not a Streamable HTTP endpoint; trying legacy HTTP+SSE`,
        );
        try {
          const t = build(true);
          transport = t;
          started = Promise.resolve(t);
          await t.start();
          await t.send(msg);
          return;
        } catch (e2) {
          fail(msg, e2);
          return;
        }
      }
      fail(msg, e);
    }
  };

  const forward = (msg: Msg): void => {
    if (isRequest(msg)) outstanding.add(JSON.stringify(msg.id));
    if (msg.method === 'initialize') {
      initId = msg.id;
      ready = initialize(msg);
      return;
    }
    void ready.then(async () => {
      try {
        const t = await (started ??= start());
        await t.send(msg);
      } catch (e) {
        fail(msg, e);
      }
    });
  };

  const handle = (f: Frame): void => {
    const text = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength)
      .toString('utf8')
      .trim();
    if (text === '') return;
    if (f.truncated !== undefined) {
      rec.note(
        `a host message of ${f.truncated} bytes is over the frame limit and was not forwarded`,
      );
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      rec.note(
        'bridge: a host line is not JSON, so it cannot be sent over HTTP (recorded above as an invalid frame)',
      );
      toHost({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32700, message: 'mcpscope bridge: parse error (the line is not JSON)' },
      });
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      toHost({
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32600,
          message: 'mcpscope bridge: invalid request (not a JSON-RPC object)',
        },
      });
      return;
    }
    forward(msg as Msg);
  };

  return new Promise((resolve) => {
    let finished = false;
    const finish = async (reason: string): Promise<void> => {
      if (finished) return;
      finished = true;
      input.removeListener('data', onData);
      input.pause();
      // Let messages already on their way reach the remote (bounded).
      await within(ready, 2000);
      if (outstanding.size > 0) await within(new Promise<void>((r) => (drained = r)), 2000);
      stopping = true;
      const t = transport;
      if (t instanceof StreamableHTTPClientTransport && t.sessionId) {
        await within(
          t.terminateSession().catch(() => undefined),
          2000,
        );
      }
      await within(t?.close().catch(() => undefined) ?? Promise.resolve(), 2000);
      const rest = framers.c2s.flush();
      if (rest) record('c2s', [rest], false);
      writer.close(reason);
      resolve({
        exitCode: reachedRemote || initId === undefined ? 0 : 1,
        capturePath: opts.out,
        reason,
      });
    };
    const onData = (chunk: Buffer): void => {
      const frames = framers.c2s.push(chunk);
      record('c2s', frames);
      for (const f of frames) handle(f);
    };
    input.on('data', onData);
    input.on('end', () => void finish('the host closed stdin'));
    input.on('error', (e: Error) => void finish(`host stdin failed: ${e.message}`));
    output.on('error', (e: NodeJS.ErrnoException) => {
      if (hostGone) return;
      hostGone = true;
      writer.append(errorRecord('host-stdout', e));
      void finish('the host stopped reading');
    });
    void opts.stop?.then((r) => finish(r));
    writer.append({
      type: 'note',
      text: `bridge: stdio ↔ ${mode === 'sse' ? 'legacy HTTP+SSE' : 'Streamable HTTP'} ${redactUrl(url.href)}`,
    });
  });
}
