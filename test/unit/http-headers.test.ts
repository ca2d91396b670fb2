import { describe, expect, it } from 'vitest';
import {
  isSecretHeader,
  maskHeaderValue,
  recordHeaders,
  recordPath,
} from '../../shared/http/headers.js';

describe('recordHeaders', () => {
  it('masks credentials but keeps the scheme and cookie names', () => {
    const rec = recordHeaders([
      'Authorization',
      'Bearer sk-live-123456',
      'Cookie',
      'sid=abc; theme=dark',
      'X-API-Key',
      'k-999',
      'x-goog-api-key',
      'g-1',
      'X-Amz-Security-Token',
      't-2',
      'Content-Type',
      'application/json',
      'Mcp-Session-Id',
      'sess-1',
    ]);
    expect(rec).toEqual({
      authorization: 'Bearer [REDACTED]',
      cookie: 'sid=[REDACTED]; theme=[REDACTED]',
      'x-api-key': '[REDACTED]',
      'x-goog-api-key': '[REDACTED]',
      'x-amz-security-token': '[REDACTED]',
      'content-type': 'application/json',
      'mcp-session-id': 'sess-1',
    });
    expect(JSON.stringify(rec)).not.toMatch(/sk-live|abc|k-999|g-1|t-2/);
  });

  it('joins repeated headers and masks each Set-Cookie value, keeping attributes', () => {
    const rec = recordHeaders([
      'Set-Cookie',
      'a=1; Path=/; HttpOnly',
      'set-cookie',
      'b=2',
      'Accept',
      'x',
      'accept',
      'y',
    ]);
    expect(rec['set-cookie']).toBe('a=[REDACTED]; Path=/; HttpOnly\nb=[REDACTED]');
    expect(rec.accept).toBe('x, y');
  });

  it('masks an Authorization value without a scheme entirely', () => {
    expect(maskHeaderValue('Authorization', 'justatoken')).toBe('[REDACTED]');
    expect(maskHeaderValue('Proxy-Authorization', 'Basic dXNlcjpwYXNz')).toBe('Basic [REDACTED]');
    expect(isSecretHeader('content-length')).toBe(false);
  });
});

describe('recordPath', () => {
  it('masks secret query values and keeps the rest byte for byte', () => {
    expect(recordPath('/mcp?api_key=s3cr3t&x=1&token=abc#frag')).toBe(
      '/mcp?api_key=[REDACTED]&x=1&token=[REDACTED]#frag',
    );
    expect(recordPath('/message?sessionId=e1f2')).toBe('/message?sessionId=e1f2');
    expect(recordPath('/mcp')).toBe('/mcp');
    expect(recordPath('/x?key=AIza&flag')).toBe('/x?key=[REDACTED]&flag');
  });
});
