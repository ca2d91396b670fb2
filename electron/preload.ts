// The preload: exposes exactly one object, `window.mcpscope`, shaped as shared/host-client's
// HostTransport ({send, onMessage}), so the renderer's Electron adapter is
// `createHostClient(window.mcpscope)`. Sandboxed preloads cannot load local modules, so this
// file has no imports: only `require('electron')`, and the channel names are literals checked
// against electron/shell/ipc.ts by a unit test.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is a script, not a module
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');

const CALL_CHANNEL = 'mcpscope:call';
const MESSAGE_CHANNEL = 'mcpscope:message';

contextBridge.exposeInMainWorld('mcpscope', {
  send(msg: unknown): void {
    ipcRenderer.send(CALL_CHANNEL, msg);
  },
  onMessage(listener: (msg: unknown) => void): () => void {
    // Only the payload crosses: the IpcRendererEvent (with its sender) never reaches the page.
    const handler = (_event: unknown, msg: unknown): void => listener(msg);
    ipcRenderer.on(MESSAGE_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(MESSAGE_CHANNEL, handler);
  },
});
