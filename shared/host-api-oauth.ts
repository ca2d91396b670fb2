// Part of the host API (see host-api.ts): OAuth for client connections made in the app. A
// `connect` with `auth: "oauth"` (Streamable HTTP or SSE) runs the flow in the engine: discovery,
// registration, the authorization URL the user opens, the loopback redirect, the token exchange;
// later a refresh on a 401. Every step is pushed as `onOAuth`. Tokens stay in the engine's memory:
// they are never in these payloads, in a saved profile or in the capture.

/** One step of a flow. `detail` may quote the server (URLs, error bodies): show it escaped. */
export interface OAuthStepInfo {
  step: string;
  ok: boolean;
  detail: string;
}

export type OAuthFlowStatus = 'authorizing' | 'waiting-for-user' | 'authorized' | 'failed';

export interface OAuthFlowInfo {
  /** The connection being authorized. */
  connectionId: string;
  /** The server's URL (credentials redacted). */
  serverUrl: string;
  status: OAuthFlowStatus;
  /** While `waiting-for-user`: the address the user opens to approve access. */
  authorizationUrl?: string;
  steps: OAuthStepInfo[];
  /** When failed: which step, why (server text, escape it) and what to do. */
  failure?: { step: string; reason: string; hint: string };
}

export interface OAuthCommands {
  /** Every flow of this run of the app (one per OAuth connection), oldest first. */
  listOAuthFlows: { args: undefined; result: OAuthFlowInfo[] };
  /** Stop waiting for the user's approval: the connect fails at "authorization redirect". */
  cancelOAuth: { args: { connectionId: string }; result: { cancelled: boolean } };
}

export interface OAuthEvents {
  /** A flow started, took a step, waits for the user, finished or failed. */
  onOAuth: OAuthFlowInfo;
}

export const OAUTH_COMMAND_FLAGS: Record<keyof OAuthCommands, true> = {
  listOAuthFlows: true,
  cancelOAuth: true,
};

export const OAUTH_EVENT_FLAGS: Record<keyof OAuthEvents, true> = { onOAuth: true };

/**
 * The window name the UI opens an authorization URL under. The Electron shell hands such a URL to
 * the system browser even when it is plain http on a loopback address (a local authorization
 * server); any other window.open keeps the https-only rule.
 */
export const OAUTH_WINDOW_NAME = 'mcpscope-oauth';
