// The proxy's side toward the target: plain-language descriptions of what went wrong.

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
