// Builds the recorded transport for a target, and turns connection failures into messages that
// say what went wrong and what to do.

import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { redactArgs, redactUrl } from '../../../shared/capture/index.js';
import { ConnectError } from './errors.js';
import { recordingFetch, type FetchLike, type HttpWireState } from './http-fetch.js';
import { maskHeaders, type ConnRecorder } from './recorder.js';
import { RecordedStdioTransport } from './stdio-transport.js';
import type { HttpTarget, ServerTarget } from './types.js';

export interface BuiltTransport {
  transport: Transport;
  stdio?: RecordedStdioTransport;
  http?: {
    legacy: boolean;
    state: HttpWireState;
    fetch: (url: string | URL, init?: RequestInit) => Promise<Response>;
    url: URL;
    headers: Record<string, string>;
  };
}

/** Request headers for an HTTP target: the user's, plus the bearer token. */
export function httpHeaders(target: HttpTarget, bearerToken?: string): Record<string, string> {
  const h: Record<string, string> = { ...target.headers };
  if (bearerToken !== undefined) h.Authorization = `Bearer ${bearerToken}`;
  return h;
}

export function buildTransport(
  target: ServerTarget,
  rec: ConnRecorder,
  opts: {
    bearerToken?: string;
    stderrTail?: number;
    onStreamBroken?: (message: string) => void;
    /** OAuth (oauth.ts): the SDK sends its token and refreshes it on a 401. */
    authProvider?: OAuthClientProvider;
    /** OAuth: the fetch for requests that are not MCP traffic (metadata, token refresh). */
    authFetch?: FetchLike;
  },
): BuiltTransport {
  if (target.transport === 'stdio') {
    const stdio = new RecordedStdioTransport(target, rec, opts.stderrTail);
    return { transport: stdio, stdio };
  }
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new ConnectError(
      `"${target.url}" is not a valid URL. Give a full URL such as http://127.0.0.1:3001/mcp`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConnectError(`unsupported URL scheme "${url.protocol}": use http:// or https://`);
  const state: HttpWireState = opts.onStreamBroken ? { onStreamBroken: opts.onStreamBroken } : {};
  const legacy = target.transport === 'sse';
  const recorded = recordingFetch(rec, legacy, state);
  const authFetch = opts.authFetch;
  // With OAuth, the SDK's transport also fetches metadata and tokens (a refresh on a 401): those
  // go to the OAuth session's fetch, which records the step and never a token.
  const f: FetchLike = authFetch
    ? (input, init) =>
        isMcpRequest(new URL(String(input)), url, state)
          ? recorded(input, init)
          : authFetch(input, init)
    : recorded;
  const headers = httpHeaders(target, opts.bearerToken);
  const requestInit: RequestInit = { headers };
  const transport = legacy
    ? new SSEClientTransport(url, {
        fetch: f,
        requestInit,
        ...(opts.authProvider ? { authProvider: opts.authProvider } : {}),
      })
    : // The SDK's resumption stays on (a server may end a POST stream and expect a GET with
      // Last-Event-ID); a stream that breaks with an error closes the session (see onStreamBroken).
      new StreamableHTTPClientTransport(url, {
        fetch: f,
        requestInit,
        ...(opts.authProvider ? { authProvider: opts.authProvider } : {}),
      });
  return { transport, http: { legacy, state, fetch: f, url, headers } };
}

/** A request to the MCP endpoint (or the legacy SSE POST endpoint), not an OAuth one. */
function isMcpRequest(u: URL, endpoint: URL, state: HttpWireState): boolean {
  const same = (e: URL): boolean => u.origin === e.origin && u.pathname === e.pathname;
  return same(endpoint) || (state.endpoint !== undefined && same(state.endpoint));
}

/** The target as shown to users and written to captures: secrets masked. */
export function maskTarget(target: ServerTarget): ServerTarget {
  if (target.transport === 'stdio') {
    const t: ServerTarget = {
      transport: 'stdio',
      command: target.command,
      args: redactArgs(target.args ?? []),
    };
    if (target.env)
      t.env = Object.fromEntries(Object.keys(target.env).map((k) => [k, '[REDACTED]']));
    if (target.cwd !== undefined) t.cwd = target.cwd;
    return t;
  }
  const t: ServerTarget = { transport: target.transport, url: redactUrl(target.url) };
  if (target.headers) t.headers = maskHeaders(target.headers);
  return t;
}

function tailText(lines: string[]): string {
  return lines.length
    ? `\nLast lines of its stderr:\n${lines.map((l) => `  ${l}`).join('\n')}`
    : '\nIt wrote nothing to stderr.';
}

/**
 * A stdio server that dies at once makes the first write fail (EPIPE) before its exit and stderr
 * have been read; wait a little for them so the message can name the real cause.
 */
export async function settleStdioExit(built: BuiltTransport | undefined, ms = 1000): Promise<void> {
  const stdio = built?.stdio;
  if (!stdio || stdio.exit) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([stdio.waitExit(), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** How long a server that wrote non-JSON to stdout still gets to answer initialize (a banner before a working server). */
export const NOISE_GRACE_MS = 2000;

/** The server logs to stdout: say so, quoting what it wrote, instead of waiting for the timeout. */
export function stdoutNoiseError(
  target: Extract<ServerTarget, { transport: 'stdio' }>,
  noise: readonly string[],
  count: number,
  stderrTail: string[],
): ConnectError {
  const name = [target.command, ...redactArgs(target.args ?? [])].join(' ');
  const quoted = noise.map((l) => `  > ${l}`).join('\n');
  return new ConnectError(
    `the server "${name}" wrote ${count} line${count === 1 ? '' : 's'} to stdout that ${count === 1 ? 'is' : 'are'} not JSON-RPC and did not answer initialize. ` +
      `stdout is reserved for MCP messages: the server must write its logs to stderr (check its logging setup or a --quiet/--stdio flag). It wrote:\n${quoted}${tailText(stderrTail)}`,
    stderrTail,
  );
}

/** Explain why connecting failed, from what the wire showed. */
export function describeConnectFailure(
  target: ServerTarget,
  built: BuiltTransport | undefined,
  err: unknown,
  timeoutMs: number,
): ConnectError {
  if (err instanceof ConnectError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const stdio = built?.stdio;
  if (target.transport === 'stdio' && stdio) {
    const tail = stdio.stderrTail;
    const name = [target.command, ...redactArgs(target.args ?? [])].join(' ');
    if (stdio.exit) {
      const how = stdio.exit.signal
        ? `was killed by ${stdio.exit.signal}`
        : `exited with code ${stdio.exit.code}`;
      return new ConnectError(
        `the server "${name}" ${how} before completing the MCP handshake.${tailText(tail)}`,
        tail,
      );
    }
    if (stdio.noiseCount > 0)
      return stdoutNoiseError(target, stdio.stdoutNoise, stdio.noiseCount, tail);
    if (/timed out|timeout/i.test(msg)) {
      return new ConnectError(
        `the server "${name}" did not answer initialize within ${timeoutMs} ms. Is it an MCP stdio server? (use --timeout to wait longer)${tailText(tail)}`,
        tail,
      );
    }
    return new ConnectError(
      `the MCP handshake with "${name}" failed: ${msg}${tailText(tail)}`,
      tail,
    );
  }
  if (target.transport !== 'stdio') {
    const url = redactUrl(target.url);
    const st = built?.http?.state;
    const f = st?.lastFailure;
    if (f?.status === 401 || f?.status === 403) {
      return new ConnectError(
        `HTTP ${f.status} from ${f.url}: the server wants credentials. If it uses OAuth, connect with --oauth (in the app: Authentication → OAuth); otherwise pass them with --header "Authorization: Bearer TOKEN" (in the app: the Headers field), or the header the server documents.`,
      );
    }
    if (f?.status === 404) {
      return new ConnectError(
        `HTTP 404 from ${f.url}: no MCP endpoint at that path. Check the URL (Streamable HTTP servers often use /mcp; legacy SSE servers use /sse with --sse).`,
      );
    }
    if (f?.status === 405 && target.transport !== 'sse') {
      return new ConnectError(
        `HTTP 405 from ${f.url}: the endpoint does not accept POST. If it is a legacy HTTP+SSE server, add --sse.`,
      );
    }
    if (f)
      return new ConnectError(
        `HTTP ${f.status} from ${f.url}: ${f.body.slice(0, 300) || 'no body'}`,
      );
    const net = st?.networkError;
    if (net?.code === 'ECONNREFUSED')
      return new ConnectError(
        `cannot connect to ${url}: connection refused. Is the server running and listening on that host and port?`,
      );
    if (net?.code === 'ENOTFOUND' || net?.code === 'EAI_AGAIN')
      return new ConnectError(
        `cannot connect to ${url}: host not found (${net.code}). Check the host name.`,
      );
    if (net)
      return new ConnectError(
        `cannot connect to ${url}: ${net.message}${net.code ? ` (${net.code})` : ''}`,
      );
    if (/timed out|timeout/i.test(msg))
      return new ConnectError(
        `${url} did not answer initialize within ${timeoutMs} ms (use --timeout to wait longer).`,
      );
    return new ConnectError(`cannot connect to ${url}: ${msg}`);
  }
  return new ConnectError(msg);
}
