// The Electron shell: one window on our own `mcpscope://app` scheme, and HostApi over one
// validated IPC channel. The engine runs in an Electron utilityProcess (engine-main.ts): this
// process only draws windows and relays each window's calls and events over one MessagePort
// (shell/relay.ts), so a busy engine never freezes the UI. Policy (IPC validation, CSP,
// navigation, the relay) lives in electron/shell/ without electron imports, so it is unit-tested
// without the binary.

import {
  app,
  BrowserWindow,
  ipcMain,
  MessageChannelMain,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
  type IpcMainEvent,
  type UtilityProcess,
  type WebContents,
} from 'electron';
import { fileURLToPath } from 'node:url';
import type { HostMessage } from '../shared/host-client.js';
import { defaultRendererDir, resolveStatic } from './server/static.js';
import { buildCsp, SECURITY_HEADERS } from './shell/csp.js';
import { APP_HOST, APP_SCHEME, APP_URL, IPC_CALL, IPC_MESSAGE } from './shell/ipc.js';
import { EngineRelay } from './shell/relay.js';
import { answerSecret, safeStorageBox } from './shell/secret-port.js';
import { DOWNLOAD_PATH_PREFIX, downloadRequester } from './shell/download-port.js';
import { navigationDecision, permissionDecision, windowOpenDecision } from './shell/navigation.js';

// Must happen before `ready`: our scheme behaves like https (secure context, standard origin).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** Each window's id in the relay. */
const windows = new Map<WebContents, number>();
const CSP = buildCsp();
let engineProcess: UtilityProcess | undefined;
let relay: EngineRelay | undefined;
/** The Export menu's download links, redeemed by the engine (shell/download-port.ts). */
let downloads: ReturnType<typeof downloadRequester> | undefined;

/** Fork the engine (after `ready`) and connect the relay to it over a MessagePort. */
function startEngine(files: string[]): EngineRelay {
  const child = utilityProcess.fork(
    fileURLToPath(new URL('./engine-main.js', import.meta.url)),
    files,
    { serviceName: 'mcpscope engine', stdio: 'inherit' },
  );
  const { port1, port2 } = new MessageChannelMain();
  const r = new EngineRelay((msg) => port1.postMessage(msg));
  port1.on('message', (e) => r.fromEngine(e.data));
  port1.start();
  child.postMessage({ t: 'port' }, [port2]);
  // The engine's keychain requests (team-store connection strings), answered with safeStorage.
  const keychain = safeStorageBox(safeStorage);
  downloads = downloadRequester((m) => child.postMessage(m));
  child.on('message', (m: unknown) => {
    if (downloads?.onMessage(m)) return;
    void answerSecret(keychain, m).then((reply) => {
      if (reply) child.postMessage(reply);
    });
  });
  child.on('exit', (code) => {
    engineProcess = undefined;
    if (windows.size > 0) console.error(`mcpscope: the engine process exited (code ${code})`);
  });
  engineProcess = child;
  return r;
}

function serveApp(): void {
  const root = defaultRendererDir();
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    // An export's file: a save dialog asks where (Content-Disposition: attachment).
    if (url.pathname.startsWith(DOWNLOAD_PATH_PREFIX) && downloads)
      return downloads.respond(url.pathname.slice(DOWNLOAD_PATH_PREFIX.length));
    const file = resolveStatic(root, url.pathname);
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'content-type': file.type };
    if (file.html) headers['content-security-policy'] = CSP;
    return new Response(new Uint8Array(file.body), { status: file.status, headers });
  });
}

/** Every web contents, whatever created it, gets the same guards. */
function guard(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url, frameName }) => {
    const d = windowOpenDecision(url, frameName);
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
  const id = windows.get(event.sender);
  if (id === undefined || !relay) return;
  const frame = event.senderFrame;
  relay.fromRenderer(
    id,
    IPC_CALL,
    { frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null },
    payload,
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
  const id = relay!.addWindow((msg) => send(contents, msg));
  windows.set(contents, id);
  contents.once('destroyed', () => {
    windows.delete(contents);
    relay?.removeWindow(id);
  });
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
    const files = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => a.endsWith('.jsonl'));
    relay = startEngine(files);
    // The window opens at once; its first calls wait on the port until the library is loaded.
    await createWindow();
  })
  .catch((e: unknown) => {
    console.error(`mcpscope: ${(e as Error).stack ?? String(e)}`);
    app.exit(1);
  });

/** The engine disposes (closes connections, the live feed) and exits; bounded by a timeout. */
app.on('window-all-closed', () => {
  const child = engineProcess;
  if (!child || !relay) {
    app.quit();
    return;
  }
  const timer = setTimeout(() => {
    child.kill();
    app.quit();
  }, 5000);
  child.once('exit', () => {
    clearTimeout(timer);
    app.quit();
  });
  relay.quit();
});
