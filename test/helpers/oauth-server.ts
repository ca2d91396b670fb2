// An OAuth-protected Streamable HTTP MCP server on 127.0.0.1, built from the SDK's own server auth
// (mcpAuthRouter: PRM + AS metadata, dynamic registration, /authorize, /token; requireBearerAuth)
// and a small in-memory provider written here. The provider approves every authorization at once
// (no login page), issues access tokens that live `accessTtlMs`, and refresh tokens that work, so
// tests can see the client refresh. `fail` makes one step of the flow fail, for error tests.
// Shared by test/integration/client-oauth.test.ts and test/e2e/oauth.test.ts (one copy).

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import {
  mcpAuthRouter,
  getOAuthProtectedResourceMetadataUrl,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type {
  AuthorizationParams,
  OAuthServerProvider,
} from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import {
  InvalidGrantError,
  InvalidTokenError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type {
  OAuthClientInformationFull,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

// express comes with the SDK (its server auth is express middleware); it has no types here, so
// the little of it this fixture uses is typed below.
type Req = IncomingMessage & { body?: unknown; path?: string };
type Res = ServerResponse & { redirect(url: string): void };
type Handler = (req: Req, res: Res, next: () => void) => unknown;
interface ExpressApp {
  use(h: unknown): void;
  post(path: string, ...h: Handler[]): void;
  get(path: string, ...h: Handler[]): void;
  listen(port: number, host: string): Server;
}
const express = createRequire(import.meta.url)('express') as (() => ExpressApp) & {
  json(): Handler;
};

/** Which step of the flow the server makes fail. */
export type OAuthFailure = 'none' | 'as-metadata-500' | 'registration-refused';

export interface OAuthServerOptions {
  /** Lifetime of an access token (default 1 h). */
  accessTtlMs?: number;
}

export interface OAuthTestServer {
  /** The MCP endpoint (…/mcp). */
  mcpUrl: string;
  /** The legacy HTTP+SSE endpoint (…/sse), behind the same bearer check. */
  sseUrl: string;
  base: string;
  /** Change at any time: the next flow fails at that step. */
  fail: OAuthFailure;
  /** Tokens issued so far (access and refresh), to check they never reach a file. */
  issued: { access: string[]; refresh: string[] };
  /** How many refresh_token grants were served. */
  refreshes: number;
  close(): Promise<void>;
}

interface Issued {
  clientId: string;
  scopes: string[];
  expiresAt: number;
  resource?: URL;
}

class TestProvider implements OAuthServerProvider {
  private readonly clients = new Map<string, OAuthClientInformationFull>();
  private readonly codes = new Map<string, { client: string; params: AuthorizationParams }>();
  private readonly access = new Map<string, Issued>();
  private readonly refresh = new Map<string, Issued>();

  constructor(
    private readonly ttlMs: number,
    private readonly state: OAuthTestServer,
  ) {}

  get clientsStore(): OAuthRegisteredClientsStore {
    return {
      getClient: (id) => this.clients.get(id),
      registerClient: (c) => {
        const full = { ...c, client_id: randomUUID(), client_id_issued_at: Date.now() / 1000 };
        this.clients.set(full.client_id, full);
        return full;
      },
    };
  }

  async authorize(
    client: OAuthClientInformationFull,
    params: AuthorizationParams,
    res: Res,
  ): Promise<void> {
    const code = randomUUID();
    this.codes.set(code, { client: client.client_id, params });
    const to = new URL(params.redirectUri);
    to.searchParams.set('code', code);
    if (params.state !== undefined) to.searchParams.set('state', params.state);
    res.redirect(to.href);
  }

  async challengeForAuthorizationCode(
    _client: OAuthClientInformationFull,
    code: string,
  ): Promise<string> {
    const c = this.codes.get(code);
    if (!c) throw new Error('unknown authorization code');
    return c.params.codeChallenge;
  }

  private issue(clientId: string, scopes: string[], resource?: URL): OAuthTokens {
    const token = randomUUID();
    const refresh = randomUUID();
    const info: Issued = { clientId, scopes, expiresAt: Date.now() + this.ttlMs };
    if (resource) info.resource = resource;
    this.access.set(token, info);
    this.refresh.set(refresh, info);
    this.state.issued.access.push(token);
    this.state.issued.refresh.push(refresh);
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: Math.max(1, Math.round(this.ttlMs / 1000)),
      refresh_token: refresh,
    };
  }

  async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    code: string,
  ): Promise<OAuthTokens> {
    const c = this.codes.get(code);
    if (!c || c.client !== client.client_id)
      throw new InvalidGrantError('invalid authorization code');
    this.codes.delete(code);
    return this.issue(client.client_id, c.params.scopes ?? [], c.params.resource);
  }

  async exchangeRefreshToken(
    client: OAuthClientInformationFull,
    refreshToken: string,
  ): Promise<OAuthTokens> {
    const r = this.refresh.get(refreshToken);
    if (!r || r.clientId !== client.client_id) throw new InvalidGrantError('invalid refresh token');
    this.refresh.delete(refreshToken);
    this.state.refreshes++;
    return this.issue(client.client_id, r.scopes, r.resource);
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const t = this.access.get(token);
    // InvalidTokenError: the bearer middleware answers 401 (a plain Error would be a 500).
    if (!t || t.expiresAt < Date.now()) throw new InvalidTokenError('invalid or expired token');
    return {
      token,
      clientId: t.clientId,
      scopes: t.scopes,
      expiresAt: Math.floor(t.expiresAt / 1000),
      ...(t.resource ? { resource: t.resource } : {}),
    };
  }
}

/** Start the protected server on 127.0.0.1 (a free port); `close()` when done. */
export async function startOAuthServer(o: OAuthServerOptions = {}): Promise<OAuthTestServer> {
  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const a = server.address();
  const base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  const mcpUrl = `${base}/mcp`;
  const state: OAuthTestServer = {
    mcpUrl,
    sseUrl: `${base}/sse`,
    base,
    fail: 'none',
    issued: { access: [], refresh: [] },
    refreshes: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const provider = new TestProvider(o.accessTtlMs ?? 3_600_000, state);
  // Failure injection, before the SDK's router sees the request.
  app.use((req: Req, res: Res, next: () => void) => {
    const path = new URL(req.url ?? '/', base).pathname;
    if (state.fail === 'as-metadata-500' && path.startsWith('/.well-known/oauth-authorization')) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('metadata store is down');
      return;
    }
    if (state.fail === 'registration-refused' && path === '/register') {
      res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: 'invalid_client_metadata',
          error_description: 'registration is closed <b>for now</b>',
        }),
      );
      return;
    }
    next();
  });
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl: new URL(base),
      resourceServerUrl: new URL(mcpUrl),
      resourceName: 'oauth test server',
    }),
  );
  const bearer = requireBearerAuth({
    verifier: provider,
    resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(new URL(mcpUrl)),
  });
  const mcpServer = (): McpServer => {
    const mcp = new McpServer({ name: 'oauth-protected', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'who is calling' }, () => ({
      content: [{ type: 'text', text: 'authorized' }],
    }));
    return mcp;
  };
  // Legacy HTTP+SSE: GET /sse opens the stream, POST /messages?sessionId=… carries requests.
  const sse = new Map<string, SSEServerTransport>();
  app.get('/sse', bearer as unknown as Handler, async (_req, res) => {
    const t = new SSEServerTransport('/messages', res);
    sse.set(t.sessionId, t);
    res.on('close', () => sse.delete(t.sessionId));
    await mcpServer().connect(t);
  });
  app.post('/messages', bearer as unknown as Handler, express.json(), async (req, res) => {
    const id = new URL(req.url ?? '/', base).searchParams.get('sessionId') ?? '';
    const t = sse.get(id);
    if (!t) {
      res.writeHead(404).end('no such SSE session');
      return;
    }
    await t.handlePostMessage(req, res, req.body);
  });
  app.post('/mcp', bearer as unknown as Handler, express.json(), async (req, res) => {
    const mcp = mcpServer();
    const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void t.close());
    await mcp.connect(t);
    await t.handleRequest(req, res, req.body);
  });
  return state;
}
