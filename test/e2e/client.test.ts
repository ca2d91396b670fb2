// Browser mode as an MCP client: connect to server-everything over stdio from the Connect form,
// call a tool through its generated form, see the exchange paired on the timeline, answer the
// server's sampling request in the dialog; and the local server's ticket, session and Host/Origin checks.

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EVERYTHING } from '../helpers/paths.js';
import {
  type AppPage,
  type Browser,
  e2eReady,
  launch,
  openApp,
  type UiProcess,
} from './harness.js';
import { skipWithout } from '../helpers/prereq.js';

const skip = skipWithout(e2eReady());
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

function httpStatus(url: URL, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, headers, setHost: !('host' in headers) },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Open a WebSocket to /api; resolves with "open" or the HTTP status the upgrade was refused with. */
function wsOutcome(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(String(res.statusCode));
      ws.terminate();
    });
    ws.once('error', (e) => resolve(`error: ${e.message}`));
  });
}

describe.skipIf(skip)('browser mode as a client', () => {
  beforeAll(async () => {
    ({ ui, browser, app } = await openApp());
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('opens on the live demo session at first run', async () => {
    await browser.page.getByTestId('session-screen').waitFor({ timeout: 30_000 });
    await app.timeline.waitForFrames(4);
    await app.timeline.rowWhere({ text: 'initialize' }).first().waitFor();
    await app.screenshot('screenshot-demo.png');
  });

  it('shows the demo findings (poisoned tool, leaked key) as badges and in the findings panel', async () => {
    const page = browser.page;
    await page.getByTestId('panel-findings').click();
    await page.getByTestId('finding').first().waitFor({ timeout: 30_000 });
    const text = (await page.getByTestId('findings-panel').textContent()) ?? '';
    expect(text).toMatch(/high|critical/);
    // The data-flow summary names what crossed the wire: the demo's fake key came from the server.
    await page.getByTestId('data-flow-row').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('data-flow').textContent()).toContain('came from server');
    // A severity filter keeps only findings at that level or above.
    const all = await page.getByTestId('finding').count();
    await page.getByTestId('findings-severity').selectOption('high');
    const kept = await page
      .getByTestId('finding')
      .evaluateAll((els) => els.map((e) => e.className));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((c) => /sev-(high|critical)/.test(c))).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(all);
    await page.getByTestId('findings-severity').selectOption('');
    expect(await page.getByTestId('finding').count()).toBe(all);
    // Filter to the frames that carry findings; each row has a finding badge.
    await app.timeline.filter('has:finding');
    await page.getByTestId('badge-finding').first().waitFor({ timeout: 30_000 });
    const rows = await app.timeline.rows().count();
    expect(await page.getByTestId('badge-finding').count()).toBe(rows);
    await app.screenshot('screenshot-findings-panel.png');
    // Selecting a finding selects its frame; Monaco underlines the evidence.
    await page
      .getByTestId('finding')
      .filter({ has: page.locator('button:not([disabled])') })
      .first()
      .locator('button')
      .click();
    await page.getByTestId('panel-detail').click();
    await page
      .locator('[data-testid=detail-editor] .finding-deco')
      .first()
      .waitFor({ timeout: 30_000 });
    await app.screenshot('screenshot-finding-detail.png');
    await app.timeline.filter('');
  });

  it('connects to server-everything over stdio from the Connect form', async () => {
    await app.nav('connect');
    await app.connect.connectStdio(process.execPath, `"${EVERYTHING}" stdio`, 'everything');
    // server-everything asks for the client's roots right after the handshake: answered from the
    // connection's roots, without a dialog (test/e2e/interact.test.ts edits them).
    await app.timeline
      .rowWhere({ kind: 'response', text: 'initialize' })
      .first()
      .waitFor({ timeout: 30_000 });
    await expect(browser.page.getByTestId('server-name').textContent()).resolves.toMatch(
      /everything/i,
    );
  });

  it('calls a tool through the generated form and pairs request and response on the timeline', async () => {
    const it = app.interact;
    await it.open();
    await it.pickTool('echo');
    await it.fill('message', 'hello from the form');
    const result = await it.call();
    expect(result).toContain('Echo: hello from the form');
    const tl = app.timeline;
    await tl.filter('method:tools/call');
    const req = tl.rowWhere({ kind: 'request', dir: 'c2s' }).last();
    await req.click();
    const paired = browser.page.locator('[data-testid=timeline-row][data-paired=true]');
    await paired.waitFor();
    expect(await paired.getAttribute('data-kind')).toBe('response');
    expect(await paired.getAttribute('data-dir')).toBe('s2c');
    await app.screenshot('screenshot-interact.png');
  });

  it('validates raw JSON arguments against the input schema before sending', async () => {
    const it = app.interact;
    await it.pickTool('get-sum');
    await browser.page.getByTestId('tool-tab-json').click();
    await it.typeJson('{"a": "one"}');
    const problems = browser.page.getByTestId('tool-problems');
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/\/a: must be number, got string/);
    expect(await problems.textContent()).toMatch(/missing required property "b"/);
    expect(await browser.page.getByTestId('tool-call').getAttribute('data-invalid')).toBe('true');
    expect(await browser.page.getByTestId('tool-call').textContent()).toMatch(/Call anyway/);
    await it.typeJson('{"a": 2');
    await browser.page.getByText(/JSON/).first().waitFor();
    expect(await browser.page.getByTestId('tool-call').isDisabled()).toBe(true); // not JSON: nothing to send
    await it.typeJson('{"a": 2, "b": 3}');
    expect(await it.call()).toContain('5');
  });

  it('answers a sampling request from the server in the dialog', async () => {
    const it = app.interact;
    await it.pickTool('trigger-sampling-request');
    await it.fill('prompt', 'Say hi');
    await browser.page.getByTestId('tool-call').click();
    const dialog = browser.page.getByTestId('server-request-dialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.getAttribute('data-method')).toBe('sampling/createMessage');
    expect(await browser.page.getByTestId('sampling-prompt').textContent()).toContain('Say hi');
    await browser.page.getByTestId('sampling-reply').fill('Hi from the mcpscope user');
    await app.screenshot('screenshot-sampling.png');
    await browser.page.getByTestId('server-request-answer').click();
    await dialog.waitFor({ state: 'detached' });
    const result = browser.page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('Hi from the mcpscope user');
    // The server→client request and the answer are on the timeline, paired.
    await app.timeline.filter('method:sampling/createMessage');
    await app.timeline.rowWhere({ kind: 'request', dir: 's2c' }).first().waitFor();
    await app.timeline.rowWhere({ kind: 'response', dir: 'c2s' }).first().waitFor();
  });

  it('answers an elicitation request with a form generated from its schema', async () => {
    const it = app.interact;
    await app.timeline.filter('');
    await it.pickTool('trigger-elicitation-request');
    await browser.page.getByTestId('tool-call').click();
    const dialog = browser.page.locator(
      '[data-testid=server-request-dialog][data-method="elicitation/create"]',
    );
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByTestId('arg-name').fill('Ada Lovelace');
    await dialog.getByTestId('server-request-answer').click();
    await dialog.waitFor({ state: 'detached' });
    const result = browser.page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/User provided the requested information/);
    expect(await result.textContent()).toContain('Ada Lovelace');
  });

  it('cancels a tool call in flight', async () => {
    const it = app.interact;
    await it.pickTool('trigger-long-running-operation');
    await it.fill('duration', '30');
    await it.fill('steps', '30');
    await browser.page.getByTestId('tool-call').click();
    await browser.page.getByTestId('tool-running-cancel').click();
    const result = browser.page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    expect((await result.getAttribute('class')) ?? '').toContain('err');
    // The cancellation is on the timeline, linked to the request it cancels.
    await app.timeline.filter('method:notifications/cancelled');
    await app.timeline.rowWhere({ kind: 'notification', dir: 'c2s' }).first().waitFor();
    await app.timeline.filter('has:cancel kind:request');
    await app.timeline.rowWhere({ kind: 'request', text: 'tools/call' }).first().waitFor();
  });

  it('reads a resource and gets a prompt', async () => {
    const page = browser.page;
    await page.getByTestId('interact-tab-resources').click();
    await page.getByTestId('resource-item').first().click();
    await page
      .locator('[data-testid=resource-result] [data-testid=rv-resource]')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('interact-tab-prompts').click();
    await page.getByTestId('prompt-item').first().click();
    await page.getByTestId('prompt-get').click();
    await page
      .locator('[data-testid=prompt-result] [data-testid=rv-message]')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('interact-tab-tools').click();
  });

  it('shows the wrapper command and host config for recording a host', async () => {
    const page = browser.page;
    await app.nav('connect');
    await page.getByTestId('connect-transport').selectOption('stdio');
    await page.getByTestId('connect-command').fill('npx');
    await page.getByTestId('connect-args').fill('-y some-mcp-server');
    await page.getByTestId('recorder-instructions').click();
    const card = page.getByTestId('recorder-card');
    await card.waitFor({ timeout: 30_000 });
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('record');
    expect(text).toContain('some-mcp-server');
    expect(text).toContain('"command"');
    await app.nav('session');
  });

  it('serves the page only to its own Host and Origin; the printed ticket was spent by the browser; no cookie', async () => {
    expect(await httpStatus(ui.url, '/')).toBe(200);
    expect(await httpStatus(ui.url, '/', { host: `evil.example:${ui.url.port}` })).toBe(403);
    expect(
      await httpStatus(ui.url, '/', { host: ui.url.host, origin: 'http://evil.example' }),
    ).toBe(403);
    const again = await fetch(`${ui.url.origin}/api/session`, {
      method: 'POST',
      headers: { authorization: `Ticket ${ui.url.hash.replace(/^#ticket=/, '')}` },
    });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect((await browser.page.context().cookies()).length).toBe(0);
  });

  it('refuses WebSocket upgrades without a session or from a foreign Origin', async () => {
    const base = `ws://${ui.url.host}/api`;
    expect(await wsOutcome(base, { origin: ui.url.origin })).toBe('401');
    expect(
      await wsOutcome(base, {
        origin: ui.url.origin,
        'sec-websocket-protocol': 'mcpscope, mcpscope.session.nope',
      }),
    ).toBe('403');
    expect(
      await wsOutcome(base, {
        origin: 'http://evil.example',
        'sec-websocket-protocol': 'mcpscope, mcpscope.session.nope',
      }),
    ).toBe('403');
  });

  it('a page opened with a spent ticket gets no engine, and says what to do', async () => {
    const other = await launch();
    try {
      const res = await other.page.goto(ui.url.href);
      expect(res?.status()).toBe(200);
      await other.page.waitForFunction(
        () => /mcpscope ui/.test(document.body.textContent ?? ''),
        null,
        { timeout: 30_000 },
      );
      expect(other.page.url()).not.toContain('ticket');
    } finally {
      await other.close();
    }
  });

  it('made no request outside its own origin and threw no page errors', () => {
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
