// The proxy's side toward the target: connecting to it, and plain-language descriptions of what
// went wrong.

import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export type UpstreamFailure = { status: number; code: string; message: string };

/** What to tell the client (and record) when the target could not give an answer. */
export function describeUpstreamError(err: NodeJS.ErrnoException, target: URL): UpstreamFailure {
  const t = target.host;
  switch (err.code) {
    case 'ECONNREFUSED':
      return {
        status: 502,
        code: err.code,
        message: `the target ${t} refused the connection (ECONNREFUSED). Is the server running and listening on that port?`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        status: 502,
        code: err.code,
        message: `the target host ${target.hostname} could not be resolved (${err.code}). Check the --target URL.`,
      };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        status: 502,
        code: err.code,
        message: `the target ${t} closed the connection before answering (${err.code}).`,
      };
    case 'ETIMEDOUT':
      return {
        status: 504,
        code: err.code,
        message: `the target ${t} did not answer in time (${err.message}). Raise --timeout if the server is just slow.`,
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {
        status: 502,
        code: err.code,
        message: `the target ${t} is unreachable (${err.code}). Check the network and the --target URL.`,
      };
    default:
      if (err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT')) {
        return {
          status: 502,
          code: err.code,
          message: `TLS with the target ${t} failed (${err.code}): ${err.message}`,
        };
      }
      return {
        status: 502,
        code: err.code ?? 'EPROXY',
        message: `the request to the target ${t} failed: ${err.message}`,
      };
  }
}

export class UpstreamTimeout extends Error {
  code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`no response headers within ${ms} ms`);
  }
}

/**
 * A new TCP (or TLS) connection to the target. TLS verifies the certificate against the target's
 * name (SNI too, unless it is an address) and offers HTTP/1.1 only.
 */
export function connectTarget(t: URL): Socket {
  const https = t.protocol === 'https:';
  const host = t.hostname.replace(/^\[|\]$/g, '');
  const port = t.port === '' ? (https ? 443 : 80) : Number(t.port);
  const sock = https
    ? tlsConnect({
        host,
        port,
        servername: isIP(host) ? undefined : host,
        ALPNProtocols: ['http/1.1'],
      })
    : netConnect({ host, port, noDelay: true });
  sock.setNoDelay(true);
  return sock;
}
