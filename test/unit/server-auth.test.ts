// Who may talk to the UI server: Host/Origin, single-use short-lived tickets, session credentials.
import { describe, expect, it } from 'vitest';
import { checkOrigin, offeredSession, UiAuth } from '../../electron/server/auth.js';

const P = 4242;

describe('checkOrigin', () => {
  it('accepts our Host, with or without our Origin', () => {
    expect(checkOrigin({ host: `127.0.0.1:${P}`, origin: undefined }, P).ok).toBe(true);
    expect(checkOrigin({ host: `localhost:${P}`, origin: `http://localhost:${P}` }, P).ok).toBe(
      true,
    );
  });
  it('403 for a foreign Host (DNS rebinding) or Origin', () => {
    for (const host of [`evil.example:${P}`, `127.0.0.1:${P + 1}`, undefined])
      expect(checkOrigin({ host, origin: undefined }, P)).toMatchObject({ ok: false, status: 403 });
    for (const origin of ['http://evil.example', `https://127.0.0.1:${P}`, 'null'])
      expect(checkOrigin({ host: `127.0.0.1:${P}`, origin }, P)).toMatchObject({
        ok: false,
        status: 403,
      });
  });
});

describe('UiAuth', () => {
  it('a ticket is traded once for a session', () => {
    const a = new UiAuth();
    const t = a.issueTicket();
    const s = a.redeem(t);
    expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.redeem(t)).toBeUndefined();
    expect(a.checkSession(s).ok).toBe(true);
    expect(a.checkSession(t)).toMatchObject({ ok: false, status: 403 });
    expect(a.checkSession(undefined)).toMatchObject({ ok: false, status: 401 });
  });
  it('a ticket expires', () => {
    let now = 1000;
    const a = new UiAuth(() => now);
    const t = a.issueTicket(60_000);
    now += 60_001;
    expect(a.redeem(t)).toBeUndefined();
  });
  it('reads the session from the subprotocol list or a bearer header', () => {
    expect(offeredSession('mcpscope, mcpscope.session.abc', undefined)).toBe('abc');
    expect(offeredSession(undefined, 'Bearer xyz')).toBe('xyz');
    expect(offeredSession('mcpscope', undefined)).toBeUndefined();
  });
});
