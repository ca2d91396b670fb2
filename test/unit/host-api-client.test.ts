// The host-api adapters: createHostClient over a transport, dispatchCall on the engine side, and
// the WebSocket transport, wired back to back in memory.
import { describe, expect, it } from 'vitest';
import {
  COMMAND_NAMES,
  EVENT_NAMES,
  HostApiError,
  isCommandName,
  type HostCommandsApi,
  type HostEvents,
  type SessionSummary,
} from '../../shared/host-api.js';
import {
  createHostClient,
  dispatchCall,
  parseCallMessage,
  webSocketTransport,
  type ClientMessage,
  type HostMessage,
  type HostTransport,
  type WebSocketLike,
} from '../../shared/host-client.js';

const summary = (id: string): SessionSummary => ({
  id,
  origin: 'file',
  live: false,
  title: 't',
  transport: 'stdio',
  started: 1,
  durationMs: 0,
  frameCount: 0,
  errorCount: 0,
  recordCount: 1,
  closed: true,
});

/** A fake engine: only the commands a test needs; others fail as unavailable. */
function makeEngine(partial: Partial<HostCommandsApi>): HostCommandsApi {
  const api: Record<string, unknown> = {};
  for (const n of COMMAND_NAMES) {
    api[n] =
      partial[n] ??
      (async () => {
        throw new HostApiError('unavailable', `${n} not in this fake`);
      });
  }
  return api as HostCommandsApi;
}

/** Client and engine joined by an in-memory pipe; `push` sends an event to the client. */
function pipe(engine: HostCommandsApi) {
  const toClient = new Set<(m: HostMessage) => void>();
  const sent: ClientMessage[] = [];
  const transport: HostTransport = {
    send(msg) {
      sent.push(msg);
      // Round-trip through JSON like a real transport would.
      void dispatchCall(engine, JSON.parse(JSON.stringify(msg))).then(
        (r) => r && toClient.forEach((l) => l(JSON.parse(JSON.stringify(r)) as HostMessage)),
      );
    },
    onMessage(l) {
      toClient.add(l);
      return () => toClient.delete(l);
    },
  };
  const push = <K extends keyof HostEvents>(name: K, payload: HostEvents[K]): void =>
    toClient.forEach((l) => l({ t: 'event', name, payload } as HostMessage));
  return { client: createHostClient(transport), sent, push };
}

describe('host-api channel map', () => {
  it('lists every command and event once', () => {
    expect(new Set(COMMAND_NAMES).size).toBe(COMMAND_NAMES.length);
    expect(COMMAND_NAMES).toContain('readRecords');
    expect(EVENT_NAMES.every((e) => /^on[A-Z]/.test(e))).toBe(true);
    expect(isCommandName('toString')).toBe(false);
    expect(isCommandName('__proto__')).toBe(false);
  });
});

describe('createHostClient + dispatchCall', () => {
  it('calls a command with its argument and resolves with the result', async () => {
    const { client, sent } = pipe(makeEngine({ getSession: async (a) => summary(a.sessionId) }));
    const s = await client.getSession({ sessionId: 'abc' });
    expect(s.id).toBe('abc');
    expect(sent[0]).toMatchObject({ t: 'call', name: 'getSession', args: { sessionId: 'abc' } });
  });

  it('sends no args for argument-less commands', async () => {
    const { client, sent } = pipe(
      makeEngine({ listSessions: async () => [summary('a'), summary('b')] }),
    );
    expect((await client.listSessions()).map((s) => s.id)).toEqual(['a', 'b']);
    expect('args' in sent[0]!).toBe(false);
  });

  it('re-throws engine errors as HostApiError with code and message', async () => {
    const { client } = pipe(makeEngine({}));
    const err = await client.appInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostApiError);
    expect((err as HostApiError).code).toBe('unavailable');
    expect((err as HostApiError).message).toBe('appInfo not in this fake');
  });

  it('turns non-HostApiError throws into code "failed"', async () => {
    const { client } = pipe(
      makeEngine({
        listSessions: async () => {
          throw new TypeError('boom');
        },
      }),
    );
    await expect(client.listSessions()).rejects.toMatchObject({ code: 'failed', message: 'boom' });
  });

  it('delivers events to listeners until they unsubscribe', () => {
    const { client, push } = pipe(makeEngine({}));
    const got: string[] = [];
    const off = client.onSessionRemoved((p) => got.push(p.sessionId));
    push('onSessionRemoved', { sessionId: 'x' });
    off();
    push('onSessionRemoved', { sessionId: 'y' });
    expect(got).toEqual(['x']);
  });

  it('a throwing listener does not stop the others', () => {
    const { client, push } = pipe(makeEngine({}));
    const got: string[] = [];
    const orig = console.error;
    console.error = () => undefined;
    try {
      client.onSessionRemoved(() => {
        throw new Error('bad listener');
      });
      client.onSessionRemoved((p) => got.push(p.sessionId));
      push('onSessionRemoved', { sessionId: 'x' });
    } finally {
      console.error = orig;
    }
    expect(got).toEqual(['x']);
  });

  it('fails pending and later calls when the transport closes', async () => {
    let close: (r: string) => void = () => undefined;
    const transport: HostTransport = {
      send: () => undefined,
      onMessage: () => () => undefined,
      onClose: (l) => (close = l),
    };
    const client = createHostClient(transport);
    const pending = client.listSessions();
    close('gone');
    await expect(pending).rejects.toMatchObject({ code: 'disconnected', message: 'gone' });
    await expect(client.appInfo()).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('times out a call when asked to', async () => {
    const transport: HostTransport = { send: () => undefined, onMessage: () => () => undefined };
    const client = createHostClient(transport, { timeoutMs: 20 });
    await expect(client.listSessions()).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('dispatchCall refuses malformed envelopes', () => {
  const engine = makeEngine({ listSessions: async () => [] });
  it('unknown command → bad-request naming it', async () => {
    expect(await dispatchCall(engine, { t: 'call', id: 3, name: 'rmrf' })).toMatchObject({
      id: 3,
      ok: false,
      error: { code: 'bad-request', message: 'unknown command "rmrf"' },
    });
  });
  it('prototype keys are not commands', async () => {
    expect(await dispatchCall(engine, { t: 'call', id: 4, name: 'constructor' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });
  it('no id → no answer', async () => {
    expect(await dispatchCall(engine, { t: 'call', name: 'listSessions' })).toBeUndefined();
    expect(await dispatchCall(engine, 'hello')).toBeUndefined();
  });
  it('parseCallMessage keeps args only when present', () => {
    expect(parseCallMessage({ t: 'call', id: 1, name: 'listSessions' })).toEqual({
      t: 'call',
      id: 1,
      name: 'listSessions',
    });
  });
});

describe('webSocketTransport', () => {
  class FakeWs implements WebSocketLike {
    readyState = 0;
    sent: string[] = [];
    private ls: Record<string, ((ev: never) => void)[]> = {};
    send(d: string) {
      this.sent.push(d);
    }
    addEventListener(t: string, l: (ev: never) => void) {
      (this.ls[t] ??= []).push(l);
    }
    removeEventListener(t: string, l: (ev: never) => void) {
      this.ls[t] = (this.ls[t] ?? []).filter((x) => x !== l);
    }
    fire(t: string, ev?: unknown) {
      for (const l of this.ls[t] ?? []) l(ev as never);
    }
  }

  it('queues until open, then sends JSON; parses incoming text, ignores junk', async () => {
    const ws = new FakeWs();
    const client = createHostClient(webSocketTransport(ws));
    const p = client.listSessions();
    expect(ws.sent).toEqual([]);
    ws.readyState = 1;
    ws.fire('open');
    expect(JSON.parse(ws.sent[0]!)).toEqual({ t: 'call', id: 1, name: 'listSessions' });
    ws.fire('message', { data: 'not json' });
    ws.fire('message', { data: JSON.stringify({ t: 'result', id: 1, ok: true, result: [] }) });
    await expect(p).resolves.toEqual([]);
  });

  it('a refused socket fails calls with the reason', async () => {
    const ws = new FakeWs();
    ws.readyState = 1;
    const client = createHostClient(webSocketTransport(ws));
    const p = client.listSessions();
    ws.fire('close', { code: 1008, reason: 'bad token' });
    await expect(p).rejects.toMatchObject({
      code: 'disconnected',
      message: expect.stringContaining('bad token'),
    });
  });
});
