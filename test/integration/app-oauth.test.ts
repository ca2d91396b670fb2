// OAuth through the app's host API (the engine the Connect screen talks to) against the protected
// test server: `connect` with auth "oauth" pushes each step as onOAuth, the authorization URL is
// followed like a browser would, the token is refreshed after it expires, `cancelOAuth` stops a
// flow waiting for the user, and no access or refresh token is written anywhere in the data
// directory (captures, profiles.json, ui-state.json…).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppEngine } from '../../electron/engine/app/engine.js';
import type { OAuthFlowInfo } from '../../shared/host-api.js';
import { startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { scratchDir } from '../helpers/paths.js';

const TTL_MS = 1500;
const dataDir = scratchDir('mcpscope-app-oauth-');
let srv: OAuthTestServer;
let engine: AppEngine;
const flows: OAuthFlowInfo[] = [];
/** Connection captures go to MCPSCOPE_HOME's captures folder: here, the test's own folder. */
const homeBefore = process.env.MCPSCOPE_HOME;
/** Follow authorization URLs as they are announced (the "user" approves at once). */
let approve = true;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

beforeAll(async () => {
  process.env.MCPSCOPE_HOME = dataDir;
  srv = await startOAuthServer({ accessTtlMs: TTL_MS });
  engine = new AppEngine({ mode: 'browser', dataDir, liveFeed: false, scan: false });
  engine.subscribe((name, payload) => {
    if (name !== 'onOAuth') return;
    const f = payload as OAuthFlowInfo;
    flows.push(f);
    if (approve && f.status === 'waiting-for-user' && f.authorizationUrl)
      void fetch(f.authorizationUrl).catch(() => undefined);
  });
}, 30_000);

afterAll(async () => {
  await engine.dispose();
  await srv.close();
  if (homeBefore === undefined) delete process.env.MCPSCOPE_HOME;
  else process.env.MCPSCOPE_HOME = homeBefore;
});

describe('OAuth through the host API', () => {
  it('connects with auth "oauth", refreshes after expiry, and writes no token anywhere', async () => {
    const api = engine.commands;
    const profile = {
      transport: 'streamable-http' as const,
      url: srv.mcpUrl,
      auth: 'oauth' as const,
    };
    const conn = await api.connect(profile);
    expect(conn.status).toBe('open');
    const { tools } = await api.listTools({ connectionId: conn.id });
    expect(tools.map((t) => t.name)).toEqual(['whoami']);

    const mine = flows.filter((f) => f.connectionId === conn.id);
    expect(mine.some((f) => f.status === 'waiting-for-user')).toBe(true);
    expect(mine.at(-1)?.status).toBe('authorized');

    // Let the token expire; the next call gets a 401, the SDK refreshes, the call succeeds.
    await new Promise((r) => setTimeout(r, TTL_MS + 200));
    const before = srv.refreshes;
    const { result } = await api.callTool({ connectionId: conn.id, name: 'whoami' });
    expect(JSON.stringify(result)).toContain('authorized');
    expect(srv.refreshes).toBe(before + 1);
    const [flow] = (await api.listOAuthFlows(undefined)).filter((f) => f.connectionId === conn.id);
    // At least this refresh (a slow machine may have needed one before, for listTools).
    expect(flow?.steps.filter((s) => s.step === 'token refresh' && s.ok).length).toBeGreaterThan(0);
    expect(flow?.steps.every((s) => s.ok)).toBe(true);

    // Saved profiles remember the choice, not a token.
    const saved = await api.saveProfile({ name: 'protected', profile });
    expect(saved.auth).toBe('oauth');
    await api.setUiState({ key: 'layout', value: { probe: true } });
    await api.disconnect({ connectionId: conn.id });

    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith('profiles.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('.mcpscope.jsonl'))).toBe(true);
    const tokens = [...srv.issued.access, ...srv.issued.refresh];
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const text = readFileSync(f, 'latin1');
      for (const t of tokens) expect(text.includes(t), `${t} in ${f}`).toBe(false);
    }
    // Nor in anything the UI was told.
    const told = JSON.stringify(flows);
    for (const t of tokens) expect(told).not.toContain(t);
  }, 60_000);

  it('cancelOAuth stops a flow waiting for the user: the connect fails at the redirect step', async () => {
    approve = false;
    try {
      const api = engine.commands;
      const pending = api
        .connect({ transport: 'streamable-http', url: srv.mcpUrl, auth: 'oauth' })
        .catch((e: unknown) => e as Error);
      // Wait (bounded) until the flow asks for the user, then cancel it.
      let waiting: OAuthFlowInfo | undefined;
      for (let i = 0; i < 200 && !waiting; i++) {
        waiting = flows.find(
          (f) =>
            f.status === 'waiting-for-user' &&
            !flows.some((g) => g.connectionId === f.connectionId && g.status === 'authorized'),
        );
        if (!waiting) await new Promise((r) => setTimeout(r, 25));
      }
      expect(waiting).toBeDefined();
      expect(await api.cancelOAuth({ connectionId: waiting!.connectionId })).toEqual({
        cancelled: true,
      });
      const err = await pending;
      expect(String((err as Error).message)).toMatch(
        /OAuth failed at "authorization redirect": cancelled/,
      );
      const [flow] = (await api.listOAuthFlows(undefined)).filter(
        (f) => f.connectionId === waiting!.connectionId,
      );
      expect(flow?.status).toBe('failed');
      expect(flow?.failure?.step).toBe('authorization redirect');
      expect(flow?.failure?.hint).toMatch(/approve access/);
    } finally {
      approve = true;
    }
  }, 30_000);

  it('refuses auth values other than "oauth" with a message saying so', async () => {
    await expect(
      engine.commands.connect({
        transport: 'streamable-http',
        url: srv.mcpUrl,
        auth: 'basic' as 'oauth',
      }),
    ).rejects.toThrow(/auth.*"oauth"/);
  });
});
