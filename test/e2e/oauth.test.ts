// The app connects to an OAuth-protected Streamable HTTP server (test/helpers/oauth-server.ts) from
// the Connect screen with the OAuth option: the flow runs in the engine, the authorization URL is
// shown, the test clicks "Open in the browser" like a user and the opened tab follows it to the
// authorization server (which approves at once) and back to the loopback redirect. Then the tools
// list appears and every step is listed ok; failing servers show the failed step and the reason.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eReady, openApp, type AppPage, type Browser, type UiProcess } from './harness.js';
import { skipWithout } from '../helpers/prereq.js';
import { startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';

const skip = skipWithout(e2eReady());
let ui: UiProcess;
let browser: Browser;
let app: AppPage;
let srv: OAuthTestServer;

/** Fill the Connect form for the protected server with OAuth and submit it. */
async function connectWithOAuth(): Promise<void> {
  const p = browser.page;
  await app.nav('connect');
  await p.getByTestId('connect-transport').selectOption('streamable-http');
  await p.getByTestId('connect-url').fill(srv.mcpUrl);
  await p.getByTestId('connect-auth').selectOption('oauth');
  await p.getByTestId('connect-oauth-note').waitFor();
  expect(await p.getByTestId('connect-bearer').count()).toBe(0);
  await p.getByTestId('connect-submit').click();
}

describe.skipIf(skip)('OAuth from the Connect screen', () => {
  beforeAll(async () => {
    srv = await startOAuthServer();
    ({ ui, browser, app } = await openApp());
    await browser.page.getByTestId('session-screen').waitFor({ timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await srv?.close();
  });

  it('shows the authorization URL, completes on the redirect, lists the tools and every step ok', async () => {
    const p = browser.page;
    await connectWithOAuth();
    const card = p.getByTestId('oauth-card');
    await card.getByTestId('oauth-authorize').waitFor({ timeout: 30_000 });
    const shown = (await card.getByTestId('oauth-authorization-url').textContent()) ?? '';
    expect(shown).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/authorize\?.*code_challenge_method=S256/);
    expect(await card.getByTestId('oauth-status').textContent()).toMatch(/waiting/);
    await app.screenshot('screenshot-oauth-authorize.png');

    // The user clicks Open: a new tab goes to the authorization server, then to the redirect.
    const tab = browser.ctx.waitForEvent('page', { timeout: 30_000 });
    await card.getByTestId('oauth-open').click();
    const opened = await tab;
    await opened.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/, { timeout: 30_000 });
    expect(await opened.textContent('body')).toContain('authorization received');
    await opened.close();

    // Connected: the session opens, and its tools are listed.
    await p.getByTestId('session-screen').waitFor({ timeout: 30_000 });
    await app.interact.open();
    await p.locator('[data-testid=tool-item][data-name="whoami"]').waitFor({ timeout: 30_000 });

    // The step view above the session: every step ok.
    const panel = p.getByTestId('oauth-panel');
    await panel.waitFor({ timeout: 30_000 });
    await panel.locator('summary').click();
    await panel.locator('[data-testid=oauth-flow][data-status=authorized]').waitFor();
    const steps = panel.getByTestId('oauth-step');
    const names = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
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
      expect(names).toContain(s);
    expect(await panel.locator('[data-testid=oauth-step][data-ok=false]').count()).toBe(0);
    await app.screenshot('screenshot-oauth.png');

    // The steps are lifecycle marks on the sequence view's process lane too.
    await p.getByTestId('view-sequence').click();
    const marks = p.locator('[data-testid=seq-event][data-row=process][data-type=note]');
    await marks.filter({ hasText: 'oauth token exchange' }).first().waitFor({ timeout: 30_000 });
    expect(
      await marks.filter({ hasText: 'oauth dynamic client registration' }).count(),
    ).toBeGreaterThan(0);
    await p.getByTestId('view-table').click();

    // Reconnect from the session screen: a new flow, whose URL shows in the prompt over the app.
    await p.getByTestId('reconnect').click();
    const prompt = p.getByTestId('oauth-prompt');
    await prompt.getByTestId('oauth-open').waitFor({ timeout: 30_000 });
    const tab2 = browser.ctx.waitForEvent('page', { timeout: 30_000 });
    await prompt.getByTestId('oauth-open').click();
    const opened2 = await tab2;
    await opened2.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/, { timeout: 30_000 });
    await opened2.close();
    await prompt.waitFor({ state: 'detached', timeout: 30_000 });
    await p.locator('[data-testid=reconnect]:not([disabled])').waitFor({ timeout: 30_000 });
    await p
      .locator('[data-testid=oauth-panel] [data-testid=oauth-flow][data-status=authorized]')
      .waitFor({ state: 'attached', timeout: 30_000 });
    // The first flow's "authorized" mark can satisfy the wait above before the second token
    // exchange is answered: wait (bounded) for the server to have issued it.
    for (let end = Date.now() + 30_000; srv.issued.access.length < 2 && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 50));
    expect(srv.issued.access.length).toBe(2);
  }, 120_000);

  it('shows the failed step and the reason when the authorization-server metadata answers 500', async () => {
    srv.fail = 'as-metadata-500';
    try {
      await connectWithOAuth();
      const failure = browser.page.getByTestId('oauth-card').getByTestId('oauth-failure');
      await failure.waitFor({ timeout: 30_000 });
      expect(await failure.getByTestId('oauth-failed-step').textContent()).toBe(
        'authorization-server metadata',
      );
      expect(await failure.getByTestId('oauth-failure-reason').textContent()).toMatch(
        /500: metadata store is down/,
      );
      expect(await failure.getByTestId('oauth-failure-hint').textContent()).toMatch(
        /authorization server is running/,
      );
      // The connect itself failed with the same words.
      await browser.page.getByText(/Could not connect: .*authorization-server metadata/).waitFor({
        timeout: 30_000,
      });
    } finally {
      srv.fail = 'none';
    }
  }, 60_000);

  it("shows a refused registration with the server's reason as text, never markup", async () => {
    srv.fail = 'registration-refused';
    try {
      await connectWithOAuth();
      const failure = browser.page.getByTestId('oauth-card').getByTestId('oauth-failure');
      await failure.waitFor({ timeout: 30_000 });
      expect(await failure.getByTestId('oauth-failed-step').textContent()).toBe(
        'dynamic client registration',
      );
      const reason = failure.getByTestId('oauth-failure-reason');
      expect(await reason.textContent()).toContain('registration is closed <b>for now</b>');
      expect(await reason.locator('b').count()).toBe(0);
      await app.screenshot('screenshot-oauth-failed.png');
    } finally {
      srv.fail = 'none';
    }
  }, 60_000);
});
