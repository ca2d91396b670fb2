// The app's Export menu: redaction on by default with a visible count and a preview of what is
// masked, every format of `mcpscope export`, and a download that holds no secret. The download
// comes from the engine's file through a single-use link (GET /download/TICKET): its bytes are
// what `mcpscope export` writes, the link does not work twice, and the file is deleted once sent.

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../../electron/engine/capture/age.js';
import { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { runCli } from '../helpers/cli.js';
import { AppPage, e2eReady, launch, startUi, type Browser, type UiProcess } from './harness.js';

/** The status of a plain GET from outside the browser (Host 127.0.0.1:port). */
const statusOf = (url: string) =>
  new Promise<number>((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });

/** The data dir's exports/ folder (the engine's files of the Export menu). */
const exportsLeft = (home: string) => {
  try {
    return readdirSync(join(home, 'exports'));
  } catch {
    return [];
  }
};

const notReady = e2eReady();
if (notReady && process.env.CI === 'true')
  throw new Error(`e2e prerequisites missing under CI: ${notReady}`);

// Built at run time: the repository holds no secret-shaped literal.
const TOKEN = ['ghp_', 'Ee5Rr6Tt7Yy8Uu9Ii0Oo', '1Pp2Aa3Ss4Dd5FfG'].join('');

describe.skipIf(notReady !== undefined && process.env.CI !== 'true')('Export menu', () => {
  const work = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-export-'));
  const capture = join(work, 'leaky.mcpscope.jsonl');
  let ui: UiProcess;
  let browser: Browser;
  let app: AppPage;

  beforeAll(async () => {
    const w = new CaptureWriter({
      path: capture,
      source: { transport: 'stdio', command: ['node', 'leaky.js'] },
    });
    const frame = (dir: 'c2s' | 's2c', m: unknown) =>
      w.append({ type: 'frame', dir, channel: 'stdio', text: JSON.stringify(m) });
    frame('c2s', {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'c', version: '1' },
      },
    });
    frame('s2c', {
      jsonrpc: '2.0',
      id: 0,
      result: {
        protocolVersion: '2025-11-25',
        capabilities: { tools: {} },
        serverInfo: { name: 'leaky', version: '1' },
      },
    });
    frame('c2s', {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {} },
    });
    frame('s2c', {
      jsonrpc: '2.0',
      id: 1,
      result: { content: [{ type: 'text', text: `your token is ${TOKEN}` }] },
    });
    w.close('done');
    ui = await startUi([capture]);
    browser = await launch(ui.url.origin);
    app = new AppPage(browser.page);
    await app.open(ui.url);
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('shows what will be masked, and the downloaded report holds no secret', async () => {
    const page = browser.page;
    await app.nav('library');
    const row = app.library.row(/leaky/).first();
    await row.waitFor({ timeout: 30_000 });
    await row.getByTestId('session-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    // Redaction is on by default; the count and the preview say what is masked.
    expect(await dialog.getByTestId('export-redact').isChecked()).toBe(true);
    const count = dialog.locator(
      '[data-testid=export-status][data-busy=false] [data-testid=export-count]',
    );
    await count.waitFor({ timeout: 30_000 });
    expect(await count.textContent()).toContain('redacted: 1 value');
    const masked = await dialog.getByTestId('export-masked').textContent();
    expect(masked).toContain('[REDACTED:github-token:1]');
    expect(masked).not.toContain(TOKEN);
    await page.screenshot({ path: join(work, 'export-dialog.png') });
    await app.screenshot('screenshot-export.png');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('export-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('leaky.report.html');
    // A single-use link: the ticket in its path is neither the launch ticket nor a session.
    const link = new URL(download.url());
    expect(link.origin).toBe(ui.url.origin);
    expect(link.pathname).toMatch(/^\/download\/[A-Za-z0-9_-]{32}$/);
    expect(link.search + link.hash).toBe('');
    expect(download.url()).not.toContain(ui.url.hash.replace('#ticket=', ''));
    const saved = join(work, 'report.html');
    await download.saveAs(saved);
    const html = readFileSync(saved, 'utf8');
    expect(html).toContain('[REDACTED:github-token:1]');
    expect(html).not.toContain(TOKEN);
    // The bytes are what `mcpscope export` writes for this capture (same install, same key).
    const cliOut = join(work, 'cli.report.html');
    const cli = await runCli(['export', capture, '--format', 'html', '--out', cliOut], {
      env: { MCPSCOPE_HOME: ui.home },
      timeoutMs: 60_000,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const when = (s: string) => s.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME');
    expect(when(html)).toBe(when(readFileSync(cliOut, 'utf8')));
    // Used once: the link is dead now, and the engine deleted its file.
    expect(await statusOf(download.url())).toBe(404);
    for (let i = 0; i < 100 && exportsLeft(ui.home).length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(exportsLeft(ui.home)).toEqual([]);

    // Every format is offered; the Vitest export of this session is produced too.
    await dialog.getByTestId('export-format').selectOption('vitest');
    await dialog
      .locator('[data-testid=export-status][data-busy=false] [data-testid=export-count]')
      .waitFor({ timeout: 30_000 });
    const [test] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('export-download').click(),
    ]);
    expect(test.suggestedFilename()).toBe('leaky.replay.test.ts');
    const testFile = join(work, 'leaky.replay.test.ts');
    await test.saveAs(testFile);
    expect(readFileSync(testFile, 'utf8')).toContain("from 'vitest'");

    // Download again: the first file is gone, so the engine exports anew behind the button.
    const [twice] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('export-download').click(),
    ]);
    expect(twice.suggestedFilename()).toBe('leaky.replay.test.ts');
    expect(twice.url()).not.toBe(test.url());
    const twiceFile = join(work, 'twice.replay.test.ts');
    await twice.saveAs(twiceFile);
    expect(readFileSync(twiceFile, 'utf8')).toContain("from 'vitest'");

    // Esc closes the dialog; the engine keeps no export file (the preview's is discarded).
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    for (let i = 0; i < 100 && exportsLeft(ui.home).length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(exportsLeft(ui.home)).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });

  it('OTLP: downloads the traces and sends them to a collector; any export downloads age-encrypted', async () => {
    const page = browser.page;
    // A stub OTLP/HTTP collector on loopback: it keeps what is POSTed to /v1/traces.
    const posted: { url: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push({ url: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const port = (collector.address() as AddressInfo).port;
    try {
      await app.nav('library');
      await app.library.row(/leaky/).first().getByTestId('session-export').click();
      const dialog = page.getByTestId('export-dialog');
      await dialog.waitFor();
      const ready = dialog.locator(
        '[data-testid=export-status][data-busy=false] [data-testid=export-count]',
      );
      await dialog.getByTestId('export-format').selectOption('otlp');
      await ready.waitFor({ timeout: 30_000 });
      const [otlp] = await Promise.all([
        page.waitForEvent('download'),
        dialog.getByTestId('export-download').click(),
      ]);
      expect(otlp.suggestedFilename()).toBe('leaky.otlp.json');
      const saved = join(work, 'leaky.otlp.json');
      await otlp.saveAs(saved);
      const traces = readFileSync(saved, 'utf8');
      const spans = (
        JSON.parse(traces) as {
          resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
        }
      ).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name);
      expect(spans).toContain('tools/call whoami');
      expect(traces).not.toContain(TOKEN);

      // Send to the collector: the URL without a path gets /v1/traces.
      await dialog.getByTestId('export-endpoint').fill(`http://127.0.0.1:${port}`);
      await dialog.getByTestId('export-send').click();
      const action = dialog.locator('[data-testid=export-action][data-busy=false]');
      await action.getByText(/sent to/).waitFor({ timeout: 30_000 });
      expect(await action.textContent()).toContain(`sent to http://127.0.0.1:${port}/v1/traces`);
      expect(posted).toHaveLength(1);
      expect(posted[0]!.url).toBe('/v1/traces');
      expect(posted[0]!.body).toContain('tools/call whoami');
      expect(posted[0]!.body).not.toContain(TOKEN);

      // Encrypted download: a bad recipient is refused, a good one gives an age file only its
      // identity opens.
      await dialog.getByTestId('export-format').selectOption('html');
      await ready.waitFor({ timeout: 30_000 });
      await dialog.getByTestId('export-recipient').fill('age1nope');
      await dialog.getByTestId('export-recipient-error').waitFor();
      expect(await dialog.getByTestId('export-download').isDisabled()).toBe(true);
      const { identity, recipient } = await generateIdentity();
      await dialog.getByTestId('export-recipient').fill(recipient);
      const [sealed] = await Promise.all([
        page.waitForEvent('download'),
        dialog.getByTestId('export-download').click(),
      ]);
      expect(sealed.suggestedFilename()).toBe('leaky.report.html.age');
      const agePath = join(work, 'leaky.report.html.age');
      await sealed.saveAs(agePath);
      const bytes = readFileSync(agePath);
      expect(bytes.subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1');
      expect(bytes.toString('latin1')).not.toContain('REDACTED');
      const { Decrypter } = await import('age-encryption');
      const d = new Decrypter();
      d.addIdentity(identity);
      const html = await d.decrypt(new Uint8Array(bytes), 'text');
      expect(html).toContain('[REDACTED:github-token:1]');
      expect(html).not.toContain(TOKEN);
      await action.getByText(/encrypted with age to 1 recipient/).waitFor();
      await dialog.getByTestId('export-close').click();
      await dialog.waitFor({ state: 'detached' });
      expect(browser.pageErrors).toEqual([]);
    } finally {
      await new Promise<void>((r) => collector.close(() => r()));
    }
  });
});
