// Shared pieces of the HTTP recorder integration tests: free ports, server-everything in its HTTP
// modes, the recorder CLI as a real process, and an SDK transport wrapper that logs every message
// the client sent and received (to compare with the capture).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CLI, EVERYTHING } from '../helpers/paths.js';

import { freePort } from '../helpers/net.js';

export { freePort };

export interface Proc {
  proc: ChildProcess;
  stderr: () => string;
  /** Send a signal and wait for the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  exited: Promise<number | null>;
}

/** Spawn and wait until stderr matches `ready` (the process's own readiness signal). */
export function spawnUntil(
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 20_000,
): Promise<Proc & { match: RegExpExecArray }> {
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((r) => proc.on('close', (code) => r(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };
  proc.stdout.resume();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not become ready: ${err}`));
    }, timeoutMs);
    proc.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
      const m = ready.exec(err);
      if (m && timer) {
        clearTimeout(timer);
        resolve({ proc, stderr: () => err, stop, exited, match: m });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before it was ready: ${err}`));
    });
  });
}

export async function startEverything(
  mode: 'streamableHttp' | 'sse',
): Promise<Proc & { port: number }> {
  const port = await freePort();
  const p = await spawnUntil([EVERYTHING, mode], /listening on port|Server is running on port/, {
    PORT: String(port),
  });
  return { ...p, port };
}

export async function startRecorder(args: string[]): Promise<Proc & { url: string }> {
  const p = await spawnUntil(
    [CLI, 'record', ...args],
    /(?:listening on|bridge for .* listening on) (http:\/\/\S+)/,
  );
  return { ...p, url: p.match[1]! };
}

export interface Logged {
  sent: JSONRPCMessage[];
  received: JSONRPCMessage[];
  /** performance.now() of each received message. */
  receivedAt: number[];
}

/** Wraps a client transport so every message it sends and receives is logged. */
export function logTransport<T extends Transport>(t: T): { transport: T; log: Logged } {
  const log: Logged = { sent: [], received: [], receivedAt: [] };
  const send = t.send.bind(t);
  t.send = (m, opts) => {
    log.sent.push(m);
    return send(m, opts);
  };
  let handler: Transport['onmessage'];
  Object.defineProperty(t, 'onmessage', {
    configurable: true,
    get: () => handler,
    set: (fn: Transport['onmessage']) => {
      handler = fn
        ? (m, extra) => {
            log.received.push(m);
            log.receivedAt.push(performance.now());
            fn(m, extra);
          }
        : fn;
    },
  });
  return { transport: t, log };
}

export type Rec = Record<string, unknown> & { type: string; seq: number; ts: number };

export function readRecords(path: string): Rec[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Rec);
}

/** JSON values of the frames in one direction, canonicalised and sorted (a multiset). */
export function frameSet(recs: Rec[], dir: 'c2s' | 's2c'): string[] {
  return recs
    .filter((r) => r.type === 'frame' && r.dir === dir)
    .map((r) => canon(JSON.parse(r.text as string)))
    .sort();
}

export function messageSet(msgs: unknown[]): string[] {
  return msgs.map(canon).sort();
}

function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : x,
  );
}
