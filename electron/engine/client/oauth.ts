// OAuth for client mode (Streamable HTTP servers that answer 401): the SDK's client auth
// (@modelcontextprotocol/sdk/client/auth.js) does protected-resource and authorization-server
// metadata discovery, dynamic client registration, PKCE and the token exchange; this file gives
// it a provider whose redirect is a loopback listener on 127.0.0.1, and records every step.
//
// Tokens and the registered client are kept in memory only, for the life of the process; nothing
// is written to disk. The same provider goes to the transport (transports.ts), so the SDK sends
// the token and refreshes it on a 401.

import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { spawnProcess } from '../spawn.js';

/** One step of the flow, as shown to the user and written to the capture. */
export interface OAuthStep {
  step: string;
  ok: boolean;
  detail: string;
}

export interface OAuthOptions {
  /** Open the authorization URL in the browser (default true); it is always printed. */
  open?: boolean;
  /** Where the authorization URL and progress lines go (the CLI's stderr). */
  print: (line: string) => void;
  /** How long to wait for the browser to come back to the loopback redirect (default 5 min). */
  waitMs?: number;
  scope?: string;
  /** Called after every change of `steps`, `status` or `authorizationUrl` (the app's live view). */
  onChange?: (s: OAuthSession) => void;
}

/** Where a flow is: discovering/registering, waiting for the user, done, or failed. */
export type OAuthStatus = 'authorizing' | 'waiting-for-user' | 'authorized' | 'failed';

/** The flow failed; `step` names the step, the message says why and what to do. */
export class OAuthError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`OAuth failed at "${step}": ${message}`);
  }
}

/** What a session writes to: the connection's recorder (notes and errors in the capture). */
export interface OAuthRecorder {
  note(text: string): void;
  error(where: string, message: string): void;
}

class LoopbackProvider implements OAuthClientProvider {
  redirect = '';
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';
  readonly expectedState = randomBytes(16).toString('hex');
  authorizationUrl: URL | undefined;

  constructor(
    private readonly log: (step: string, detail: string) => void,
    /** The SDK asked for a new authorization after the flow had finished (a refresh failed). */
    private readonly reauth: (url: URL) => void,
  ) {}
  /** Set once the first authorization is done: later redirects come from a failed refresh. */
  done = false;

  get redirectUrl(): string {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'mcpscope',
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state(): string {
    return this.expectedState;
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
    this.log('dynamic client registration', `registered as client ${info.client_id}`);
  }
  tokens(): OAuthTokens | undefined {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens): void {
    const refreshed = this.saved !== undefined;
    this.saved = tokens;
    this.log(
      refreshed ? 'token refresh' : 'token exchange',
      `${tokens.token_type} token received${tokens.expires_in !== undefined ? `, expires in ${tokens.expires_in} s` : ''}${tokens.refresh_token ? ', with a refresh token' : ''} (kept in memory only)`,
    );
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
    if (this.done) this.reauth(url);
  }
  saveCodeVerifier(v: string): void {
    this.verifier = v;
    this.log(
      'PKCE',
      'code verifier made; the challenge (S256) goes with the authorization request',
    );
  }
  codeVerifier(): string {
    return this.verifier;
  }
}

/** Names the request a fetch made during the flow, from its URL. */
function stepOf(url: URL, method: string): string {
  const p = url.pathname;
  if (p.includes('/.well-known/oauth-protected-resource')) return 'protected-resource metadata';
  if (p.includes('/.well-known/oauth-authorization-server') || p.includes('openid-configuration'))
    return 'authorization-server metadata';
  if (method === 'POST' && /regist/i.test(p)) return 'dynamic client registration';
  if (method === 'POST' && /token/i.test(p)) return 'token request';
  return `${method} ${url.origin}${p}`;
}

/** One OAuth authorization for one server URL: run `authorize` before connecting. */
export class OAuthSession {
  readonly steps: OAuthStep[] = [];
  readonly provider: LoopbackProvider;
  private rec: OAuthRecorder | undefined;
  status: OAuthStatus = 'authorizing';
  /** The connection this flow authorizes (set by authorize). */
  connectionId: string | undefined;
  /** The server URL being authorized (set by authorize). */
  serverUrl = '';
  /** Rejects the wait for the browser (cancel). */
  private stopWait: ((e: Error) => void) | undefined;

  constructor(private readonly o: OAuthOptions) {
    this.provider = new LoopbackProvider(
      (step, detail) => this.ok(step, detail),
      () => {
        this.status = 'failed';
        this.push({
          step: 'token refresh',
          ok: false,
          detail:
            'the authorization server did not renew the token; the server asks for a new authorization. Reconnect to authorize again.',
        });
      },
    );
  }

  /** The authorization URL the user must open, once the flow reached that step. */
  get authorizationUrl(): string | undefined {
    return this.provider.authorizationUrl?.href;
  }

  private push(s: OAuthStep): void {
    this.steps.push(s);
    if (s.ok) this.rec?.note(`oauth: ${s.step}: ${s.detail}`);
    else this.rec?.error('oauth', `${s.step}: ${s.detail}`);
    this.o.onChange?.(this);
  }

  private ok(step: string, detail: string): void {
    this.push({ step, ok: true, detail });
  }

  private fail(step: string, detail: string): OAuthError {
    this.status = 'failed';
    this.push({ step, ok: false, detail });
    return new OAuthError(step, detail);
  }

  /** Stop waiting for the browser: the flow fails at the authorization redirect. */
  cancel(): boolean {
    if (!this.stopWait) return false;
    this.stopWait(new Error('cancelled'));
    return true;
  }

  /**
   * The fetch for the OAuth requests the transport makes later (a refresh on a 401): the same
   * steps are recorded as notes, and no token or request body reaches the capture.
   */
  get fetch(): (input: string | URL, init?: RequestInit) => Promise<Response> {
    return this.fetchFn;
  }

  /** The fetch the SDK's auth uses: every discovery, registration and token request is noted. */
  private readonly fetchFn = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const step = stepOf(url, method);
    let res: Response;
    try {
      res = await fetch(input, init);
    } catch (e) {
      throw this.fail(step, `${method} ${url.href} could not be reached: ${(e as Error).message}`);
    }
    const detail = `${method} ${url.origin}${url.pathname} → ${res.status}`;
    // A 404 only makes the SDK try the next well-known place; other errors are failures, and
    // the body of an error (an OAuth error object) says why.
    if (res.ok || res.status === 404) this.ok(step, detail);
    else this.push({ step, ok: false, detail: `${detail}${await errorText(res)}` });
    return res;
  };

  /** Discover, register, authorize (browser + loopback redirect) and get tokens for `serverUrl`. */
  async authorize(serverUrl: string, rec: OAuthRecorder, connectionId?: string): Promise<void> {
    this.rec = rec;
    this.serverUrl = serverUrl;
    if (connectionId !== undefined) this.connectionId = connectionId;
    const loop = await listenLoopback();
    this.provider.redirect = `http://127.0.0.1:${loop.port}/callback`;
    this.ok('loopback redirect', `listening at ${this.provider.redirect}`);
    try {
      const first = await this.run(serverUrl, undefined);
      if (first === 'AUTHORIZED') return this.authorized();
      const url = this.provider.authorizationUrl;
      if (!url)
        throw this.fail('authorization request', 'the SDK asked for a redirect but gave no URL');
      this.status = 'waiting-for-user';
      this.ok('authorization request', url.href);
      this.o.print(`mcpscope: open this URL to authorize mcpscope:\n  ${url.href}`);
      if (this.o.open !== false) openBrowser(url.href);
      const waitMs = this.o.waitMs ?? 300_000;
      const cancelled = new Promise<never>((_, reject) => (this.stopWait = reject));
      const back = await Promise.race([loop.next(waitMs), cancelled]).catch((e: unknown) => {
        throw this.fail(
          'authorization redirect',
          (e as Error).message === 'cancelled'
            ? 'cancelled before the authorization server redirected back. Connect again to start over.'
            : `no redirect reached ${this.provider.redirect} within ${Math.round(waitMs / 1000)} s. Open the URL above and approve access.`,
        );
      });
      this.stopWait = undefined;
      this.status = 'authorizing';
      this.o.onChange?.(this);
      const error = back.searchParams.get('error');
      if (error)
        throw this.fail(
          'authorization redirect',
          `the authorization server refused: ${error}${back.searchParams.get('error_description') ? ` (${back.searchParams.get('error_description')})` : ''}`,
        );
      if (back.searchParams.get('state') !== this.provider.expectedState)
        throw this.fail('authorization redirect', 'the state parameter did not match; ignored');
      const code = back.searchParams.get('code');
      if (!code) throw this.fail('authorization redirect', 'the redirect carried no code');
      this.ok('authorization redirect', 'authorization code received');
      if ((await this.run(serverUrl, code)) !== 'AUTHORIZED')
        throw this.fail('token exchange', 'the server asked for a new authorization');
      this.authorized();
    } finally {
      this.stopWait = undefined;
      loop.close();
    }
  }

  private authorized(): void {
    this.status = 'authorized';
    this.provider.done = true;
    this.o.onChange?.(this);
  }

  private async run(serverUrl: string, code: string | undefined): Promise<string> {
    try {
      return await auth(this.provider, {
        serverUrl,
        ...(code !== undefined ? { authorizationCode: code } : {}),
        ...(this.o.scope !== undefined ? { scope: this.o.scope } : {}),
        fetchFn: this.fetchFn,
      });
    } catch (e) {
      if (e instanceof OAuthError) throw e;
      const last = this.steps.at(-1)?.step ?? 'discovery';
      throw this.fail(code === undefined ? last : 'token exchange', (e as Error).message);
    }
  }
}

/** The body of a failed OAuth response, short (an OAuth error object says why). */
async function errorText(res: Response): Promise<string> {
  try {
    const text = (await res.clone().text()).slice(0, 500);
    return text ? `: ${text}` : '';
  } catch {
    return '';
  }
}

interface Loopback {
  port: number;
  next(ms: number): Promise<URL>;
  close(): void;
}

/** A one-shot HTTP listener on 127.0.0.1 for the authorization redirect. */
async function listenLoopback(): Promise<Loopback> {
  let got: ((u: URL) => void) | undefined;
  const arrived: URL[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('mcpscope: authorization received. You can close this tab.\n');
    if (got) got(u);
    else arrived.push(u);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const a = server.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0,
    next: (ms) =>
      new Promise<URL>((resolve, reject) => {
        const first = arrived.shift();
        if (first) return resolve(first);
        const t = setTimeout(() => reject(new Error('timeout')), ms);
        t.unref();
        got = (u) => {
          clearTimeout(t);
          got = undefined;
          resolve(u);
        };
      }),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Best effort: the URL is printed anyway. */
function openBrowser(url: string): void {
  const cmd =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawnProcess(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // printed above
  }
}
