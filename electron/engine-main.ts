// The engine process of the desktop app: electron/main.ts forks this file as an Electron
// utilityProcess, so the session library, recorders' live feed, client connections and scans
// never block the main process (which only draws windows and relays IPC). Main sends one
// MessagePort first; over it, port-host.ts serves each window as one attached UI. Capture files
// named on the command line arrive as this process's arguments.

import { AppEngine } from './engine/app/engine.js';
import { demoProfile, startDemo } from './engine/app/demo.js';
import { servePort, type FromEngine } from './engine/app/port-host.js';
import { remoteSecretBox } from './shell/secret-port.js';
import { downloadAnswerer } from './shell/download-port.js';

// Team-store connection strings are remembered only encrypted by the OS keychain, which main
// holds (safeStorage); each encrypt/decrypt is a request to main over the parent port.
const keychain = remoteSecretBox((m) => process.parentPort.postMessage(m));
process.parentPort.on('message', (e) => keychain.onMessage(e.data));
const engine = new AppEngine({ mode: 'electron', secretBox: keychain.box });
// The Export menu's download links: main serves them, this process redeems their tickets.
const downloads = downloadAnswerer(
  (ticket) => engine.exportFiles.redeem(ticket),
  (m) => process.parentPort.postMessage(m),
);
process.parentPort.on('message', (e) => downloads(e.data));
const files = process.argv.slice(2).filter((a) => a.endsWith('.jsonl'));

process.parentPort.once('message', (e) => {
  const port = e.ports[0];
  if (!port) {
    console.error('mcpscope: engine: main sent no MessagePort; exiting');
    process.exit(1);
  }
  const post = (m: FromEngine): void => port.postMessage(m);
  const quit = (): void => {
    void engine.dispose().finally(() => process.exit(0));
  };
  void (async () => {
    await engine.start();
    for (const f of files) {
      try {
        await engine.openFiles([f]);
      } catch (err) {
        console.error(`mcpscope: ${(err as Error).message}`);
      }
    }
    const handle = servePort(engine, { postMessage: post }, quit);
    port.on('message', (m) => handle(m.data));
    // Messages main sent while the library loaded were queued on the port until now.
    port.start();
    post({ t: 'ready' });
    // First run: the demo server, run by the Electron binary acting as Node.
    if (files.length === 0)
      startDemo(engine, demoProfile(process.execPath, { ELECTRON_RUN_AS_NODE: '1' })).catch(
        (err: unknown) => console.error(`mcpscope: demo: ${(err as Error).message}`),
      );
  })().catch((err: unknown) => {
    console.error(`mcpscope: engine: ${(err as Error).stack ?? String(err)}`);
  });
});
