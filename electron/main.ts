// The Electron shell: one window on our own `mcpscope://app` scheme, the engine in this process,
// and HostApi over one validated IPC channel. Policy (IPC validation, CSP, navigation) lives in
// electron/shell/ without electron imports, so it is unit-tested without the binary.

import {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  type IpcMainEvent,
  type WebContents,
} from 'electron';
import { fileURLToPath } from 'node:url';
import { AppEngine } from './engine/app/engine.js';
import { safeStorageBox } from './engine/app/store-sources.js';
import { demoProfile, startDemo } from './engine/app/demo.js';
import { dispatchCall, type HostMessage } from '../shared/host-client.js';
import { defaultRendererDir, resolveStatic } from './server/static.js';
import { buildCsp, SECURITY_HEADERS } from './shell/csp.js';
import { APP_HOST, APP_SCHEME, APP_URL, IPC_CALL, IPC_MESSAGE, validateIpc } from './shell/ipc.js';
import { navigationDecision, permissionDecision, windowOpenDecision } from './shell/navigation.js';

// Must happen before `ready`: our scheme behaves like https (secure context, standard origin).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// Team-store connection strings are remembered only encrypted by the OS keychain (safeStorage).
const engine = new AppEngine({ mode: 'electron', secretBox: safeStorageBox(safeStorage) });
const windows = new Set<WebContents>();
const CSP = buildCsp();

function serveApp(): void {
  const root = defaultRendererDir();
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const file = resolveStatic(root, url.pathname);
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'content-type': file.type };
    if (file.html) headers['content-security-policy'] = CSP;
    return new Response(new Uint8Array(file.body), { status: file.status, headers });
  });
}

/** Every web contents, whatever created it, gets the same guards. */
function guard(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    const d = windowOpenDecision(url);
    if (d.openExternal) void shell.openExternal(d.openExternal);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (e) => {
    if (navigationDecision(e.url) === 'deny') e.preventDefault();
  });
  contents.on('will-redirect', (e) => {
    if (navigationDecision(e.url) === 'deny') e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

function send(target: WebContents, msg: HostMessage): void {
  if (!target.isDestroyed()) target.send(IPC_MESSAGE, msg);
}

function onCall(event: IpcMainEvent, payload: unknown): void {
  const frame = event.senderFrame;
  const verdict = validateIpc(
    IPC_CALL,
    { frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null },
    payload,
  );
  if (!verdict.ok) {
    if (verdict.id !== undefined)
      send(event.sender, {
        t: 'result',
        id: verdict.id,
        ok: false,
        error: { code: 'bad-request', message: verdict.reason },
      });
    return;
  }
  void dispatchCall(engine.commands, verdict.call).then(
    (answer) => answer && send(event.sender, answer),
  );
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'mcpscope',
    show: false,
    webPreferences: {
      preload: fileURLToPath(new URL('./preload.js', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const contents = win.webContents;
  windows.add(contents);
  contents.once('destroyed', () => windows.delete(contents));
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_URL);
}

app.on('web-contents-created', (_e, contents) => guard(contents));

app
  .whenReady()
  .then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) =>
      cb(permissionDecision(permission)),
    );
    session.defaultSession.setPermissionCheckHandler((_wc, permission) =>
      permissionDecision(permission),
    );
    serveApp();
    ipcMain.on(IPC_CALL, onCall);
    engine.subscribe((name, payload) => {
      for (const wc of windows) send(wc, { t: 'event', name, payload } as HostMessage);
    });
    await engine.start();
    const files = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => a.endsWith('.jsonl'));
    for (const f of files) {
      try {
        await engine.openFiles([f]);
      } catch (e) {
        console.error(`mcpscope: ${(e as Error).message}`);
      }
    }
    await createWindow();
    // First run: the demo server, run by this same binary acting as Node.
    if (files.length === 0) {
      startDemo(engine, demoProfile(process.execPath, { ELECTRON_RUN_AS_NODE: '1' })).catch(
        (e: unknown) => console.error(`mcpscope: demo: ${(e as Error).message}`),
      );
    }
  })
  .catch((e: unknown) => {
    console.error(`mcpscope: ${(e as Error).stack ?? String(e)}`);
    app.exit(1);
  });

app.on('window-all-closed', () => {
  void engine.dispose().finally(() => app.quit());
});
