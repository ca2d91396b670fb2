// Picks the HostApi adapter once, at start-up. Components never ask which one they got.
//   Electron: the preload exposes exactly one object, `window.mcpscope` — either a ready HostApi
//             or a HostTransport (send/onMessage) that we wrap with createHostClient.
//   Browser:  the local server (`mcpscope ui`) serves this page with `?token=…`; the API is a
//             WebSocket on the same origin at WS_PATH, authenticated with the same token.
//   Neither:  (the built files opened some other way) the app still works on imported captures.

import { createHostClient, webSocketTransport, type HostTransport } from '../../../shared/host-client.js';
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

/** The token from `?token=` or `#token=`; removed from the address bar so it is not shared by copy-paste. */
export function takeToken(loc: Location, history: History): string | undefined {
  const search = new URLSearchParams(loc.search);
  const hash = new URLSearchParams(loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash);
  const token = search.get('token') ?? hash.get('token') ?? undefined;
  if (token !== undefined) {
    // Keep it for reloads of this tab only.
    sessionStorage.setItem('mcpscope-token', token);
    search.delete('token');
    const q = search.toString();
    history.replaceState(null, '', `${loc.pathname}${q ? `?${q}` : ''}`);
    return token;
  }
  return sessionStorage.getItem('mcpscope-token') ?? undefined;
}

export function pickHost(): HostApi | null {
  const exposed = window.mcpscope;
  if (isHostApi(exposed)) return exposed;
  if (isTransport(exposed)) return createHostClient(exposed);
  if (location.protocol === 'http:' || location.protocol === 'https:') {
    const token = takeToken(location, history);
    if (token === undefined) return null;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`);
    return createHostClient(webSocketTransport(ws));
  }
  return null;
}
