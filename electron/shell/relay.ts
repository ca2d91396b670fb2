// The main process's end of the Electron relay (kept free of electron imports, so it is
// unit-tested without the binary): each window is a numbered UI; a call from a window is checked
// here (channel, sender frame, envelope: validateIpc) and passed to the engine's utilityProcess
// over the MessagePort; what the engine sends back goes to the window it names, and only there.

import type { HostMessage } from '../../shared/host-client.js';
import { isObject } from '../../shared/json.js';
import type { FromEngine, ToEngine } from '../engine/app/port-host.js';
import { validateIpc, type SenderInfo } from './ipc.js';

export type WindowSend = (msg: HostMessage) => void;

export class EngineRelay {
  private readonly windows = new Map<number, WindowSend>();
  private nextId = 1;
  /** The engine said it is ready (library scanned, files opened). */
  ready = false;

  constructor(private readonly toEngine: (msg: ToEngine) => void) {}

  /** A new window: the engine attaches it as one UI. Returns its id. */
  addWindow(send: WindowSend): number {
    const id = this.nextId++;
    this.windows.set(id, send);
    this.toEngine({ t: 'attach', ui: id });
    return id;
  }

  removeWindow(id: number): void {
    if (!this.windows.delete(id)) return;
    this.toEngine({ t: 'detach', ui: id });
  }

  get windowCount(): number {
    return this.windows.size;
  }

  /** One IPC message from a window: refused here unless it is a well-formed call from our page. */
  fromRenderer(id: number, channel: string, sender: SenderInfo, payload: unknown): void {
    const send = this.windows.get(id);
    if (!send) return;
    const verdict = validateIpc(channel, sender, payload);
    if (!verdict.ok) {
      if (verdict.id !== undefined)
        send({
          t: 'result',
          id: verdict.id,
          ok: false,
          error: { code: 'bad-request', message: verdict.reason },
        });
      return;
    }
    this.toEngine({ t: 'call', ui: id, call: verdict.call });
  }

  /** One message from the engine process. */
  fromEngine(data: unknown): void {
    if (!isObject(data)) return;
    const msg = data as Partial<FromEngine> & Record<string, unknown>;
    if (msg.t === 'ready') {
      this.ready = true;
      return;
    }
    if (msg.t !== 'ui' || typeof msg.ui !== 'number' || !isObject(msg.msg)) return;
    const send = this.windows.get(msg.ui);
    if (!send) return;
    try {
      send(msg.msg as unknown as HostMessage);
    } catch {
      // A window that went away mid-send: nothing to deliver to.
    }
  }

  quit(): void {
    this.toEngine({ t: 'quit' });
  }
}
