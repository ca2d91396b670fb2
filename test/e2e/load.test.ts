// A load run opened in the app: `mcpscope load --out FILE` records the run; `mcpscope ui FILE`
// shows the run's figures and its latency-over-time chart above the sampled timeline.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadSummary } from '../../shared/load/types.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/paths.js';
import { type AppPage, type Browser, e2eReady, openApp, type UiProcess } from './harness.js';

const skip = e2eReady();
const work = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-load-'));
const capture = join(work, 'load.mcpscope.jsonl');
const SERVER = join(ROOT, 'test', 'fixtures', 'servers', 'load-stdio.mjs');
let summary: LoadSummary;
let ui: UiProcess;
let browser: Browser;
let app: AppPage;

describe.skipIf(skip !== undefined)('a load run in the app', () => {
  beforeAll(async () => {
    const r = await runCli(
      [
        'load',
        '--json',
        '--rate',
        '1000',
        '--duration',
        '3',
        '--out',
        capture,
        '--',
        process.execPath,
        SERVER,
      ],
      { env: { MCPSCOPE_HOME: work } },
    );
    expect(r.code, r.stderr).toBe(0);
    summary = (JSON.parse(r.stdout) as { load: LoadSummary }).load;
    ({ ui, browser, app } = await openApp([capture]));
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("shows the exact figures and the latency chart from the capture's summary", async () => {
    await app.nav('library');
    await app.library
      .row(/load-stdio/)
      .first()
      .waitFor();
    await app.library.openRow(/load-stdio/);
    const panel = browser.page.getByTestId('load-panel');
    await panel.waitFor();
    const figures = await browser.page.getByTestId('load-figures').textContent();
    expect(figures).toContain(`sent ${summary.sent}`);
    expect(figures).toContain(`ok ${summary.ok}`);
    expect(figures).toContain(`p99 ${summary.latency.p99}`);
    const d50 = await browser.page.getByTestId('latency-p50').getAttribute('d');
    const d99 = await browser.page.getByTestId('latency-p99').getAttribute('d');
    // One point per interval that had answers.
    const points = summary.intervals.filter((i) => i.p50 !== undefined).length;
    expect(points).toBeGreaterThan(10);
    expect((d50 ?? '').match(/[ML]/g)?.length).toBe(points);
    expect((d99 ?? '').match(/[ML]/g)?.length).toBe(points);
    // The timeline below holds the sample; the figures are exact.
    expect(await app.timeline.messageCount()).toBeLessThan(summary.sent);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
    await browser.page.screenshot({ path: join(work, 'screenshot-load.png') });
    await app.screenshot('screenshot-load.png');
  });
});
