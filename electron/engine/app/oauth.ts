// OAuth flows of the app's connections: a `connect` with `auth: "oauth"` gets an OAuthSession
// (client/oauth.ts) that never opens a browser itself; its authorization URL goes to the UI in an
// `onOAuth` event, the user opens it, and the loopback redirect completes the flow. Every step is
// pushed to the UI as it happens. Tokens stay inside the session (in memory): an OAuthFlowInfo
// carries steps, the authorization URL and the failure, never a token.

import type { HostEventSink, OAuthFlowInfo, OAuthStepInfo } from '../../../shared/host-api.js';
import { redactUrl } from '../../../shared/capture/index.js';
import { OAuthSession } from '../client/oauth.js';

/** How long a flow waits for the user to approve in the browser. */
export const OAUTH_WAIT_MS = 5 * 60_000;
/** Flows kept for listOAuthFlows (oldest dropped first). */
const MAX_FLOWS = 50;
const MAX_DETAIL = 2000;

/** What to do when `step` failed, in words. */
export function oauthHint(step: string): string {
  switch (step) {
    case 'loopback redirect':
      return 'mcpscope could not listen on 127.0.0.1 for the redirect; check that local ports can be opened.';
    case 'protected-resource metadata':
      return 'The server publishes no OAuth protected-resource metadata (RFC 9728, /.well-known/oauth-protected-resource). Check the URL; if the server uses a fixed token instead of OAuth, use the bearer token option.';
    case 'authorization-server metadata':
      return "The authorization server's metadata (RFC 8414 /.well-known/oauth-authorization-server or OpenID configuration) could not be read. Check that the authorization server is running and reachable, then connect again.";
    case 'dynamic client registration':
      return 'The authorization server refused to register mcpscope as a client (RFC 7591). If it does not allow dynamic registration, get a token another way and use the bearer token option.';
    case 'PKCE':
    case 'authorization request':
      return "mcpscope could not build the authorization request from the server's metadata; the reason above names what was missing.";
    case 'authorization redirect':
      return 'Open the authorization URL and approve access; the browser must then reach the 127.0.0.1 redirect on this machine. Connect again to start over.';
    case 'token request':
    case 'token exchange':
      return 'The authorization server refused to issue a token for the code; connect again to start a new authorization.';
    case 'token refresh':
      return 'The token expired and could not be renewed; reconnect to authorize again.';
    default:
      return 'Check the server URL and that its authorization server is reachable, then connect again.';
  }
}

function clip(s: string): string {
  return s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s;
}

/** The UI's view of a flow: steps and status, never a token. */
export function flowInfo(s: OAuthSession): OAuthFlowInfo {
  const steps: OAuthStepInfo[] = s.steps.map((x) => ({
    step: x.step,
    ok: x.ok,
    detail: clip(x.detail),
  }));
  const info: OAuthFlowInfo = {
    connectionId: s.connectionId ?? '',
    serverUrl: s.serverUrl ? redactUrl(s.serverUrl) : '',
    status: s.status,
    steps,
  };
  if (s.status === 'waiting-for-user' && s.authorizationUrl)
    info.authorizationUrl = s.authorizationUrl;
  if (s.status === 'failed') {
    // The first failed step is the cause; later ones are the SDK's account of the same failure.
    const i = steps.findIndex((x) => !x.ok);
    const first = steps[i];
    if (first) {
      const reasons = steps
        .slice(i)
        .filter((x) => !x.ok && x.step === first.step)
        .map((x) => x.detail);
      info.failure = {
        step: first.step,
        reason: [...new Set(reasons)].join('; '),
        hint: oauthHint(first.step),
      };
    }
  }
  return info;
}

export class AppOAuth {
  private readonly flows = new Map<string, OAuthSession>();

  constructor(private readonly emit: HostEventSink) {}

  /** A new flow for one connect; it reports itself once `authorize` names its connection. */
  session(): OAuthSession {
    return new OAuthSession({
      open: false,
      print: () => undefined,
      waitMs: OAUTH_WAIT_MS,
      onChange: (s) => this.changed(s),
    });
  }

  private changed(s: OAuthSession): void {
    const id = s.connectionId;
    if (id === undefined) return;
    if (!this.flows.has(id)) {
      this.flows.set(id, s);
      for (const k of this.flows.keys()) {
        if (this.flows.size <= MAX_FLOWS) break;
        this.flows.delete(k);
      }
    }
    this.emit('onOAuth', flowInfo(s));
  }

  list(): OAuthFlowInfo[] {
    return [...this.flows.values()].map(flowInfo);
  }

  cancel(connectionId: string): boolean {
    return this.flows.get(connectionId)?.cancel() ?? false;
  }

  /** Cancel every flow still waiting for the user (the app is closing). */
  dispose(): void {
    for (const s of this.flows.values()) s.cancel();
  }
}
