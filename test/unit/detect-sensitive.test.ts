// Secrets and personal data: every rule fires on a live-looking value and stays quiet on the
// look-alikes (placeholders, examples, checksums that fail, private ranges, timestamps).
import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../shared/detect/mask.js';
import { findPii, ibanValid, luhn } from '../../shared/detect/pii.js';
import { findSecrets } from '../../shared/detect/secrets.js';
import { TimelineDetector } from '../../shared/detect/timeline.js';
import { makeFrame, makeHeader, makeSession } from '../helpers/factories.js';

// Built at run time so this file holds no secret-shaped literal a scanner would flag.
const j = (...p: string[]) => p.join('');
const rules = (t: string) => findSecrets(t).map((h) => h.rule);
const classes = (t: string) => findSecrets(t).map((h) => h.dataClass);
const pii = (t: string) => findPii(t).map((h) => h.rule);

describe('secrets', () => {
  it.each([
    [
      'private key',
      j('-----BEGIN ', 'RSA PRIVATE KEY-----\\nMIIEow…\\n-----END RSA PRIVATE KEY-----'),
      'secret:private-key',
    ],
    ['AWS key id', j('key AKIA', 'Q3XZ7LMN4PRT2WYB'), 'secret:aws-access-key'],
    ['GitHub token', j('ghp_', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'), 'secret:github-token'],
    ['Slack token', j('xoxb-', '2849301-38479201-aZ8xQ2vB7nM4kL'), 'secret:slack-token'],
    ['Stripe live key', j('sk_live_', '51HxQ2bGfT8yK3mN0pL7vR4s'), 'secret:stripe-key'],
    [
      'Anthropic key',
      j('sk-ant-api03-', 'Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz0Xc2Vb4Nm6'),
      'secret:anthropic-key',
    ],
    ['OpenAI key', j('sk-proj-', 'Q9w8E7r6T5y4U3i2O1pAsDfGhJkLzXcV'), 'secret:openai-key'],
    ['Google API key', j('AIza', 'SyD3x8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lm'), 'secret:google-api-key'],
    ['npm token', j('npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'), 'secret:npm-token'],
    [
      'JWT',
      j(
        'eyJhbGciOiJIUzI1NiJ9',
        '.eyJzdWIiOiIxMjM0NTY3ODkwIn0',
        '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      ),
      'secret:jwt',
    ],
    ['bearer token', j('Authorization: Bearer ', 'Zx81Qw2Er4Ty6Ui8Op0As2Df4Gh'), 'secret:bearer'],
    [
      'connection string',
      j('postgres://app:', 'S3cr3tPa55', '@db.internal:5432/x'),
      'secret:connection-string',
    ],
    [
      'URL credentials',
      j('https://deploy:', 'hunter2hunter2', '@git.example.org/repo.git'),
      'secret:url-credentials',
    ],
    [
      'generic assignment',
      j('"api_key": "', 'q8ZxW2e4R6t8Y0u2I4o6P8a0S2d4', '"'),
      'secret:generic',
    ],
    ['password assignment', j('password=', 'Tr0ub4dor&3x'), 'secret:generic'],
  ])('finds a %s', (_name, text, cls) => {
    expect(classes(text)).toContain(cls);
  });

  it.each([
    ['placeholder connection string', 'postgres://user:<password>@localhost/db'],
    ['templated password', 'password=${DB_PASSWORD}'],
    [
      'schema with a password property',
      '{"password":{"type":"string","description":"Database password"}}',
    ],
    ['low-entropy token value', 'token: "aaaaaaaaaaaaaaaaaaaaaaaa"'],
    ['progress token', '{"_meta":{"progressToken":42}}'],
    ['a sha256 hash', 'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['the word bearer in prose', 'the bearer of this letter'],
    ['ordinary prose', 'Read the complete contents of a file from the file system as text.'],
  ])('ignores %s', (_name, text) => {
    expect(rules(text)).toEqual([]);
  });

  it('rates example keys low, live ones high or critical', () => {
    const d = new TimelineDetector(makeHeader());
    const example = j('AKIAIOSFODNN7', 'EXAMPLE');
    const live = j('sk_live_', '51HxQ2bGfT8yK3mN0pL7vR4s');
    const fs = makeSession({ tools: [{ name: 't' }], result: `${example} ${live}` }).flatMap((r) =>
      d.add(r),
    );
    expect(fs.find((f) => f.dataClass === 'secret:aws-access-key')?.severity).toBe('low');
    expect(fs.find((f) => f.dataClass === 'secret:stripe-key')?.severity).toBe('critical');
  });

  it('masks evidence: a prefix and the length, never the value', () => {
    const secret = j('ghp_', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5');
    expect(maskSecret(secret)).toBe('ghp_…[40 chars masked]');
    expect(maskSecret('short')).toBe('…[5 chars masked]');
  });

  it('points at the JSON string and the exact raw range in the frame, escapes included', () => {
    const d = new TimelineDetector(makeHeader());
    const key = j('ghp_', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5');
    const frame = makeFrame(9, 's2c', {
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data: `line one\n\t"quoted" ${key} tail` },
    });
    const f = d.add(frame).find((x) => x.rule === 'secret.provider-token')!;
    expect(f.target).toMatchObject({ seq: 9, kind: 'message', pointer: '/params/data' });
    expect(frame.text!.slice(...f.target.range!)).toBe(key);
    expect(f.dir).toBe('s2c');
    expect(JSON.stringify(f)).not.toContain(key);
  });

  it('scans stderr lines and HTTP header values', () => {
    const d = new TimelineDetector(makeHeader());
    const key = j('xoxb-', '2849301-38479201-aZ8xQ2vB7nM4kL');
    const a = d.add({ type: 'stderr', seq: 3, ts: 1, text: `slack=${key}` });
    expect(a.map((f) => [f.rule, f.target.seq])).toEqual([['secret.provider-token', 3]]);
    const b = d.add({
      type: 'http',
      seq: 4,
      ts: 2,
      dir: 's2c',
      stream: 's1',
      status: 200,
      headers: { 'x-debug': key },
    });
    expect(b[0]?.message).toContain('HTTP header x-debug');
  });
});

describe('personal data (validated)', () => {
  it('validators', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
  });

  it.each([
    ['email', 'contact jane.doe@acme-corp.io today', 'pii.email'],
    ['card (Luhn)', 'card 4111 1111 1111 1111 exp 12/29', 'pii.card'],
    ['IBAN (mod-97)', 'pay to DE89 3704 0044 0532 0130 00', 'pii.iban'],
    ['US SSN', 'ssn 123-45-6789', 'pii.national-id'],
    ['phone', 'call +44 20 7946 0958', 'pii.phone'],
    ['public IP', 'from 8.8.4.4 at noon', 'pii.ip'],
  ])('finds %s', (_n, text, rule) => {
    expect(pii(text)).toContain(rule);
  });

  it.each([
    ['example-domain email', 'user@example.com'],
    ['package@version', 'install left-pad@1.3.0'],
    ['card failing Luhn', '4111 1111 1111 1112'],
    ['timestamp', '{"ts":1732312312312}'],
    ['IBAN with a bad checksum', 'DE89 3704 0044 0532 0130 01'],
    ['invalid SSN area', '000-12-3456 and 666-12-3456'],
    ['private and loopback IPs', '10.0.0.1 192.168.1.20 127.0.0.1 172.16.5.4'],
    ['documentation IP range', '203.0.113.7'],
    ['version number', 'version 1.2.3.4'],
    ['a date', '2026-11-22'],
  ])('ignores %s', (_n, text) => {
    expect(pii(text)).toEqual([]);
  });
});

describe('secret-like assignments', () => {
  it.each([
    [
      'aws_secret_access_key',
      j('aws_secret_access_key=', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8vN2mK4t'),
    ],
    ['client_secret in JSON', j('{"client_secret":"', 'f3Q9zX1wV7bN5mK2pL8rT4yU6iO0aS', '"}')],
    ['refresh_token', j('refresh_token: ', '1//0gXq7Zr9Lm2Kp4Vt8Ws6Yb3Nc5Hd')],
  ])('finds %s', (_n, text) => {
    expect(classes(text)).toContain('secret:generic');
  });
  it.each([
    ['a cache key', '{"cacheKey":"user-profile-settings-v2-eu-west"}'],
    ['a sort key', 'sortKey = "createdAtDescendingOrder"'],
    ['a monkey', 'monkey: bananasAndMoreBananas'],
  ])('ignores %s', (_n, text) => {
    expect(rules(text)).toEqual([]);
  });
});
