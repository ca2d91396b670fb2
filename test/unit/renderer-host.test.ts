// The renderer picks its HostApi adapter once: Electron preload object, WebSocket after trading the
// page's ticket for a session, or none. Driven here with fake page environments (no browser needed).
import { describe, expect, it } from 'vitest';
import { pickHost, takeTicket, WS_PATH, type PageEnv } from '../../renderer/src/host/pick.js';
import type {
  ClientMessage,
  HostMessage,
  HostTransport,
  WebSocketLike,
} from '../../shared/host-client.js';

class FakeSocket implements WebSocketLike {
  readyState = 1;
  sent: string[] = [];
  private handlers = new Map<string, ((ev: never) => void)[]>();
  constructor(
    readonly url: string,
    readonly protocols: string[] = [],
  ) {}
  send(data: string): void {
    this.sent.push(data);
  }
  addEventListener(type: string, l: (ev: never) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), l]);
  }
  removeEventListener(): void {}
  deliver(v: unknown): void {
    for (const h of this.handlers.get('message') ?? []) h({ data: JSON.stringify(v) } as never);
  }
}

function env(
  over: Partial<PageEnv> & { href?: string } = {},
): PageEnv & { sockets: FakeSocket[]; replaced: string[]; traded: string[] } {
  const u = new URL(over.href ?? 'http://127.0.0.1:4000/?x=1#ticket=abc');
  const sockets: FakeSocket[] = [];
  const replaced: string[] = [];
  const traded: string[] = [];
  return {
    exposed: undefined,
    location: {
      protocol: u.protocol,
      host: u.host,
      pathname: u.pathname,
      search: u.search,
      hash: u.hash,
    },
    history: {
      replaceState: (_d: unknown, _t: string, url?: string | URL | null) =>
        void replaced.push(String(url)),
    },
    exchange: async (t: string) => {
      traded.push(t);
      if (t !== 'abc') throw new Error('unknown ticket');
      return 'SESSION';
    },
    openWebSocket: (url: string, protocols: string[]) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    sockets,
    replaced,
    traded,
    ...over,
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('pickHost', () => {
  it('browser mode: trades the ticket, then a WebSocket with the session as a subprotocol', async () => {
    const e = env();
    const host = pickHost(e);
    expect(host).not.toBeNull();
    expect(e.replaced).toEqual(['/?x=1']);
    const p = host!.appInfo();
    await tick();
    expect(e.traded).toEqual(['abc']);
    expect(e.sockets[0]!.url).toBe(`ws://127.0.0.1:4000${WS_PATH}`);
    expect(e.sockets[0]!.protocols).toEqual(['mcpscope', 'mcpscope.session.SESSION']);
    const call = JSON.parse(e.sockets[0]!.sent[0]!) as { id: number; name: string };
    expect(call.name).toBe('appInfo');
    e.sockets[0]!.deliver({
      t: 'result',
      id: call.id,
      ok: true,
      result: { version: '1', mode: 'browser' },
    });
    await expect(p).resolves.toMatchObject({ mode: 'browser' });
  });

  it('a refused ticket fails the calls with what to do', async () => {
    const host = pickHost(env({ href: 'http://127.0.0.1:4000/#ticket=spent' }))!;
    await expect(host.appInfo()).rejects.toThrow(/mcpscope ui/);
  });

  it('no ticket and no preload: no host (the app still opens captures)', () => {
    expect(pickHost(env({ href: 'http://127.0.0.1:4000/' }))).toBeNull();
    expect(pickHost(env({ href: 'file:///app/index.html' }))).toBeNull();
  });

  it('Electron: wraps the one object the preload exposes (a transport)', async () => {
    const sent: ClientMessage[] = [];
    let listener: ((m: HostMessage) => void) | undefined;
    const transport: HostTransport = {
      send: (m) => void sent.push(m),
      onMessage: (l) => {
        listener = l;
        return () => undefined;
      },
    };
    const e = env({ exposed: transport, href: 'mcpscope://app/index.html' });
    const host = pickHost(e)!;
    const p = host.listSessions();
    expect(sent[0]).toMatchObject({ t: 'call', name: 'listSessions' });
    listener!({ t: 'result', id: sent[0]!.id, ok: true, result: [] });
    await expect(p).resolves.toEqual([]);
    expect(e.sockets).toEqual([]);
  });

  it('takeTicket reads ?ticket= too, and removes it', () => {
    const e = env({ href: 'http://127.0.0.1:4000/?ticket=h' });
    expect(takeTicket(e)).toBe('h');
    expect(e.replaced).toEqual(['/']);
  });
});
