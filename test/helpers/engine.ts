// AppEngine helpers for tests: engines on a data dir that are disposed after each test, a bounded
// wait for one engine event, and a bounded poll for a condition.
import { afterEach, expect } from 'vitest';
import { AppEngine } from '../../electron/engine/app/engine.js';
import type { HostEvents } from '../../shared/host-api.js';

/** `engine(dataDir)` makes a browser-mode engine (no live feed) disposed after each test. */
export function enginesPerTest(): (dataDir: string) => AppEngine {
  const engines: AppEngine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.dispose();
  });
  return (dataDir) => {
    const e = new AppEngine({ mode: 'browser', dataDir, liveFeed: false });
    engines.push(e);
    return e;
  };
}

/** Poll `pred` every 10 ms, at most 200 times (2 s plus the checks), then assert it holds. */
export async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(pred()).toBe(true);
}

/** Resolve with the first `name` event of `engine` for which `pred` holds; bounded. */
export function engineEvent<K extends keyof HostEvents>(
  engine: Pick<AppEngine, 'subscribe'>,
  name: K,
  pred: (p: HostEvents[K]) => boolean,
  ms = 20_000,
): Promise<HostEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${name} event matching in ${ms} ms`));
    }, ms);
    const off = engine.subscribe((n, p) => {
      if ((n as string) === name && pred(p as HostEvents[K])) {
        clearTimeout(timer);
        off();
        resolve(p as HostEvents[K]);
      }
    });
  });
}
