// Picks the HostApi adapter once, at start-up. Components never ask which one they got.
//   Electron: the preload exposes exactly one object, `window.mcpscope` — either a ready HostApi
//             or a HostTransport (send/onMessage) that we wrap with createHostClient.
//   Browser:  `mcpscope ui` opens this page with a single-use `#ticket=…`; the page trades it for
//             a session credential (kept in memory) and opens the WebSocket at WS_PATH with it.
//   Neither:  (the built files opened some other way) the app still works on imported captures.

import {
  createHostClient,
  webSocketTransport,
  type ClientMessage,
  type HostMessage,
  type HostTransport,
  type WebSocketLike,
} from '../../../shared/host-client.js';
import type { HostApi } from '../../../shared/host-api.js';

export const WS_PATH = '/api';

declare global {
  interface Window {
    mcpscope?: unknown;
  }
}

function isTransport(v: unknown): v is HostTransport {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as HostTransport).send === 'function' &&
    typeof (v as HostTransport).onMessage === 'function'
  );
}

function isHostApi(v: unknown): v is HostApi {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as HostApi).appInfo === 'function' &&
    typeof (v as HostApi).onRecords === 'function'
  );
}

/** What pickHost reads from the page; injectable so the choice is unit-tested without a browser. */
export interface PageEnv {
  exposed: unknown;
  location: Pick<Location, 'protocol' | 'host' | 'pathname' | 'search' | 'hash'>;
  history: Pick<History, 'replaceState'>;
  /** Trade a ticket for a session credential (POST /api/session). */
  exchange: (ticket: string) => Promise<string>;
  openWebSocket: (url: string, protocols: string[]) => WebSocketLike;
}

/** The WebSocket subprotocols: the app's, and the one that carries the session credential. */
export const WS_PROTOCOL = 'mcpscope';
export const SESSION_PROTOCOL_PREFIX = 'mcpscope.session.';

/**
 * The single-use ticket from `#ticket=` (or `?ticket=`), removed from the address bar at once so
 * it is neither shared by copy-paste nor kept in history. It is spent by the exchange anyway.
 */
export function takeTicket(env: Pick<PageEnv, 'location' | 'history'>): string | undefined {
  const loc = env.location;
  const search = new URLSearchParams(loc.search);
  const hash = new URLSearchParams(loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash);
  const ticket = hash.get('ticket') ?? search.get('ticket') ?? undefined;
  if (ticket === undefined) return undefined;
  search.delete('ticket');
  const q = search.toString();
  env.history.replaceState(null, '', `${loc.pathname}${q ? `?${q}` : ''}`);
  return ticket;
}

/**
 * A HostTransport that first trades the ticket for a session credential (kept in this closure
 * only: not in storage, a cookie or a URL), then opens the WebSocket with it as a subprotocol.
 * Messages sent meanwhile are queued.
 */
function ticketTransport(env: PageEnv, ticket: string): HostTransport {
  const loc = env.location;
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const queue: ClientMessage[] = [];
  const listeners = new Set<(msg: HostMessage) => void>();
  const closers: ((reason: string) => void)[] = [];
  let inner: HostTransport | undefined;
  let failed: string | undefined;
  env
    .exchange(ticket)
    .then((session) => {
      const t = webSocketTransport(
        env.openWebSocket(`${proto}//${loc.host}${WS_PATH}`, [
          WS_PROTOCOL,
          `${SESSION_PROTOCOL_PREFIX}${session}`,
        ]),
      );
      t.onMessage((m) => listeners.forEach((l) => l(m)));
      t.onClose?.((r) => closers.forEach((c) => c(r)));
      inner = t;
      for (const m of queue.splice(0)) t.send(m);
    })
    .catch((e: unknown) => {
      failed = `mcpscope refused this page's ticket (${(e as Error).message}); run \`mcpscope ui\` again and open the URL it prints`;
      closers.forEach((c) => c(failed!));
    });
  return {
    send(msg) {
      if (failed) throw new Error(failed);
      if (inner) inner.send(msg);
      else queue.push(msg);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closers.push(listener);
    },
  };
}

export function pickHost(env: PageEnv = browserEnv()): HostApi | null {
  if (isHostApi(env.exposed)) return env.exposed;
  if (isTransport(env.exposed)) return createHostClient(env.exposed);
  const loc = env.location;
  if (loc.protocol === 'http:' || loc.protocol === 'https:') {
    const ticket = takeTicket(env);
    if (ticket === undefined) return null;
    return createHostClient(ticketTransport(env, ticket));
  }
  return null;
}

async function exchangeTicket(ticket: string): Promise<string> {
  const res = await fetch('/api/session', {
    method: 'POST',
    headers: { authorization: `Ticket ${ticket}` },
    cache: 'no-store',
    credentials: 'omit',
  });
  const body = (await res.json()) as { session?: string; error?: string };
  if (!res.ok || typeof body.session !== 'string')
    throw new Error(body.error ?? `HTTP ${res.status}`);
  return body.session;
}

function browserEnv(): PageEnv {
  return {
    exposed: window.mcpscope,
    location,
    history,
    exchange: exchangeTicket,
    openWebSocket: (url, protocols) => new WebSocket(url, protocols),
  };
}
