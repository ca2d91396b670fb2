// Shared pieces of the client-mode integration tests: server-everything in each transport,
// free ports, reading a capture back.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readCapture } from '../../shared/capture/index.js';
import type { EventRecord } from '../../shared/capture/index.js';
import type {
  ClientEvents,
  ConnectionManager,
  ServerTarget,
} from '../../electron/engine/client/index.js';
import { EVERYTHING, ROOT } from '../helpers/paths.js';
import { readFileSync } from 'node:fs';

export const PAGING_SERVER = join(ROOT, 'test', 'fixtures', 'servers', 'paging-server.mjs');

import { freePort } from '../helpers/net.js';

export { freePort };

export type Mode = 'stdio' | 'streamableHttp' | 'sse';

export interface Everything {
  target: ServerTarget;
  stop: () => Promise<void>;
}

/** server-everything in the given mode; HTTP modes wait for its "listening/running on port" line. */
export async function startEverything(mode: Mode): Promise<Everything> {
  if (mode === 'stdio')
    return {
      target: { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
      stop: () => Promise.resolve(),
    };
  const port = await freePort();
  const proc: ChildProcess = spawn(process.execPath, [EVERYTHING, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((r) => proc.on('close', () => r()));
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`server-everything ${mode} did not start: ${err}`)),
      20_000,
    );
    proc.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      if (/listening on port|running on port/i.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`server-everything ${mode} exited: ${err}`)));
  });
  const url = mode === 'sse' ? `http://127.0.0.1:${port}/sse` : `http://127.0.0.1:${port}/mcp`;
  return {
    target: { transport: mode === 'sse' ? 'sse' : 'streamable-http', url },
    stop: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

export function captureRecords(path: string): EventRecord[] {
  return readCapture(readFileSync(path, 'utf8')).records;
}

/** JSON-RPC messages of the capture's frames, with their direction. */
export function captureMessages(path: string): { dir: string; msg: Record<string, unknown> }[] {
  const out: { dir: string; msg: Record<string, unknown> }[] = [];
  for (const r of captureRecords(path)) {
    if (r.type !== 'frame' || r.text === undefined) continue;
    try {
      const v = JSON.parse(r.text) as unknown;
      for (const m of Array.isArray(v) ? v : [v])
        out.push({ dir: r.dir, msg: m as Record<string, unknown> });
    } catch {
      // Invalid frames are kept in the capture; tests look for them separately.
    }
  }
  return out;
}

/** Resolve when `pred` holds for an event, or reject after `ms`. */
export function waitFor<T>(
  subscribe: (cb: (e: T) => void) => () => void,
  pred: (e: T) => boolean,
  ms = 15_000,
  what = 'event',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const off = subscribe((e) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** Resolve with the first manager event of kind `k` that satisfies `pred`. */
export function waitEvent<K extends keyof ClientEvents>(
  m: ConnectionManager,
  k: K,
  pred: (e: ClientEvents[K]) => boolean,
  ms = 15_000,
): Promise<ClientEvents[K]> {
  return waitFor<ClientEvents[K]>((cb) => m.on(k, cb), pred, ms, k);
}
