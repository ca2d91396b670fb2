// Client mode against an OAuth-protected Streamable HTTP server (test/helpers/oauth-server.ts:
// the SDK's own server auth with an in-memory provider that approves every authorization at once
// and issues short-lived tokens with working refresh tokens). The test follows the printed
// authorization URL with fetch instead of a browser; the redirect lands on mcpscope's loopback
// listener.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionManager, inspectTarget } from '../../electron/engine/client/index.js';
import { OAuthError, OAuthSession } from '../../electron/engine/client/oauth.js';
import { startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-oauth-');
/** Access tokens live this long, so the refresh test waits little. */
const TTL_MS = 1500;
let srv: OAuthTestServer;
let base = '';
let mcpUrl = '';

beforeAll(async () => {
  srv = await startOAuthServer({ accessTtlMs: TTL_MS });
  base = srv.base;
  mcpUrl = srv.mcpUrl;
});

afterAll(async () => {
  await srv.close();
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

  it('refreshes an expired token on the 401 via the SDK, records the refresh, and never writes a token', async () => {
    srv.fail = 'none';
    const oauth = new OAuthSession({ open: false, print: approve, waitMs: 30_000 });
    const manager = new ConnectionManager();
    const out = join(dir, 'refresh.mcpscope.jsonl');
    try {
      const conn = await manager.open(
        { transport: 'streamable-http', url: mcpUrl },
        { oauth, capturePath: out },
      );
      const first = (await oauth.provider.tokens())!;
      const refreshesBefore = srv.refreshes;
      // Let the access token expire (the server rejects it from then on): a bounded wait for time
      // to pass, not for something to happen.
      await new Promise((r) => setTimeout(r, TTL_MS + 200));
      const result = await conn.callTool('whoami');
      expect(JSON.stringify(result)).toContain('authorized');
      expect(srv.refreshes).toBe(refreshesBefore + 1);
      const now = (await oauth.provider.tokens())!;
      expect(now.access_token).not.toBe(first.access_token);
      expect(oauth.steps.filter((s) => s.step === 'token refresh' && s.ok)).toHaveLength(1);
      expect(oauth.status).toBe('authorized');
    } finally {
      await manager.closeAll();
    }
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('oauth: token refresh');
    // The 401 itself is in the capture, as traffic.
    expect(text).toMatch(/"status":401/);
    expect(srv.issued.access.length).toBeGreaterThanOrEqual(2);
    for (const t of [...srv.issued.access, ...srv.issued.refresh]) expect(text).not.toContain(t);
  }, 60_000);

  it('names the authorization-server metadata step when it answers 500', async () => {
    srv.fail = 'as-metadata-500';
    try {
      const oauth = new OAuthSession({ open: false, print: () => undefined, waitMs: 300 });
      const err = await inspectTarget(
        { transport: 'streamable-http', url: mcpUrl },
        { oauth, out: join(dir, 'as-500.mcpscope.jsonl') },
      ).catch((e: unknown) => e);
      expect(String((err as Error).message)).toMatch(
        /OAuth failed at "authorization-server metadata"/,
      );
      const failed = oauth.steps.find((s) => !s.ok);
      expect(failed).toMatchObject({ step: 'authorization-server metadata', ok: false });
      expect(failed?.detail).toMatch(/→ 500: metadata store is down/);
      expect(oauth.status).toBe('failed');
    } finally {
      srv.fail = 'none';
    }
  }, 30_000);

  it("names the registration step and the server's reason when registration is refused", async () => {
    srv.fail = 'registration-refused';
    try {
      const oauth = new OAuthSession({ open: false, print: () => undefined, waitMs: 300 });
      const err = await inspectTarget(
        { transport: 'streamable-http', url: mcpUrl },
        { oauth, out: join(dir, 'reg.mcpscope.jsonl') },
      ).catch((e: unknown) => e);
      expect(String((err as Error).message)).toMatch(
        /OAuth failed at "dynamic client registration"/,
      );
      expect(oauth.steps.find((s) => !s.ok)?.detail).toMatch(/registration is closed/);
    } finally {
      srv.fail = 'none';
    }
  }, 30_000);

  it('authorizes a legacy HTTP+SSE server too (the SDK sends the token on the stream and the POSTs)', async () => {
    const printed: string[] = [];
    const oauth = new OAuthSession({
      open: false,
      print: (l) => {
        printed.push(l);
        approve(l);
      },
      waitMs: 30_000,
    });
    const out = join(dir, 'sse.mcpscope.jsonl');
    const r = await inspectTarget({ transport: 'sse', url: srv.sseUrl }, { oauth, out });
    expect(r.tools.map((t) => t.name)).toEqual(['whoami']);
    expect(oauth.status).toBe('authorized');
    expect(oauth.steps.filter((s) => s.step === 'token exchange' && s.ok)).toHaveLength(1);
    const text = readFileSync(out, 'utf8');
    for (const t of [...srv.issued.access, ...srv.issued.refresh]) expect(text).not.toContain(t);
  }, 60_000);
});
