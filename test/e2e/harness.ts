// E2E harness: the real `mcpscope ui` (built CLI) in browser mode, Debian's Chromium driven by
// playwright-core with a fresh profile, and page objects that speak data-testid. Nothing sleeps:
// every wait is on a selector, a printed line or a process event, and every wait has a timeout.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CLI, EVERYTHING, ROOT } from '../helpers/paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots are written only by `npm run screenshots` (it sets this to docs/): tests never write tracked files. */
export const SCREENSHOT_DIR = process.env.MCPSCOPE_SCREENSHOTS;

export function e2eReady(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  if (!existsSync(join(ROOT, 'renderer/dist/index.html')))
    return 'renderer not built (npm run build)';
  if (!existsSync(CLI)) return 'CLI not built';
  return undefined;
}

export interface UiProcess {
  child: ChildProcess;
  url: URL;
  home: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Start `mcpscope ui --no-open [args]` with its own data dir; resolves on the printed URL. */
export function startUi(
  args: string[] = [],
  home = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-home-')),
  env: Record<string, string> = {},
): Promise<UiProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'ui', '--no-open', ...args], {
      env: { ...process.env, MCPSCOPE_HOME: home, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcpscope ui printed no URL within 30 s; stderr: ${err}`));
    }, 30_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      resolve({
        child,
        url: new URL(out.slice(0, nl).trim()),
        home,
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mcpscope ui exited with ${code} before printing its URL: ${err}`));
    });
  });
}

export interface Browser {
  ctx: BrowserContext;
  page: Page;
  /** Requests the page made to anything but the app's own origin (must stay empty). */
  foreignRequests: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

export async function launch(origin?: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'mcpscope-e2e-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 860 },
    // The app's default look (dark); feel.test.ts switches to light and back.
    colorScheme: 'dark',
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (origin && !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))
      foreignRequests.push(u);
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    ctx,
    page,
    foreignRequests,
    pageErrors,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Page objects

export class AppPage {
  constructor(readonly page: Page) {}

  async open(url: string | URL): Promise<void> {
    await this.page.goto(String(url));
    await this.page.waitForSelector('html[data-app-ready="true"]', { timeout: 30_000 });
  }

  nav(screen: 'library' | 'connect' | 'session' | 'hosts'): Promise<void> {
    return this.page.getByTestId(`nav-${screen}`).click();
  }

  get library(): LibraryPage {
    return new LibraryPage(this.page);
  }
  get timeline(): TimelinePage {
    return new TimelinePage(this.page);
  }
  get connect(): ConnectPage {
    return new ConnectPage(this.page);
  }
  get interact(): InteractPage {
    return new InteractPage(this.page);
  }

  /** Answer the server→client request the dialog shows (its default result), if it is `method`. */
  async answerDialog(method: string, timeout = 15_000): Promise<void> {
    const dialog = this.page.locator(
      `[data-testid=server-request-dialog][data-method="${method}"]`,
    );
    await dialog.waitFor({ timeout });
    await dialog.getByTestId('server-request-answer').click();
    await dialog.waitFor({ state: 'detached', timeout });
  }

  async screenshot(name: string): Promise<void> {
    if (SCREENSHOT_DIR) await this.page.screenshot({ path: join(SCREENSHOT_DIR, name) });
  }
}

export class LibraryPage {
  constructor(readonly page: Page) {}
  rows(): Locator {
    return this.page.getByTestId('session-row');
  }
  row(title: string | RegExp): Locator {
    return this.rows().filter({ hasText: title });
  }
  async importFile(path: string): Promise<void> {
    await this.page.getByTestId('import-input').setInputFiles(path);
  }
  async openRow(title: string | RegExp): Promise<void> {
    await this.row(title).first().getByTestId('session-open').click();
    await this.page.getByTestId('session-screen').waitFor();
  }
}

export class TimelinePage {
  constructor(readonly page: Page) {}
  rows(): Locator {
    return this.page.getByTestId('timeline-row');
  }
  async messageCount(): Promise<number> {
    return Number(await this.page.getByTestId('message-count').textContent());
  }
  /** Wait until the status bar counts at least `n` JSON-RPC frames. */
  async waitForFrames(n: number, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction(
      (min) =>
        Number(document.querySelector('[data-testid=message-count]')?.textContent ?? '0') >= min,
      n,
      { timeout },
    );
  }
  async filter(q: string): Promise<void> {
    await this.page.getByTestId('filter-input').fill(q);
  }
  async shownCount(): Promise<number> {
    const t = (await this.page.getByTestId('filter-count').textContent()) ?? '';
    return Number(t.split('/')[0]!.trim());
  }
  rowWhere(attrs: { kind?: string; dir?: string; text?: string | RegExp }): Locator {
    let sel = '[data-testid=timeline-row]';
    if (attrs.kind) sel += `[data-kind="${attrs.kind}"]`;
    if (attrs.dir) sel += `[data-dir="${attrs.dir}"]`;
    const loc = this.page.locator(sel);
    return attrs.text ? loc.filter({ hasText: attrs.text }) : loc;
  }
}

export class ConnectPage {
  constructor(readonly page: Page) {}
  async connectStdio(command: string, args: string, name?: string): Promise<void> {
    const p = this.page;
    await p.getByTestId('connect-transport').selectOption('stdio');
    if (name) await p.getByTestId('connect-name').fill(name);
    await p.getByTestId('connect-command').fill(command);
    await p.getByTestId('connect-args').fill(args);
    await p.getByTestId('connect-submit').click();
    await p.getByTestId('session-screen').waitFor({ timeout: 30_000 });
  }
}

export class InteractPage {
  constructor(readonly page: Page) {}
  async open(): Promise<void> {
    await this.page.getByTestId('panel-interact').click();
    await this.page.getByTestId('interact').waitFor({ timeout: 30_000 });
  }
  /** Pick a tool, refreshing the list (bounded) if the server registers it late. */
  async pickTool(name: string): Promise<void> {
    const item = this.page.locator(`[data-testid=tool-item][data-name="${name}"]`);
    for (let i = 0; i < 10 && (await item.count()) === 0; i++) {
      await this.page.getByTestId('tools-refresh').click();
      await item.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await item.click();
    await this.page.getByTestId('tool-caller').waitFor();
  }
  async fill(arg: string, value: string): Promise<void> {
    await this.page.getByTestId(`arg-${arg}`).fill(value);
  }
  /** Replace the raw-JSON editor's text (Monaco) by typing it, as a user would. */
  async typeJson(text: string): Promise<void> {
    const editor = this.page.locator('[data-testid=tool-json] .monaco-editor');
    await editor.waitFor({ timeout: 30_000 });
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    // Inserted like a paste: no key events, so no completion popup can change the text.
    await this.page.keyboard.insertText(text);
  }

  async call(): Promise<string> {
    await this.page.getByTestId('tool-call').click();
    const result = this.page.getByTestId('tool-result');
    await result.waitFor({ timeout: 30_000 });
    return (await result.textContent()) ?? '';
  }
}

export interface E2eApp {
  ui: UiProcess;
  browser: Browser;
  app: AppPage;
}

/**
 * `mcpscope ui [args]` (data dir `home`, extra `env`), Chromium on its origin and the app open and
 * ready. A failed step leaves nothing running (afterAll never sees what it started).
 */
export async function openApp(
  args: string[] = [],
  home?: string,
  env: Record<string, string> = {},
): Promise<E2eApp> {
  const ui = await startUi(args, home, env);
  let browser: Browser | undefined;
  try {
    browser = await launch(ui.url.origin);
    const app = new AppPage(browser.page);
    await app.open(ui.url);
    return { ui, browser, app };
  } catch (e) {
    await browser?.close();
    await ui.stop();
    throw e;
  }
}

/** The app connected to server-everything (stdio) from the Connect screen, on Interact. */
export async function interactOnEverything(): Promise<E2eApp> {
  const opened = await openApp();
  const { ui, browser, app } = opened;
  try {
    await browser.page.getByTestId('session-screen').waitFor({ timeout: 30_000 });
    await app.nav('connect');
    await app.connect.connectStdio(process.execPath, `"${EVERYTHING}" stdio`, 'everything');
    await app.interact.open();
    return opened;
  } catch (e) {
    // A failed setup leaves nothing running (afterAll never sees these).
    await browser.close();
    await ui.stop();
    throw e;
  }
}
