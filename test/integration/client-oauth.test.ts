// Client mode against an OAuth-protected Streamable HTTP server built here from the SDK's own
// server auth (mcpAuthRouter, requireBearerAuth) and its in-memory demo provider, which approves
// every authorization at once. The test follows the printed authorization URL with fetch instead
// of a browser; the redirect lands on mcpscope's loopback listener.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  mcpAuthRouter,
  getOAuthProtectedResourceMetadataUrl,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { DemoInMemoryAuthProvider } from '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js';
import { inspectTarget } from '../../electron/engine/client/index.js';
import { OAuthError, OAuthSession } from '../../electron/engine/client/oauth.js';
import { scratchDir } from '../helpers/paths.js';

// express comes with the SDK (its server auth is express middleware); it has no types here, so
// the little of it this test uses is typed below.
type Req = IncomingMessage & { body?: unknown };
type Handler = (req: Req, res: ServerResponse, next: () => void) => unknown;
interface ExpressApp {
  use(h: unknown): void;
  post(path: string, ...h: Handler[]): void;
  listen(port: number, host: string): Server;
}
const express = createRequire(import.meta.url)('express') as (() => ExpressApp) & {
  json(): Handler;
};

const dir = scratchDir('mcpscope-oauth-');
let server: Server;
let base = '';
let mcpUrl = '';

beforeAll(async () => {
  const app = express();
  const provider = new DemoInMemoryAuthProvider();
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  mcpUrl = `${base}/mcp`;
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
  app.post('/mcp', bearer as unknown as Handler, express.json(), async (req, res) => {
    const mcp = new McpServer({ name: 'oauth-protected', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'who is calling' }, () => ({
      content: [{ type: 'text', text: 'authorized' }],
    }));
    const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void t.close());
    await mcp.connect(t);
    await t.handleRequest(req, res, req.body);
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Follow the authorization URL like a browser would (the demo provider approves at once). */
const approve = (line: string): void => {
  const m = /https?:\/\/\S+/.exec(line);
  if (m) void fetch(m[0]).catch(() => undefined);
};

describe('client mode with OAuth (Streamable HTTP)', () => {
  it('discovers, registers, authorizes with PKCE over a loopback redirect, and connects with the token', async () => {
    const printed: string[] = [];
    const oauth = new OAuthSession({
      open: false,
      print: (l) => {
        printed.push(l);
        approve(l);
      },
      waitMs: 30_000,
    });
    const out = join(dir, 'oauth.mcpscope.jsonl');
    const r = await inspectTarget({ transport: 'streamable-http', url: mcpUrl }, { oauth, out });
    expect(r.tools.map((t) => t.name)).toEqual(['whoami']);
    expect(printed.join('\n')).toMatch(
      /open this URL to authorize mcpscope:\n\s+http:\/\/127\.0\.0\.1:\d+\/authorize\?/,
    );
    const steps = oauth.steps.filter((s) => s.ok).map((s) => s.step);
    for (const s of [
      'loopback redirect',
      'protected-resource metadata',
      'authorization-server metadata',
      'dynamic client registration',
      'PKCE',
      'authorization request',
      'authorization redirect',
      'token exchange',
    ])
      expect(steps).toContain(s);
    expect(oauth.steps.find((s) => s.step === 'authorization request')?.detail).toMatch(
      /code_challenge_method=S256/,
    );
    // Every step is in the capture as a note; the token itself is not.
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('oauth: dynamic client registration');
    expect(text).toContain('oauth: token exchange');
    const token = (await oauth.provider.tokens())!.access_token;
    expect(text).not.toContain(token);
  }, 60_000);

  it('says which step failed and why when the redirect never comes', async () => {
    const oauth = new OAuthSession({ open: false, print: () => undefined, waitMs: 300 });
    const err = await inspectTarget(
      { transport: 'streamable-http', url: mcpUrl },
      { oauth, out: join(dir, 'no-redirect.mcpscope.jsonl') },
    ).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(
      /OAuth failed at "authorization redirect": no redirect reached http:\/\/127\.0\.0\.1:\d+\/callback/,
    );
    expect(oauth.steps.at(-1)).toMatchObject({ step: 'authorization redirect', ok: false });
    expect(err instanceof OAuthError || /OAuth failed/.test(String(err))).toBe(true);
  }, 30_000);

  it('says which step failed when the server has no OAuth metadata', async () => {
    const oauth = new OAuthSession({ open: false, print: () => undefined, waitMs: 300 });
    const err = await inspectTarget(
      { transport: 'streamable-http', url: `${base}/nothing-here` },
      { oauth, out: join(dir, 'no-metadata.mcpscope.jsonl') },
    ).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/OAuth failed at "[^"]+": /);
    expect(oauth.steps.some((s) => !s.ok)).toBe(true);
  }, 30_000);
});
