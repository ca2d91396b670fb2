// The engine's end of the Electron relay: in the desktop app the engine runs in an Electron
// utilityProcess, and the main process relays each window's HostApi messages over one
// MessagePort (electron/shell/relay.ts is the other end). Every window is one attached UI here
// (AppEngine.attach), so per-session subscriptions work per window as they do per WebSocket.
// Kept free of electron imports: the port is anything with postMessage.

import { dispatchCall, type CallMessage, type HostMessage } from '../../../shared/host-client.js';
import { isObject } from '../../../shared/json.js';
import type { AppEngine, AttachedUi } from './engine.js';

/** main → engine. `ui` names one window. */
export type ToEngine =
  | { t: 'attach'; ui: number }
  | { t: 'detach'; ui: number }
  | { t: 'call'; ui: number; call: CallMessage }
  | { t: 'quit' };

/** engine → main: a message for one window, or the engine's own state. */
export type FromEngine = { t: 'ui'; ui: number; msg: HostMessage } | { t: 'ready' };

export interface PortLike {
  postMessage(msg: FromEngine): void;
}

/** A handler for the messages main sends; `onQuit` runs once on {t:'quit'}. */
export function servePort(
  engine: Pick<AppEngine, 'attach'>,
  port: PortLike,
  onQuit: () => void = () => undefined,
): (data: unknown) => void {
  const uis = new Map<number, AttachedUi>();
  return (data) => {
    if (!isObject(data)) return;
    if (data.t === 'quit') {
      for (const ui of uis.values()) ui.detach();
      uis.clear();
      onQuit();
      return;
    }
    const ui = data.ui;
    if (typeof ui !== 'number' || !Number.isSafeInteger(ui)) return;
    if (data.t === 'attach') {
      if (!uis.has(ui))
        uis.set(
          ui,
          engine.attach((name, payload) =>
            port.postMessage({ t: 'ui', ui, msg: { t: 'event', name, payload } as HostMessage }),
          ),
        );
    } else if (data.t === 'detach') {
      uis.get(ui)?.detach();
      uis.delete(ui);
    } else if (data.t === 'call') {
      const attached = uis.get(ui);
      if (!attached) return;
      // dispatchCall checks the envelope again and each command checks its argument (zod).
      void dispatchCall(attached.commands, data.call).then(
        (answer) => answer && port.postMessage({ t: 'ui', ui, msg: answer }),
      );
    }
  };
}
