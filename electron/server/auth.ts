// Who may talk to the local UI server. The official inspector's CVE-2025-49596 was a local server
// that any web page could drive; so every request must (1) be addressed to the loopback address and
// our port by name — a foreign Host means DNS rebinding, (2) come from our own origin when a browser
// says where it comes from, and (3) carry the per-launch token.

import { timingSafeEqual } from 'node:crypto';
import { loopbackHosts } from '../../shared/net.js';

export interface AuthInput {
  host: string | undefined;
  origin: string | undefined;
  /** Request target (path and query). */
  url: string | undefined;
  cookie: string | undefined;
  authorization: string | undefined;
}

export type AuthResult =
  | { ok: true; /** The token came in the query: set the cookie so assets and the WebSocket are authorised too. */ setCookie: boolean }
  | { ok: false; status: 401 | 403; reason: string };

export function cookieName(port: number): string {
  return `mcpscope_token_${port}`;
}

/** The one loopback Host allow-list (shared/net.ts; knows [::1]). */
export const allowedHosts = loopbackHosts;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function checkRequest(req: AuthInput, expect: { token: string; port: number }): AuthResult {
  const hosts = allowedHosts(expect.port);
  if (!req.host || !hosts.includes(req.host.toLowerCase())) {
    return { ok: false, status: 403, reason: `Host ${JSON.stringify(req.host ?? '')} is not ${hosts.join(' or ')} (DNS rebinding?)` };
  }
  if (req.origin !== undefined && !hosts.some((h) => req.origin!.toLowerCase() === `http://${h}`)) {
    return { ok: false, status: 403, reason: `Origin ${JSON.stringify(req.origin)} is not this app` };
  }
  let query: string | null;
  try {
    query = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  } catch {
    return { ok: false, status: 403, reason: 'malformed request target' };
  }
  const bearer = req.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const cookie = readCookie(req.cookie, cookieName(expect.port));
  const given = query ?? bearer ?? cookie;
  if (given === undefined) {
    return { ok: false, status: 401, reason: 'missing token: open the URL printed by `mcpscope ui` (it ends in ?token=…)' };
  }
  if (!sameToken(given, expect.token)) {
    return { ok: false, status: 403, reason: 'wrong token: it changes at every launch; use the URL printed by this `mcpscope ui`' };
  }
  return { ok: true, setCookie: query !== null };
}
