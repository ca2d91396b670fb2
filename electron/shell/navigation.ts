// Where the Electron window may go: nowhere. The UI is a single page served by our own scheme;
// a link in server-sent content must never navigate the app window or open a new one. http(s)
// links the user explicitly opens are handed to the system browser; everything else is dropped.

import { APP_HOST, APP_SCHEME } from './ipc.js';
import { OAUTH_WINDOW_NAME } from '../../shared/host-api-oauth.js';
import { isLoopback } from '../../shared/net.js';

export type NavigationDecision = 'allow' | 'deny';
export type WindowOpenDecision = { action: 'deny'; openExternal?: string };

/** will-navigate / will-redirect: stay on our own origin. */
export function navigationDecision(url: string): NavigationDecision {
  try {
    // WHATWG URL gives custom schemes an opaque origin ("null"), so compare scheme and host.
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST ? 'allow' : 'deny';
  } catch {
    return 'deny';
  }
}

/**
 * setWindowOpenHandler: never a new Electron window; https links go to the system browser. An
 * OAuth authorization URL (opened under OAUTH_WINDOW_NAME by renderer/src/oauth/open.ts) may also
 * be plain http on a loopback address: a local authorization server.
 */
export function windowOpenDecision(url: string, frameName = ''): WindowOpenDecision {
  try {
    const u = new URL(url);
    // Only https, and never with credentials in the URL: the browser would send them.
    const local =
      frameName === OAUTH_WINDOW_NAME && u.protocol === 'http:' && isLoopback(u.hostname);
    if ((u.protocol === 'https:' || local) && !u.username && !u.password)
      return { action: 'deny', openExternal: u.toString() };
  } catch {
    // not a URL
  }
  return { action: 'deny' };
}

/** Permission requests from the page (camera, notifications, …): the UI needs none. */
export function permissionDecision(_permission: string): boolean {
  return false;
}
