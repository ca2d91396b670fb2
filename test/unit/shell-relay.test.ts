// The Electron relay without the binary: main's EngineRelay and the engine process's servePort,
// joined by structured-clone "ports" around a real AppEngine. Calls are checked in main (sender,
// envelope) before they cross; answers and events go to the window they belong to, and a
// session's records only to the window that subscribed to it.
import { afterAll, describe, expect, it } from 'vitest';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { servePort, type FromEngine } from '../../electron/engine/app/port-host.js';
import { EngineRelay } from '../../electron/shell/relay.js';
import { IPC_CALL } from '../../electron/shell/ipc.js';
import type { HostMessage } from '../../shared/host-client.js';
import { scratchDir } from '../helpers/paths.js';

const engine = new AppEngine({
  mode: 'electron',
  dataDir: scratchDir(),
  liveFeed: false,
  scan: false,
});
afterAll(() => engine.dispose());

const APP = { frameUrl: 'mcpscope://app/index.html', isMainFrame: true };
let quits = 0;
// Each side posts to the other as a structured clone, asynchronously, as MessagePorts do.
const relay = new EngineRelay((m) => setImmediate(() => handle(structuredClone(m))));
const handle = servePort(
  engine,
  { postMessage: (m: FromEngine) => setImmediate(() => relay.fromEngine(structuredClone(m))) },
  () => quits++,
);

function window(): { id: number; got: HostMessage[] } {
  const got: HostMessage[] = [];
  return { id: relay.addWindow((m) => got.push(m)), got };
}

async function until<T>(what: string, f: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const result = (w: { got: HostMessage[] }, id: number) =>
  w.got.find((m) => m.t === 'result' && m.id === id);

describe('Electron relay (main ⇄ engine utilityProcess)', () => {
  it('relays calls from the app page and answers the window that asked', async () => {
    const one = window();
    const two = window();
    relay.fromRenderer(one.id, IPC_CALL, APP, { t: 'call', id: 1, name: 'appInfo' });
    const r = await until('appInfo answer', () => result(one, 1));
    expect(r).toMatchObject({ ok: true, result: { mode: 'electron' } });
    expect(result(two, 1)).toBeUndefined();
  });

  it('refuses in main what must not reach the engine; ignores unknown windows', async () => {
    const w = window();
    relay.fromRenderer(
      w.id,
      IPC_CALL,
      { frameUrl: 'https://evil.example/', isMainFrame: true },
      {
        t: 'call',
        id: 2,
        name: 'appInfo',
      },
    );
    relay.fromRenderer(w.id, 'other:channel', APP, { t: 'call', id: 3, name: 'appInfo' });
    relay.fromRenderer(w.id, IPC_CALL, APP, { t: 'call', id: 4, name: 'shutdown' });
    relay.fromRenderer(999, IPC_CALL, APP, { t: 'call', id: 5, name: 'appInfo' });
    // End marker: a good call after them, answered in order.
    relay.fromRenderer(w.id, IPC_CALL, APP, { t: 'call', id: 6, name: 'appInfo' });
    await until('the end marker', () => result(w, 6));
    expect(result(w, 4)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect([2, 3, 5].map((id) => result(w, id))).toEqual([undefined, undefined, undefined]);
    // Hostile or stray engine messages are dropped.
    for (const bad of [null, 'x', { t: 'ui', ui: 'one', msg: {} }, { t: 'ui', ui: 12345, msg: {} }])
      relay.fromEngine(bad);
    expect(w.got.every((m) => m.t === 'result')).toBe(true);
  });

  it('session events reach only the window subscribed to the session', async () => {
    const one = window();
    const two = window();
    relay.fromRenderer(one.id, IPC_CALL, APP, {
      t: 'call',
      id: 10,
      name: 'subscribeSessions',
      args: { sessionIds: ['A'] },
    });
    await until('subscribe answer', () => result(one, 10));
    engine.registry.startLive(
      {
        seq: 0,
        ts: 1,
        type: 'header',
        format: 'mcpscope-capture',
        version: 1,
        tool: 'test',
        created: new Date(1).toISOString(),
        id: 'A',
        source: { transport: 'stdio' },
      } as never,
      'recorder',
    );
    engine.registry.appendLive('A', [{ seq: 1, ts: 2, type: 'note', text: 'hello' }]);
    engine.registry.flush();
    const ev = await until('A records in window one', () =>
      one.got.find((m) => m.t === 'event' && m.name === 'onRecords'),
    );
    expect(ev).toMatchObject({ payload: { sessionId: 'A' } });
    // Both windows got the library event; only one got the records.
    await until('onSession in window two', () =>
      two.got.find((m) => m.t === 'event' && m.name === 'onSession'),
    );
    expect(two.got.some((m) => m.t === 'event' && m.name === 'onRecords')).toBe(false);
  });

  it('a closed window detaches; quit reaches the engine process', async () => {
    const w = window();
    const all = relay.windowCount;
    await until('attach', () => (engine.subscriptions.size === all ? true : undefined));
    relay.removeWindow(w.id);
    await until('detach', () => (engine.subscriptions.size === all - 1 ? true : undefined));
    relay.quit();
    await until('quit', () => (quits === 1 ? true : undefined));
    expect(engine.subscriptions.size).toBe(0);
  });
});
