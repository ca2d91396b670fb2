// The proxy's side toward the target: one keep-alive agent per protocol, request options built
// from the client's request, and plain-language descriptions of what went wrong.

import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { forwardableHeaders } from '../../../../shared/http/index.js';

export interface Upstream {
  target: URL;
  request(method: string, path: string, rawHeaders: readonly string[]): ClientRequest;
  destroy(): void;
}

export function createUpstream(target: URL): Upstream {
  const https = target.protocol === 'https:';
  // Keep-alive: a client's many small POSTs must not each pay a TCP (and TLS) handshake.
  const agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const port = target.port === '' ? (https ? 443 : 80) : Number(target.port);
  return {
    target,
    request(method, path, rawHeaders) {
      // The Host header names the target, so virtual hosts and TLS (SNI) see the name they expect.
      const headers = forwardableHeaders(rawHeaders, ['host']);
      headers.unshift('Host', target.host);
      const opts = { host: target.hostname.replace(/^\[|\]$/g, ''), port, method, path, headers, agent };
      return https ? httpsRequest(opts) : httpRequest(opts);
    },
    destroy() {
      agent.destroy();
    },
  };
}

export type UpstreamFailure = { status: number; code: string; message: string };

/** What to tell the client (and record) when the target could not give an answer. */
export function describeUpstreamError(err: NodeJS.ErrnoException, target: URL): UpstreamFailure {
  const t = target.host;
  switch (err.code) {
    case 'ECONNREFUSED':
      return { status: 502, code: err.code, message: `the target ${t} refused the connection (ECONNREFUSED). Is the server running and listening on that port?` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { status: 502, code: err.code, message: `the target host ${target.hostname} could not be resolved (${err.code}). Check the --target URL.` };
    case 'ECONNRESET':
    case 'EPIPE':
      return { status: 502, code: err.code, message: `the target ${t} closed the connection before answering (${err.code}).` };
    case 'ETIMEDOUT':
      return { status: 504, code: err.code, message: `the target ${t} did not answer in time (${err.message}). Raise --timeout if the server is just slow.` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { status: 502, code: err.code, message: `the target ${t} is unreachable (${err.code}). Check the network and the --target URL.` };
    default:
      if (err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT')) {
        return { status: 502, code: err.code, message: `TLS with the target ${t} failed (${err.code}): ${err.message}` };
      }
      return { status: 502, code: err.code ?? 'EPROXY', message: `the request to the target ${t} failed: ${err.message}` };
  }
}

export class UpstreamTimeout extends Error {
  code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`no response headers within ${ms} ms`);
  }
}

/** Content-Type of a response, for choosing how to record its body. */
export function contentTypeOf(res: IncomingMessage): string | undefined {
  const v = res.headers['content-type'];
  return typeof v === 'string' ? v : undefined;
}
