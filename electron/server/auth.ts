// Who may talk to the local UI server. The official inspector's CVE-2025-49596 was a local server
// that any web page could drive; so every request must (1) be addressed to the loopback address and
// our port by name — a foreign Host means DNS rebinding, (2) come from our own origin when a browser
// says where it comes from, and (3) for the API, carry a session credential.
//
// No credential that still grants access ever sits in another process's argv, in a cookie (sent to
// every port on 127.0.0.1) or in browser history: the browser is given a single-use ticket that
// expires within a minute; the page trades it (POST /api/session) for a session credential it keeps
// in memory only, and presents that as a WebSocket subprotocol — never in a URL or a cookie.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { loopbackHosts } from '../../shared/net.js';

export interface AuthInput {
  host: string | undefined;
  origin: string | undefined;
}

export type AuthResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** The WebSocket subprotocol the page selects, and the prefix of the one carrying its credential. */
export const WS_PROTOCOL = 'mcpscope';
export const SESSION_PROTOCOL_PREFIX = 'mcpscope.session.';
export const TICKET_TTL_MS = 60_000;

/** The one loopback Host allow-list (shared/net.ts; knows [::1]). */
export const allowedHosts = loopbackHosts;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Host and Origin: ours, or refused (DNS rebinding, cross-site pages). */
export function checkOrigin(req: AuthInput, port: number): AuthResult {
  const hosts = allowedHosts(port);
  if (!req.host || !hosts.includes(req.host.toLowerCase())) {
    return {
      ok: false,
      status: 403,
      reason: `Host ${JSON.stringify(req.host ?? '')} is not ${hosts.join(' or ')} (DNS rebinding?)`,
    };
  }
  if (req.origin !== undefined && !hosts.some((h) => req.origin!.toLowerCase() === `http://${h}`)) {
    return {
      ok: false,
      status: 403,
      reason: `Origin ${JSON.stringify(req.origin)} is not this app`,
    };
  }
  return { ok: true };
}

/** The session credential offered by a WebSocket upgrade: a subprotocol, or `Authorization: Bearer`. */
export function offeredSession(
  protocols: string | undefined,
  authorization: string | undefined,
): string | undefined {
  for (const p of (protocols ?? '').split(',')) {
    const t = p.trim();
    if (t.startsWith(SESSION_PROTOCOL_PREFIX)) return t.slice(SESSION_PROTOCOL_PREFIX.length);
  }
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/** Tickets (single use, short-lived) and the sessions they were traded for. */
export class UiAuth {
  private readonly tickets = new Map<string, number>();
  private readonly sessions: string[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  issueTicket(ttlMs = TICKET_TTL_MS): string {
    const t = randomBytes(24).toString('base64url');
    this.tickets.set(t, this.now() + ttlMs);
    return t;
  }

  /** Trade a ticket for a new session credential; the ticket is spent either way. */
  redeem(ticket: string): string | undefined {
    for (const [t, expires] of this.tickets) {
      if (expires < this.now()) this.tickets.delete(t);
    }
    let hit: string | undefined;
    for (const t of this.tickets.keys()) if (same(t, ticket)) hit = t;
    if (hit === undefined) return undefined;
    this.tickets.delete(hit);
    const session = randomBytes(32).toString('base64url');
    this.sessions.push(session);
    return session;
  }

  /** A session credential minted here (for in-process tests and the Electron-free API clients). */
  newSession(): string {
    const session = randomBytes(32).toString('base64url');
    this.sessions.push(session);
    return session;
  }

  checkSession(given: string | undefined): AuthResult {
    if (given === undefined)
      return {
        ok: false,
        status: 401,
        reason: 'missing session: open the URL printed by `mcpscope ui` (its ticket works once)',
      };
    if (!this.sessions.some((s) => same(s, given)))
      return {
        ok: false,
        status: 403,
        reason: 'unknown session: run `mcpscope ui` again and open the URL it prints',
      };
    return { ok: true };
  }
}
