// electron/main.ts itself, run against a stand-in for the 'electron' module (the binary cannot be
// downloaded here): the window's isolation flags, the app scheme with its CSP, IPC validated by
// sender and answered, events forwarded, navigation/window guards on every web contents. The
// engine runs in a (stand-in) utilityProcess: the fake fork runs electron/engine-main.ts in this
// process with a fake parentPort, and messages cross fake MessagePorts as structured clones.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratchDir } from '../helpers/paths.js';

type Fn = (...a: never[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (req: { url: string }) => Response | Promise<Response>>(),
    ipc: new Map<string, Fn>(),
    appEvents: new Map<string, Fn>(),
    windows: [] as {
      options: Record<string, unknown>;
      url?: string;
      sent: { channel: string; msg: unknown }[];
      contents: unknown;
    }[],
    permissionRequest: undefined as undefined | Fn,
    opened: [] as string[],
    loaded: undefined as undefined | (() => void),
    forks: [] as { modulePath: string; args: string[]; options: Record<string, unknown> }[],
    childExit: [] as Fn[],
    quits: 0,
  };
  type Listener = (e: { data: unknown; ports: FakePort[] }) => void;
  /** A MessagePortMain stand-in: messages are structured clones, queued until start(). */
  class FakePort {
    other!: FakePort;
    private listeners: Listener[] = [];
    private queue: { data: unknown; ports: FakePort[] }[] = [];
    private started = false;
    on(_e: 'message', fn: Listener): this {
      this.listeners.push(fn);
      return this;
    }
    start(): void {
      this.started = true;
      for (const m of this.queue.splice(0)) this.deliver(m);
    }
    postMessage(data: unknown): void {
      const m = { data: structuredClone(data), ports: [] };
      setImmediate(() => (this.other.started ? this.other.deliver(m) : this.other.queue.push(m)));
    }
    private deliver(m: { data: unknown; ports: FakePort[] }): void {
      for (const l of this.listeners) l(m);
    }
  }
  class MessageChannelMain {
    port1 = new FakePort();
    port2 = new FakePort();
    constructor() {
      this.port1.other = this.port2;
      this.port2.other = this.port1;
    }
  }
  const parentListeners: Listener[] = [];
  const parentQueue: { data: unknown; ports: FakePort[] }[] = [];
  const toChild = (): void => {
    while (parentListeners.length > 0 && parentQueue.length > 0) {
      const m = parentQueue.shift()!;
      for (const l of parentListeners.splice(0)) l(m);
    }
  };
  const utilityProcess = {
    fork(modulePath: string, args: string[], options: Record<string, unknown>) {
      state.forks.push({ modulePath, args, options });
      const childMessage: ((m: unknown) => void)[] = [];
      const parentOn: Listener[] = [];
      (process as unknown as { parentPort: unknown }).parentPort = {
        // Like a real child, messages wait until the entry has registered its listener.
        once: (_e: string, fn: Listener) => (parentListeners.push(fn), toChild()),
        // Keychain requests to main (secret-port.ts) and main's answers.
        on: (_e: string, fn: Listener) => parentOn.push(fn),
        postMessage: (data: unknown) => setImmediate(() => childMessage.forEach((f) => f(data))),
      };
      // The engine entry, as source, in this process.
      import(/* @vite-ignore */ modulePath.replace(/\.js$/, '.ts')).catch((e: unknown) =>
        console.error('fake fork: cannot load the engine entry', e),
      );
      return {
        postMessage(data: unknown, ports: FakePort[] = []) {
          parentQueue.push({ data, ports });
          setImmediate(toChild);
          for (const l of parentOn) l({ data, ports });
        },
        on: (e: string, fn: Fn) =>
          e === 'exit'
            ? state.childExit.push(fn)
            : e === 'message' && childMessage.push(fn as (m: unknown) => void),
        once: (e: string, fn: Fn) => e === 'exit' && state.childExit.push(fn),
        kill: () => true,
      };
    },
  };
  class BrowserWindow {
    webContents: {
      send: (c: string, m: unknown) => void;
      isDestroyed: () => boolean;
      once: Fn;
      on: Fn;
    };
    private record: (typeof state.windows)[number];
    constructor(options: Record<string, unknown>) {
      const sent: { channel: string; msg: unknown }[] = [];
      this.webContents = {
        send: (channel, msg) => sent.push({ channel, msg }),
        isDestroyed: () => false,
        once: () => undefined,
        on: () => undefined,
      };
      this.record = { options, sent, contents: this.webContents };
      state.windows.push(this.record);
    }
    once(): void {}
    show(): void {}
    async loadURL(url: string): Promise<void> {
      this.record.url = url;
      state.loaded?.();
    }
  }
  const electron = {
    app: {
      isPackaged: false,
      whenReady: () => Promise.resolve(),
      on: (e: string, cb: Fn) => state.appEvents.set(e, cb),
      exit: () => undefined,
      quit: () => void state.quits++,
    },
    BrowserWindow,
    MessageChannelMain,
    utilityProcess,
    ipcMain: { on: (ch: string, fn: Fn) => state.ipc.set(ch, fn) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => state.schemes.push(...s),
      handle: (scheme: string, fn: (req: { url: string }) => Response) =>
        state.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => (state.permissionRequest = fn),
        setPermissionCheckHandler: () => undefined,
      },
    },
    shell: { openExternal: async (u: string) => void state.opened.push(u) },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (t: string) => Buffer.from(`k:${t}`),
      decryptString: (b: Buffer) => b.toString().slice(2),
    },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { state } = fake;
const APP_FRAME = { url: 'mcpscope://app/index.html', parent: null };

function ipcCall(msg: unknown, frame: unknown = APP_FRAME) {
  const win = state.windows[0]!;
  const event = { sender: win.contents, senderFrame: frame };
  (state.ipc.get('mcpscope:call') as (e: unknown, m: unknown) => void)(event, msg);
}

/** Wait (bounded) for a message the window received. */
async function received(
  pred: (m: Record<string, unknown>) => boolean,
  ms = 15_000,
): Promise<Record<string, unknown>> {
  const end = Date.now() + ms;
  for (;;) {
    const hit = state.windows[0]?.sent.find((s) => pred(s.msg as Record<string, unknown>));
    if (hit) return hit.msg as Record<string, unknown>;
    if (Date.now() > end) throw new Error('expected message never arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  process.env.MCPSCOPE_HOME = scratchDir('mcpscope-main-');
  const loaded = new Promise<void>((r) => (state.loaded = r));
  await import('../../electron/main.js');
  await loaded;
}, 30_000);

afterAll(async () => {
  // window-all-closed asks the engine process to dispose (demo connection, live feed) and exit;
  // here its process.exit ends the fake child, and main quits once the child exited.
  const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    for (const fn of state.childExit) (fn as (c: number) => void)(code ?? 0);
  }) as never);
  (state.appEvents.get('window-all-closed') as () => void)?.();
  const end = Date.now() + 15_000;
  while (state.quits === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  exit.mockRestore();
  expect(state.quits).toBe(1);
}, 20_000);

describe('electron/main.ts', () => {
  it('runs the engine in a utilityProcess (engine-main.js), not in the main process', () => {
    expect(state.forks).toHaveLength(1);
    expect(state.forks[0]!.modulePath).toMatch(/[\\/]electron[\\/]engine-main\.js$/);
    expect(state.forks[0]!.options).toMatchObject({ serviceName: 'mcpscope engine' });
    const main = readFileSync(join(ROOT, 'electron', 'main.ts'), 'utf8');
    expect(main).not.toMatch(/engine\/app\//); // main imports no engine code
  });

  it('registers the app scheme as standard and secure before ready', () => {
    expect(state.schemes).toEqual([
      { scheme: 'mcpscope', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('opens one window on mcpscope://app with isolation, sandbox and no node', () => {
    expect(state.windows).toHaveLength(1);
    const w = state.windows[0]!;
    expect(w.url).toBe('mcpscope://app/index.html');
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String((w.options.webPreferences as { preload: string }).preload)).toMatch(
      /preload\.js$/,
    );
  });

  it('serves the UI with the CSP and nothing from other hosts', async () => {
    const handler = state.protocolHandlers.get('mcpscope')!;
    const res = await handler({ url: 'mcpscope://app/index.html' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await handler({ url: 'mcpscope://evil/index.html' })).status).toBe(404);
    expect((await handler({ url: 'mcpscope://app/..%2f..%2fpackage.json' })).status).toBe(404);
  });

  it('answers IPC calls from the app frame, refuses other senders and unknown commands', async () => {
    ipcCall({ t: 'call', id: 101, name: 'appInfo' });
    const ok = await received((m) => m.t === 'result' && m.id === 101);
    expect(ok).toMatchObject({
      ok: true,
      result: { mode: 'electron', dataDir: process.env.MCPSCOPE_HOME },
    });

    ipcCall(
      { t: 'call', id: 102, name: 'appInfo' },
      { url: 'https://evil.example/', parent: null },
    );
    ipcCall(
      { t: 'call', id: 103, name: 'appInfo' },
      { url: 'mcpscope://app/index.html', parent: {} },
    );
    ipcCall({ t: 'call', id: 104, name: 'appInfo' }, null);
    ipcCall({ t: 'call', id: 105, name: 'shutdown' });
    const refused = await received((m) => m.id === 105);
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(
      state.windows[0]!.sent.some((s) =>
        [102, 103, 104].includes((s.msg as { id?: number }).id ?? 0),
      ),
    ).toBe(false);
  });

  it('forwards engine events: the demo connection opens in the window', async () => {
    const ev = await received(
      (m) =>
        m.t === 'event' &&
        m.name === 'onConnection' &&
        (m.payload as { status?: string }).status === 'open',
      20_000,
    );
    expect(
      (ev.payload as { handshake?: { serverInfo?: { name: string } } }).handshake?.serverInfo?.name,
    ).toBe('mcpscope-demo');
  }, 25_000);

  it('guards every web contents: no new windows, no navigation away, https to the system browser', () => {
    const handlers = new Map<string, Fn>();
    let openHandler: Fn | undefined;
    const contents = {
      setWindowOpenHandler: (fn: Fn) => (openHandler = fn),
      on: (e: string, fn: Fn) => handlers.set(e, fn),
    };
    (state.appEvents.get('web-contents-created') as (e: unknown, c: unknown) => void)({}, contents);
    expect(
      (openHandler as (d: { url: string }) => unknown)({ url: 'https://modelcontextprotocol.io/' }),
    ).toEqual({ action: 'deny' });
    expect(state.opened).toEqual(['https://modelcontextprotocol.io/']);
    expect(
      (openHandler as (d: { url: string }) => unknown)({ url: 'javascript:alert(1)' }),
    ).toEqual({ action: 'deny' });
    for (const ev of ['will-navigate', 'will-redirect']) {
      let prevented = 0;
      (handlers.get(ev) as (e: unknown) => void)({
        url: 'https://evil.example/',
        preventDefault: () => prevented++,
      });
      (handlers.get(ev) as (e: unknown) => void)({
        url: 'mcpscope://app/index.html',
        preventDefault: () => prevented++,
      });
      expect(prevented).toBe(1);
    }
    let webview = 0;
    (handlers.get('will-attach-webview') as (e: unknown) => void)({
      preventDefault: () => webview++,
    });
    expect(webview).toBe(1);
  });

  it('denies permission requests', () => {
    const answers: boolean[] = [];
    (state.permissionRequest as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(
      {},
      'media',
      (ok) => answers.push(ok),
    );
    expect(answers).toEqual([false]);
  });
});
