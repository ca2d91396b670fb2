// Shared pieces of the load-probe tests: the fixture servers, and probeLoad with test defaults.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { probeLoad, type LoadOptions, type LoadResult } from '../../electron/engine/load/run.js';
import { ROOT } from '../helpers/paths.js';

export const LOAD_STDIO = join(ROOT, 'test', 'fixtures', 'servers', 'load-stdio.mjs');
export const LOAD_HTTP = join(ROOT, 'test', 'fixtures', 'servers', 'load-http.mjs');

export interface Fixture {
  url: string;
  stop: () => Promise<void>;
}

/** The HTTP fixture with these options; resolves once it listens (on a free port it picked). */
export function startHttpFixture(args: string[]): Promise<Fixture> {
  const proc = spawn(process.execPath, [LOAD_HTTP, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((r) => proc.on('close', () => r()));
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`load-http fixture did not start: ${err}`)),
      15_000,
    );
    proc.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on port (\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${m[1]}/mcp`,
          stop: async () => {
            proc.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    void exited.then(() => reject(new Error(`load-http fixture exited: ${err}`)));
  });
}

export function stdioTarget(...args: string[]): LoadOptions['target'] {
  return { transport: 'stdio', command: process.execPath, args: [LOAD_STDIO, ...args] };
}

export function load(o: Partial<LoadOptions> & Pick<LoadOptions, 'target'>): Promise<LoadResult> {
  return probeLoad({
    mode: { kind: 'rate', rate: 100 },
    durationMs: 2000,
    requests: 1_000_000,
    timeoutMs: 5000,
    ...o,
  });
}
