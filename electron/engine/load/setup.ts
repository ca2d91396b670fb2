// The handshake and setup requests (initialize, tools/list) a load run makes before the load:
// string ids ("s1", "s2"…), so they never collide with the numeric ids of load requests.

import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_VERSION } from '../version.js';
import { SetupError } from './driver.js';

interface Waiter {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class PendingCalls {
  private next = 0;
  private readonly waiting = new Map<string, Waiter>();

  open(method: string, timeoutMs: number): { id: string; promise: Promise<unknown> } {
    const id = `s${++this.next}`;
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(
          new SetupError(
            `the server did not answer ${method} within ${timeoutMs} ms (use --timeout to wait longer).`,
          ),
        );
      }, timeoutMs);
      this.waiting.set(id, { method, resolve, reject, timer });
    });
    return { id, promise };
  }

  settle(id: string, msg: { result?: unknown; error?: unknown }): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    if (msg.error !== undefined) {
      const e = msg.error as { code?: unknown; message?: unknown } | null;
      w.reject(
        new SetupError(
          `${w.method} failed: ${typeof e?.message === 'string' ? e.message.slice(0, 300) : 'error'} (code ${String(e?.code)})`,
        ),
      );
    } else w.resolve(msg.result);
  }

  failAll(err: Error): void {
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      this.waiting.delete(id);
      w.reject(err);
    }
  }
}

export interface SetupClient {
  call(
    method: string,
    params: Record<string, unknown> | undefined,
    timeoutMs: number,
  ): Promise<unknown>;
  notify(method: string): void | Promise<void>;
}

export const CLIENT_INFO = { name: 'mcpscope-load', version: TOOL_VERSION };

/** initialize + notifications/initialized; returns the negotiated protocol version. */
export async function handshake(c: SetupClient, timeoutMs: number): Promise<string> {
  const result = (await c.call(
    'initialize',
    { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
    timeoutMs,
  )) as { protocolVersion?: unknown } | null;
  await c.notify('notifications/initialized');
  return typeof result?.protocolVersion === 'string'
    ? result.protocolVersion
    : LATEST_PROTOCOL_VERSION;
}

export interface ToolInfo {
  name: string;
  annotations?: { readOnlyHint?: unknown; destructiveHint?: unknown };
}

/** Every tool, all pages (at most 100 pages). */
export async function listTools(c: SetupClient, timeoutMs: number): Promise<ToolInfo[]> {
  const out: ToolInfo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const r = (await c.call(
      'tools/list',
      cursor !== undefined ? { cursor } : undefined,
      timeoutMs,
    )) as { tools?: unknown; nextCursor?: unknown } | null;
    if (Array.isArray(r?.tools))
      for (const t of r.tools as unknown[])
        if (t && typeof t === 'object' && typeof (t as ToolInfo).name === 'string')
          out.push(t as ToolInfo);
    if (typeof r?.nextCursor !== 'string' || r.nextCursor === '') break;
    cursor = r.nextCursor;
  }
  return out;
}
