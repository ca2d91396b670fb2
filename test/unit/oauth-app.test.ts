// The app side of OAuth without a server: what the UI is told about a flow (never a token), the
// hint for each failed step, where an authorization URL may be opened (browser tab and Electron
// shell), the OAuth steps on the sequence view's lifecycle lane, and profiles keeping
// `auth: "oauth"` and nothing else.
import { describe, expect, it } from 'vitest';
import { flowInfo, oauthHint, AppOAuth } from '../../electron/engine/app/oauth.js';
import { OAuthSession } from '../../electron/engine/client/oauth.js';
import { ProfileStore, toSavedProfile } from '../../electron/engine/app/profiles.js';
import { scratchDir } from '../helpers/paths.js';
import { windowOpenDecision } from '../../electron/shell/navigation.js';
import { OAUTH_WINDOW_NAME, type HostEvents } from '../../shared/host-api.js';
import { checkCommandArgs } from '../../shared/host-api-schemas.js';
import { authorizationUrlProblem, openAuthorizationUrl } from '../../renderer/src/oauth/open.js';
import { eventMark } from '../../renderer/src/sequence/events.js';
import { formFromSaved, missingSecrets } from '../../renderer/src/model/profiles.js';
import { toProfile } from '../../renderer/src/containers/ConnectScreen.js';

/** A session with steps set by hand, as client/oauth.ts would after a flow. */
function sessionWith(steps: OAuthSession['steps'], status: OAuthSession['status']): OAuthSession {
  const s = new OAuthSession({ open: false, print: () => undefined });
  s.steps.push(...steps);
  s.status = status;
  s.connectionId = 'c1';
  s.serverUrl = 'http://user:pw@127.0.0.1:9/mcp?token=abc';
  return s;
}

describe('flowInfo', () => {
  it('names the first failed step, joins its reasons, and says what to do', () => {
    const s = sessionWith(
      [
        { step: 'protected-resource metadata', ok: true, detail: 'GET … → 200' },
        { step: 'authorization-server metadata', ok: false, detail: 'GET … → 500: down' },
        { step: 'authorization-server metadata', ok: false, detail: 'HTTP 500 loading metadata' },
      ],
      'failed',
    );
    const info = flowInfo(s);
    expect(info.failure).toEqual({
      step: 'authorization-server metadata',
      reason: 'GET … → 500: down; HTTP 500 loading metadata',
      hint: oauthHint('authorization-server metadata'),
    });
    expect(info.failure!.hint).toMatch(/authorization server is running/);
    // The server URL is shown without its credentials.
    expect(info.serverUrl).not.toContain('pw');
    expect(info.serverUrl).not.toContain('abc');
    expect(info.authorizationUrl).toBeUndefined();
  });

  it('gives a distinct hint for each step, and a general one for an unknown step', () => {
    const steps = [
      'loopback redirect',
      'protected-resource metadata',
      'authorization-server metadata',
      'dynamic client registration',
      'authorization request',
      'authorization redirect',
      'token exchange',
      'token refresh',
    ];
    expect(new Set(steps.map(oauthHint)).size).toBe(steps.length);
    expect(oauthHint('GET http://x/y')).toMatch(/connect again/);
  });

  it('cuts long server text and never carries a token', async () => {
    const s = sessionWith(
      [{ step: 'token request', ok: false, detail: 'x'.repeat(10_000) }],
      'failed',
    );
    s.provider.saveTokens({
      access_token: 'SECRET-ACCESS',
      token_type: 'bearer',
      refresh_token: 'SECRET-REFRESH',
    });
    const text = JSON.stringify(flowInfo(s));
    expect(text.length).toBeLessThan(5000);
    expect(text).not.toContain('SECRET-ACCESS');
    expect(text).not.toContain('SECRET-REFRESH');
  });

  it('AppOAuth reports a flow once it names its connection, and lists it', () => {
    const events: HostEvents['onOAuth'][] = [];
    const app = new AppOAuth((name, payload) => {
      if (name === 'onOAuth') events.push(payload as HostEvents['onOAuth']);
    });
    const s = app.session();
    s.provider.saveCodeVerifier('v'); // a step before the connection is known: not reported
    expect(events).toHaveLength(0);
    s.connectionId = 'conn-1';
    s.provider.saveCodeVerifier('w');
    expect(events.at(-1)).toMatchObject({ connectionId: 'conn-1', status: 'authorizing' });
    expect(app.list().map((f) => f.connectionId)).toEqual(['conn-1']);
    expect(app.cancel('conn-1')).toBe(false); // not waiting for the user
    expect(app.cancel('nope')).toBe(false);
  });
});

describe('opening the authorization URL', () => {
  it('opens https, and http only on this machine, never with credentials', () => {
    expect(authorizationUrlProblem('https://as.example/authorize?x=1')).toBeUndefined();
    expect(authorizationUrlProblem('http://127.0.0.1:4000/authorize')).toBeUndefined();
    expect(authorizationUrlProblem('http://localhost:4000/authorize')).toBeUndefined();
    expect(authorizationUrlProblem('http://as.example/authorize')).toMatch(/only https/);
    expect(authorizationUrlProblem('javascript:alert(1)')).toMatch(/only https/);
    expect(authorizationUrlProblem('https://u:p@as.example/')).toMatch(/user name or password/);
    expect(authorizationUrlProblem('not a url')).toMatch(/not a valid URL/);
  });

  it('opens under the OAuth window name, and not at all when refused', () => {
    const opened: string[][] = [];
    const open = (u: string, t: string, f: string) => opened.push([u, t, f]);
    expect(openAuthorizationUrl('http://127.0.0.1:1/authorize', open)).toBeUndefined();
    expect(openAuthorizationUrl('file:///etc/passwd', open)).toMatch(/only https/);
    expect(opened).toEqual([
      ['http://127.0.0.1:1/authorize', OAUTH_WINDOW_NAME, 'noopener,noreferrer'],
    ]);
  });

  it('Electron hands a loopback http authorization URL to the system browser, and no other http', () => {
    expect(windowOpenDecision('http://127.0.0.1:4000/authorize', OAUTH_WINDOW_NAME)).toEqual({
      action: 'deny',
      openExternal: 'http://127.0.0.1:4000/authorize',
    });
    expect(windowOpenDecision('https://as.example/authorize', OAUTH_WINDOW_NAME)).toMatchObject({
      openExternal: 'https://as.example/authorize',
    });
    expect(windowOpenDecision('http://127.0.0.1:4000/authorize')).toEqual({ action: 'deny' });
    expect(windowOpenDecision('http://as.example/authorize', OAUTH_WINDOW_NAME)).toEqual({
      action: 'deny',
    });
    expect(windowOpenDecision('http://u:p@127.0.0.1/', OAUTH_WINDOW_NAME)).toEqual({
      action: 'deny',
    });
  });
});

describe('OAuth on the sequence view lifecycle lane', () => {
  it('shows oauth notes as process-lane events, escaped, and leaves other notes out', () => {
    expect(
      eventMark({
        type: 'note',
        seq: 1,
        ts: 1,
        text: 'oauth: token exchange: bearer token received',
      }),
    ).toEqual({
      row: 'process',
      label: 'oauth token exchange',
      title: 'oauth: token exchange: bearer token received',
      err: false,
    });
    const m = eventMark({ type: 'note', seq: 2, ts: 2, text: 'oauth: GET http://x/\u202e: 1' });
    expect(m?.label).not.toContain('\u202e');
    expect(
      eventMark({ type: 'note', seq: 3, ts: 3, text: 'SSE event "x" on h1: y' }),
    ).toBeUndefined();
  });
});

describe('profiles with OAuth', () => {
  it('the form gives auth "oauth" without a bearer token; saving keeps auth and no secret', () => {
    const p = toProfile({
      name: 'p',
      kind: 'streamable-http',
      command: '',
      args: '',
      env: '',
      url: 'http://127.0.0.1:9/mcp',
      headers: '',
      bearer: 'ignored-when-oauth',
      auth: 'oauth',
    });
    expect(p).toEqual({
      name: 'p',
      transport: 'streamable-http',
      url: 'http://127.0.0.1:9/mcp',
      auth: 'oauth',
    });
    expect(checkCommandArgs('connect', p)).toEqual(p);
    const saved = toSavedProfile('p', p, 1);
    expect(saved).toEqual({
      name: 'p',
      transport: 'streamable-http',
      url: 'http://127.0.0.1:9/mcp',
      auth: 'oauth',
      savedAt: 1,
    });
    // Through the file and back (profiles.json is re-checked on read).
    const store = new ProfileStore(scratchDir('mcpscope-oauth-profiles-'));
    store.save('p', p, 1);
    expect(store.list()).toEqual([saved]);
    const { form, needs } = formFromSaved(saved);
    expect(form.auth).toBe('oauth');
    expect(missingSecrets(form, needs)).toEqual([]);
  });

  it('refuses another auth value with a message saying what is allowed', () => {
    expect(() =>
      checkCommandArgs('connect', { transport: 'sse', url: 'http://127.0.0.1/', auth: 'basic' }),
    ).toThrow(/auth.*"oauth"/);
  });
});
