// Opening an authorization URL the engine reported. Browser mode: a new tab. Electron: the shell's
// window-open handler sees the OAUTH_WINDOW_NAME and hands the URL to the system browser
// (electron/shell/navigation.ts windowOpenDecision). The URL comes from the server's metadata, so
// only http(s) is opened, never with credentials in it, and plain http only on loopback.

import { OAUTH_WINDOW_NAME } from '../../../shared/host-api.js';
import { isLoopback } from '../../../shared/net.js';

/** Why the URL will not be opened, or undefined when it may be. */
export function authorizationUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'the authorization URL is not a valid URL';
  }
  if (u.username || u.password) return 'the authorization URL carries a user name or password';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return undefined;
  return `mcpscope opens only https authorization URLs (or http on this machine), not ${u.protocol}//${u.host}`;
}

/** Open it in the system browser / a new tab; returns the problem instead when it may not be opened. */
export function openAuthorizationUrl(
  url: string,
  open: (url: string, target: string, features: string) => unknown = (u, t, f) =>
    window.open(u, t, f),
): string | undefined {
  const problem = authorizationUrlProblem(url);
  if (problem) return problem;
  open(url, OAUTH_WINDOW_NAME, 'noopener,noreferrer');
  return undefined;
}
