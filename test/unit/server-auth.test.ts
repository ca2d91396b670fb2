import { describe, expect, it } from 'vitest';
import { checkRequest, cookieName } from '../../electron/server/auth.js';

const T = 'tok-123';
const P = 4242;
const ok = { host: `127.0.0.1:${P}`, origin: undefined, url: `/?token=${T}`, cookie: undefined, authorization: undefined };

describe('checkRequest', () => {
  it('accepts the token in the query and asks for the cookie', () => {
    expect(checkRequest(ok, { token: T, port: P })).toEqual({ ok: true, setCookie: true });
  });
  it('accepts the cookie, a bearer header, and localhost', () => {
    expect(checkRequest({ ...ok, url: '/assets/a.js', cookie: `x=1; ${cookieName(P)}=${T}` }, { token: T, port: P })).toEqual({ ok: true, setCookie: false });
    expect(checkRequest({ ...ok, url: '/', authorization: `Bearer ${T}` }, { token: T, port: P }).ok).toBe(true);
    expect(checkRequest({ ...ok, host: `localhost:${P}`, origin: `http://localhost:${P}` }, { token: T, port: P }).ok).toBe(true);
  });
  it('401 without any token, 403 with a wrong one', () => {
    expect(checkRequest({ ...ok, url: '/' }, { token: T, port: P })).toMatchObject({ ok: false, status: 401 });
    expect(checkRequest({ ...ok, url: '/?token=nope' }, { token: T, port: P })).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ ...ok, url: '/', cookie: `${cookieName(P + 1)}=${T}` }, { token: T, port: P })).toMatchObject({ status: 401 });
  });
  it('403 for a foreign Host even with the right token (DNS rebinding)', () => {
    for (const host of ['evil.example:4242', `127.0.0.1:${P + 1}`, '127.0.0.1', undefined, `0.0.0.0:${P}`]) {
      expect(checkRequest({ ...ok, host }, { token: T, port: P })).toMatchObject({ ok: false, status: 403 });
    }
  });
  it('403 for a foreign Origin even with the right token', () => {
    for (const origin of ['http://evil.example', `https://127.0.0.1:${P}`, `http://127.0.0.1:${P + 1}`, 'null']) {
      expect(checkRequest({ ...ok, origin }, { token: T, port: P })).toMatchObject({ ok: false, status: 403 });
    }
  });
});
