// Picks the HostApi adapter once, at start-up. Components never ask which one they got.
//   Electron: the preload exposes exactly one object, `window.mcpscope` — either a ready HostApi
//             or a HostTransport (send/onMessage) that we wrap with createHostClient.
//   Browser:  the local server (`mcpscope ui`) serves this page with `?token=…`; the API is a
//             WebSocket on the same origin at WS_PATH, authenticated with the same token.
//   Neither:  (the built files opened some other way) the app still works on imported captures.

import { createHostClient, webSocketTransport, type HostTransport, type WebSocketLike } from '../../../shared/host-client.js';
import type { HostApi } from '../../../shared/host-api.js';

export const WS_PATH = '/api';

declare global {
  interface Window {
    mcpscope?: unknown;
  }
}

function isTransport(v: unknown): v is HostTransport {
  return typeof v === 'object' && v !== null && typeof (v as HostTransport).send === 'function' && typeof (v as HostTransport).onMessage === 'function';
}

function isHostApi(v: unknown): v is HostApi {
  return typeof v === 'object' && v !== null && typeof (v as HostApi).appInfo === 'function' && typeof (v as HostApi).onRecords === 'function';
}

/** What pickHost reads from the page; injectable so the choice is unit-tested without a browser. */
export interface PageEnv {
  exposed: unknown;
  location: Pick<Location, 'protocol' | 'host' | 'pathname' | 'search' | 'hash'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  openWebSocket: (url: string) => WebSocketLike;
}

const TOKEN_KEY = 'mcpscope-token';

/** The token from `?token=` or `#token=`; removed from the address bar so it is not shared by copy-paste. */
export function takeToken(env: Pick<PageEnv, 'location' | 'history' | 'storage'>): string | undefined {
  const loc = env.location;
  const search = new URLSearchParams(loc.search);
  const hash = new URLSearchParams(loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash);
  const token = search.get('token') ?? hash.get('token') ?? undefined;
  if (token !== undefined) {
    // Kept for reloads of this tab only (sessionStorage), never in the address bar.
    env.storage.setItem(TOKEN_KEY, token);
    search.delete('token');
    const q = search.toString();
    env.history.replaceState(null, '', `${loc.pathname}${q ? `?${q}` : ''}`);
    return token;
  }
  return env.storage.getItem(TOKEN_KEY) ?? undefined;
}

export function pickHost(env: PageEnv = browserEnv()): HostApi | null {
  if (isHostApi(env.exposed)) return env.exposed;
  if (isTransport(env.exposed)) return createHostClient(env.exposed);
  const loc = env.location;
  if (loc.protocol === 'http:' || loc.protocol === 'https:') {
    const token = takeToken(env);
    if (token === undefined) return null;
    const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
    return createHostClient(webSocketTransport(env.openWebSocket(`${proto}//${loc.host}${WS_PATH}?token=${encodeURIComponent(token)}`)));
  }
  return null;
}

function browserEnv(): PageEnv {
  return { exposed: window.mcpscope, location, history, storage: sessionStorage, openWebSocket: (url) => new WebSocket(url) };
}
