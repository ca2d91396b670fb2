// Transport weaknesses: plain HTTP to a host that is not this machine, credentials in URLs, and
// remote servers that answer without any authentication. A live scan calls `endpoint` with what
// it knows; a recorded session keeps its own state (`open`: were credentials sent, did the server
// answer) and reports once at the end.

import type {
  DetectContext,
  Detector,
  DetectorSession,
  EndpointView,
  SessionInfo,
} from './detector.js';
import { excerpt, maskSecret } from './mask.js';
import { OWASP_MCP, type Finding, type RuleInfo } from './types.js';
import { isLoopback } from '../net.js';
import { isAuthHeader, isCredentialParam } from '../secrets.js';

export const TRANSPORT_RULES: RuleInfo[] = [
  {
    id: 'transport.plain-http',
    title: 'Plain HTTP to a remote host',
    category: 'transport',
    severity: 'high',
    description:
      'The MCP server is reached over unencrypted HTTP on a host that is not loopback, so anyone on the path can read and change every tool call, result and token. Use HTTPS (or a loopback/SSH tunnel).',
    references: [
      OWASP_MCP.MCP07,
      'https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices',
    ],
  },
  {
    id: 'transport.token-in-url',
    title: 'Credential in the URL',
    category: 'transport',
    severity: 'high',
    description:
      'The server URL carries a credential (a token/key query parameter or user:password). URLs end up in logs, proxies, shell history and host configs. Move the credential to an Authorization header and rotate it.',
    references: [OWASP_MCP.MCP01, OWASP_MCP.MCP07],
  },
  {
    id: 'transport.no-auth',
    title: 'Remote server without authentication',
    category: 'transport',
    severity: 'medium',
    description:
      'A server on a non-loopback address answered requests that carried no credentials. Anyone who can reach it can use its tools. Put it behind authentication (MCP authorization / OAuth) or bind it to loopback.',
    references: [
      OWASP_MCP.MCP07,
      'https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization',
    ],
  },
];

export { isLoopback };

export const transportDetector: Detector = {
  id: 'transport',
  rules: TRANSPORT_RULES,
  endpoint: endpointFindings,
  open(s: SessionInfo): DetectorSession {
    let authenticated = false;
    let answered = false;
    return {
      onRecord({ record: r }) {
        if (r.type !== 'http') return [];
        if (r.dir === 'c2s' && !authenticated)
          authenticated = Object.keys(r.headers).some((name) => isAuthHeader(name));
        if (r.dir === 's2c' && r.status !== undefined && r.status >= 200 && r.status < 300)
          answered = true;
        return [];
      },
      finish(ctx) {
        const url = s.header?.source.url;
        if (!url) return [];
        const e: EndpointView = {
          url,
          authenticated,
          answered: answered || s.session.handshake.serverInfo !== undefined,
          seq: 0,
        };
        if (s.header?.source.transport) e.transport = s.header.source.transport;
        return endpointFindings(e, ctx);
      },
    };
  },
};

function endpointFindings(e: EndpointView, ctx: DetectContext): Finding[] {
  if (!e.url) return [];
  let u: URL;
  try {
    u = new URL(e.url);
  } catch {
    return [];
  }
  const target = (): Finding['target'] => {
    const t: Finding['target'] = { kind: 'server' };
    if (ctx.server !== undefined) t.server = ctx.server;
    if (e.seq !== undefined) t.seq = e.seq;
    return t;
  };
  const out: Finding[] = [];
  const remote = !isLoopback(u.hostname);
  if (u.protocol === 'http:' && remote) {
    out.push({
      rule: 'transport.plain-http',
      severity: 'high',
      title: TRANSPORT_RULES[0]!.title,
      message: `The server ${excerpt(u.host, 80)} is reached over plain http://; traffic and tokens travel unencrypted.`,
      target: target(),
      evidence: `${u.protocol}//${excerpt(u.host, 80)}`,
    });
  }
  const params = [...u.searchParams.keys()].filter((k) => isCredentialParam(k));
  if (u.password || params.length > 0) {
    const what = [u.password ? 'user:password' : '', ...params.map((p) => `?${p}=`)]
      .filter(Boolean)
      .join(', ');
    const value = u.password || u.searchParams.get(params[0] ?? '') || '';
    out.push({
      rule: 'transport.token-in-url',
      severity: 'high',
      title: TRANSPORT_RULES[1]!.title,
      message: `The server URL carries a credential (${what}).`,
      target: target(),
      evidence: maskSecret(value),
      dataClass: 'secret:url-credentials',
    });
  }
  if (remote && e.answered && e.authenticated === false && params.length === 0 && !u.password) {
    out.push({
      rule: 'transport.no-auth',
      severity: 'medium',
      title: TRANSPORT_RULES[2]!.title,
      message: `The remote server ${excerpt(u.host, 80)} answered without any credentials.`,
      target: target(),
    });
  }
  return out;
}
