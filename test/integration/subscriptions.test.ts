// Per-session event subscriptions end to end: the browser-mode server on 127.0.0.1, two UIs over
// real WebSockets, two client connections to server-everything. A UI that does not show session B
// receives no B records (while still getting library-wide events about B); subscribing later
// starts them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { startUiServer, type UiServer } from '../../electron/server/server.js';
import type { EventRecord } from '../../shared/capture/types.js';
import {
  createHostClient,
  webSocketTransport,
  type HostClient,
  type WebSocketLike,
} from '../../shared/host-client.js';
import type { ConnectionInfo } from '../../shared/host-api.js';
import { EVERYTHING, scratchDir } from '../helpers/paths.js';

let engine: AppEngine;
let server: UiServer;
const uis: { host: HostClient; ws: WebSocket }[] = [];

interface Ui {
  host: HostClient;
  records: Map<string, EventRecord[]>;
  summaries: Set<string>;
}

function openUi(): Ui {
  const session = server.auth.newSession();
  const ws = new WebSocket(
    `ws://127.0.0.1:${server.port}/api`,
    ['mcpscope', `mcpscope.session.${session}`],
    { origin: `http://127.0.0.1:${server.port}` },
  );
  const host = createHostClient(webSocketTransport(ws as unknown as WebSocketLike), {
    timeoutMs: 30_000,
  });
  uis.push({ host, ws });
  const ui: Ui = { host, records: new Map(), summaries: new Set() };
  host.onRecords((e) => {
    const list = ui.records.get(e.sessionId) ?? [];
    list.push(...e.records);
    ui.records.set(e.sessionId, list);
  });
  host.onSession((s) => ui.summaries.add(s.id));
  return ui;
}

/** Bounded wait for a condition the UI's events make true. */
async function until(what: string, pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sawToolsList = (ui: Ui, sessionId: string): boolean =>
  (ui.records.get(sessionId) ?? []).some(
    (r) => r.type === 'frame' && r.dir === 's2c' && (r.text ?? '').includes('"tools"'),
  );

beforeAll(async () => {
  engine = new AppEngine({ mode: 'browser', dataDir: scratchDir(), liveFeed: false, scan: false });
  await engine.start();
  server = await startUiServer({ attach: (deliver) => engine.attach(deliver) });
});

afterAll(async () => {
  for (const u of uis) {
    u.host.dispose();
    u.ws.close();
  }
  await server?.close();
  await engine?.dispose();
});

describe('per-session subscriptions over the WebSocket API', () => {
  it('a UI not showing session B receives no B records; library events still reach it', async () => {
    const one = openUi();
    const two = openUi();
    const connect = (name: string): Promise<ConnectionInfo> =>
      one.host.connect({
        transport: 'stdio',
        command: process.execPath,
        args: [EVERYTHING, 'stdio'],
        name,
      });
    const a = await connect('session-a');
    const b = await connect('session-b');
    expect(a.sessionId).not.toBe(b.sessionId);
    await one.host.subscribeSessions({ sessionIds: [a.sessionId] });
    await two.host.subscribeSessions({ sessionIds: [b.sessionId] });

    // B's traffic first; once UI two has it, the engine has sent B's records to whoever gets them.
    await two.host.listTools({ connectionId: b.id });
    await until('UI two to get B tools/list', () => sawToolsList(two, b.sessionId));
    // Then A's: UI one receives its events in order, so once A's tools/list is in, any B record
    // sent to UI one would already have arrived.
    await one.host.listTools({ connectionId: a.id });
    await until('UI one to get A tools/list', () => sawToolsList(one, a.sessionId));

    expect(one.records.has(b.sessionId)).toBe(false);
    expect(two.records.has(a.sessionId)).toBe(false);
    // Library-wide: both UIs know both sessions exist.
    expect(one.summaries.has(b.sessionId)).toBe(true);
    expect(two.summaries.has(a.sessionId)).toBe(true);

    // Subscribing later: B's new records reach UI one too; unsubscribing stops A for it.
    await one.host.subscribeSessions({ sessionIds: [b.sessionId] });
    await one.host.unsubscribeSessions({ sessionIds: [a.sessionId] });
    const aBefore = one.records.get(a.sessionId)!.length;
    await one.host.ping({ connectionId: a.id });
    await one.host.listTools({ connectionId: b.id });
    await until('UI one to get B tools/list', () => sawToolsList(one, b.sessionId));
    expect(one.records.get(a.sessionId)!.length).toBe(aBefore);

    await one.host.disconnect({ connectionId: a.id });
    await one.host.disconnect({ connectionId: b.id });
  }, 60_000);

  it('refuses a malformed subscription with a message that says what is wrong', async () => {
    const ui = openUi();
    await expect(ui.host.subscribeSessions({ sessionIds: [42] } as never)).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/sessionIds/),
    });
  });
});
