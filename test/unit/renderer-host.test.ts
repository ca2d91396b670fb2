// The renderer picks its HostApi adapter once: Electron preload object, WebSocket with the page's
// token, or none. Driven here with fake page environments (no browser needed).
import { describe, expect, it } from 'vitest';
import { pickHost, takeToken, WS_PATH, type PageEnv } from '../../renderer/src/host/pick.js';
import type { ClientMessage, HostMessage, HostTransport, WebSocketLike } from '../../shared/host-client.js';

class FakeSocket implements WebSocketLike {
  readyState = 1;
  sent: string[] = [];
  private handlers = new Map<string, ((ev: never) => void)[]>();
  constructor(readonly url: string) {}
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

function env(over: Partial<PageEnv> & { href?: string } = {}): PageEnv & { sockets: FakeSocket[]; replaced: string[]; store: Map<string, string> } {
  const u = new URL(over.href ?? 'http://127.0.0.1:4000/?token=abc&x=1');
  const sockets: FakeSocket[] = [];
  const replaced: string[] = [];
  const store = new Map<string, string>();
  return {
    exposed: undefined,
    location: { protocol: u.protocol, host: u.host, pathname: u.pathname, search: u.search, hash: u.hash },
    history: { replaceState: (_d: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
    storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
    openWebSocket: (url: string) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    sockets,
    replaced,
    store,
    ...over,
  };
}

describe('pickHost', () => {
  it('browser mode: a WebSocket on the same origin with the token, which leaves the address bar', async () => {
    const e = env();
    const host = pickHost(e);
    expect(host).not.toBeNull();
    expect(e.sockets[0]!.url).toBe(`ws://127.0.0.1:4000${WS_PATH}?token=abc`);
    expect(e.replaced).toEqual(['/?x=1']);
    expect(e.store.get('mcpscope-token')).toBe('abc');
    const p = host!.appInfo();
    const call = JSON.parse(e.sockets[0]!.sent[0]!) as { id: number; name: string };
    expect(call.name).toBe('appInfo');
    e.sockets[0]!.deliver({ t: 'result', id: call.id, ok: true, result: { version: '1', mode: 'browser' } });
    await expect(p).resolves.toMatchObject({ mode: 'browser' });
  });

  it('reuses the token kept for this tab after a reload', () => {
    const e = env({ href: 'http://127.0.0.1:4000/' });
    e.store.set('mcpscope-token', 'kept');
    pickHost(e);
    expect(e.sockets[0]!.url).toContain('token=kept');
  });

  it('no token and no preload: no host (the app still opens captures)', () => {
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

  it('takeToken reads #token= too', () => {
    const e = env({ href: 'http://127.0.0.1:4000/#token=h' });
    expect(takeToken(e)).toBe('h');
  });
});
