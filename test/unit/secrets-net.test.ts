// The one secret-name list and the one loopback/Host check, as every user of them sees them.
import { describe, expect, it } from 'vitest';
import { maskHeaders } from '../../electron/engine/client/recorder.js';
import { redactArgs, redactUrl } from '../../shared/capture/redact.js';
import { recordHeaders, recordPath } from '../../shared/http/headers.js';
import { hostAllowed, isLoopback, loopbackHosts } from '../../shared/net.js';
import {
  isAuthHeader,
  isCredentialParam,
  isSecretHeader,
  isSecretName,
} from '../../shared/secrets.js';

describe('secret names', () => {
  it.each([
    'Authorization',
    'cookie',
    'X-Api-Key',
    'x-goog-api-key',
    'x-amz-security-token',
    'openai-secret',
    'X-Access-Token',
  ])('header %s is secret', (h) => {
    expect(isSecretHeader(h)).toBe(true);
  });
  it.each(['accept', 'content-type', 'mcp-session-id', 'last-event-id', 'user-agent'])(
    'header %s is not',
    (h) => {
      expect(isSecretHeader(h)).toBe(false);
    },
  );

  it('the proxy and client mode record the same headers the same way', () => {
    const raw = [
      'Authorization',
      'Bearer sk-1',
      'X-Api-Key',
      'k',
      'Cookie',
      'a=1; b=2',
      'Accept',
      '*/*',
      'Mcp-Session-Id',
      's',
    ];
    const proxy = recordHeaders(raw);
    const client = maskHeaders({
      Authorization: 'Bearer sk-1',
      'X-Api-Key': 'k',
      Cookie: 'a=1; b=2',
      Accept: '*/*',
      'Mcp-Session-Id': 's',
    });
    expect(client).toEqual(proxy);
    expect(proxy).toEqual({
      authorization: 'Bearer [REDACTED]',
      'x-api-key': '[REDACTED]',
      cookie: 'a=[REDACTED]; b=[REDACTED]',
      accept: '*/*',
      'mcp-session-id': 's',
    });
  });

  it('query parameters, flags and URLs use the same names', () => {
    for (const n of ['token', 'api_key', 'client_secret', 'sig', 'password', 'passphrase'])
      expect(isSecretName(n)).toBe(true);
    expect(isSecretName('sessionId')).toBe(false);
    expect(recordPath('/m?sessionId=s&token=t')).toBe('/m?sessionId=s&token=[REDACTED]');
    expect(redactUrl('https://h/?api_key=k&q=1')).toBe('https://h/?api_key=%5BREDACTED%5D&q=1');
    expect(redactArgs(['--client-secret', 'x', '--passphrase=y', '-v'])).toEqual([
      '--client-secret',
      '[REDACTED]',
      '--passphrase=[REDACTED]',
      '-v',
    ]);
  });

  it('auth headers and credential parameters are subsets the detectors use', () => {
    expect(isAuthHeader('Proxy-Authorization')).toBe(true);
    expect(isAuthHeader('set-cookie')).toBe(false);
    expect(isCredentialParam('Session')).toBe(true);
    expect(isCredentialParam('author')).toBe(false);
  });
});

describe('loopback and Host allow-list', () => {
  it.each([
    ['localhost', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['::1', true],
    ['127.evil.com', false],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['127.0.0.256', false],
  ])('isLoopback(%s) = %s', (h, want) => {
    expect(isLoopback(h)).toBe(want);
  });

  it('accepts the three loopback names with the port, IPv6 included, and nothing else', () => {
    expect(loopbackHosts(5)).toEqual(['127.0.0.1:5', 'localhost:5', '[::1]:5']);
    expect(hostAllowed('[::1]:5', 5)).toBe(true);
    expect(hostAllowed('LOCALHOST:5', 5)).toBe(true);
    expect(hostAllowed('localhost:6', 5)).toBe(false);
    expect(hostAllowed('evil.example:5', 5)).toBe(false);
    expect(hostAllowed(undefined, 5)).toBe(false);
  });
});
