// The Electron IPC policy, kept free of electron imports so it is unit-tested without the binary.
// One channel each way; main accepts a message only from the main frame of a page served by our
// own protocol (VS Code checks sender frames the same way), and only with a known command name.

import { parseCallMessage, type CallMessage } from '../../shared/host-client.js';

/** renderer → main: one HostApi call. Must match the literal in electron/preload.ts. */
export const IPC_CALL = 'mcpscope:call';
/** main → renderer: results and events. Must match the literal in electron/preload.ts. */
export const IPC_MESSAGE = 'mcpscope:message';

/** The app's own pages are served from this privileged scheme (never file://, never http). */
export const APP_SCHEME = 'mcpscope';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export interface SenderInfo {
  /** URL of the frame that sent the message (undefined if the frame is gone). */
  frameUrl: string | undefined;
  /** True when the frame is the top-level frame of its page. */
  isMainFrame: boolean;
}

export function isTrustedSender(s: SenderInfo): boolean {
  if (!s.isMainFrame || !s.frameUrl) return false;
  try {
    const u = new URL(s.frameUrl);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export type IpcVerdict =
  { ok: true; call: CallMessage } | { ok: false; reason: string; id?: number };

/** Decide about one incoming IPC message: channel, sender and envelope. */
export function validateIpc(channel: string, sender: SenderInfo, payload: unknown): IpcVerdict {
  if (channel !== IPC_CALL)
    return { ok: false, reason: `unknown channel ${JSON.stringify(channel)}` };
  if (!isTrustedSender(sender))
    return { ok: false, reason: `untrusted sender ${JSON.stringify(sender.frameUrl ?? '')}` };
  const call = parseCallMessage(payload);
  if ('error' in call)
    return call.id === undefined
      ? { ok: false, reason: call.error }
      : { ok: false, reason: call.error, id: call.id };
  return { ok: true, call };
}
