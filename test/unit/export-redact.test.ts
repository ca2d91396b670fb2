// The redaction engine: learn from a capture's records, then replace every occurrence of each
// sensitive value with one stable placeholder, keeping JSON frames valid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnRecord, redactHeader, redactRecord } from '../../shared/export/capture.js';
import { Redactor } from '../../shared/export/redact.js';
import type { EventRecord, HeaderRecord } from '../../shared/capture/types.js';

// Assembled at run time so the repository holds no secret-shaped literal.
const GH = ['ghp_', 'a1B2c3D4e5F6g7H8i9J0', 'k1L2m3N4o5P6q7R8'].join('');
const AWS = ['AKIA', 'Z7Q2', 'M4XV', 'B9TN', 'K3LP'].join('');
const KEY = [
  '-----BEGIN RSA PRIVATE KEY-----\n',
  'MIIEowIBAAKCAQEAx4Zr',
  '\n-----END RSA PRIVATE KEY-----',
].join('');

const frame = (seq: number, dir: 'c2s' | 's2c', message: unknown): EventRecord => ({
  seq,
  ts: seq,
  type: 'frame',
  dir,
  channel: 'stdio',
  text: JSON.stringify(message),
});

function redactAll(
  records: EventRecord[],
  header?: HeaderRecord,
): { red: Redactor; out: EventRecord[] } {
  const red = new Redactor();
  if (header) learnRecord(red, header);
  for (const r of records) learnRecord(red, r);
  return { red, out: records.map((r) => redactRecord(red, r)) };
}

describe('Redactor', () => {
  it('gives the same secret the same placeholder in every record, including before it was first detected', () => {
    const records = [
      frame(1, 'c2s', {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: `use ${GH}` } },
      }),
      frame(2, 's2c', {
        jsonrpc: '2.0',
        id: 1,
        result: { content: [{ type: 'text', text: `echo: use ${GH}` }] },
      }),
      { seq: 3, ts: 3, type: 'stderr', text: `token=${GH}` } as EventRecord,
    ];
    const { red, out } = redactAll(records);
    const all = JSON.stringify(out);
    expect(all).not.toContain(GH);
    expect(all.match(/\[REDACTED:github-token:1\]/g)?.length).toBe(3);
    expect(red.summary()).toMatchObject({ values: 1, replacements: 3 });
    expect(red.summary().masked[0]!.masked).not.toContain(GH);
  });

  it('keeps frames valid JSON, also for a private key whose newlines are escaped in the frame', () => {
    const records = [
      frame(1, 's2c', {
        jsonrpc: '2.0',
        id: 1,
        result: { content: [{ type: 'text', text: `key:\n${KEY}\nend` }], aws: AWS },
      }),
    ];
    const { out } = redactAll(records);
    const text = (out[0] as { text: string }).text;
    const parsed = JSON.parse(text) as { result: { content: { text: string }[]; aws: string } };
    expect(parsed.result.content[0]!.text).toBe('key:\n[REDACTED:private-key:1]\nend');
    expect(parsed.result.aws).toBe('[REDACTED:aws-access-key:1]');
  });

  it('masks values under secret-named keys whatever they look like, but not schema words', () => {
    const records = [
      frame(1, 'c2s', {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'login',
          arguments: { password: 'hunter22', apiKey: 'plainvalue', note: 'fine' },
        },
      }),
      frame(2, 's2c', {
        jsonrpc: '2.0',
        id: 2,
        result: {
          tools: [{ name: 'login', inputSchema: { properties: { password: { type: 'string' } } } }],
        },
      }),
    ];
    const { out } = redactAll(records);
    const text = JSON.stringify(out);
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('plainvalue');
    expect(text).toContain('fine');
    expect(text).toContain('\\"type\\":\\"string\\"');
  });

  it('redacts command lines, URLs and HTTP headers in the header and lifecycle records', () => {
    const header: HeaderRecord = {
      seq: 0,
      ts: 0,
      type: 'header',
      format: 'mcpscope-capture',
      version: 1,
      tool: 't',
      created: 'c',
      id: 'abc',
      source: {
        transport: 'stdio',
        command: [
          'server',
          '--api-key',
          'k3y-v4lue-123',
          '-H',
          'Authorization: Bearer s3cr3tb34r3r',
          'https://u:p%2Fw0rd@h.example/x?token=qwerty12',
        ],
      },
    };
    const records: EventRecord[] = [
      { seq: 1, ts: 1, type: 'spawn', command: 'server', args: ['--api-key', 'k3y-v4lue-123'] },
      {
        seq: 2,
        ts: 2,
        type: 'http',
        dir: 'c2s',
        stream: 'h1',
        method: 'GET',
        path: '/mcp?access_token=zzzzzz99',
        headers: { 'x-api-key': 'abcdef123456' },
      },
      {
        seq: 3,
        ts: 3,
        type: 'error',
        where: 'client',
        message: 'cannot reach https://u:p%2Fw0rd@h.example/x',
      },
    ];
    const { red, out } = redactAll(records, header);
    const h = redactHeader(red, header, { from: 'f'.repeat(64), fromId: 'abc' });
    const all = JSON.stringify([h, ...out]);
    for (const s of [
      'k3y-v4lue-123',
      's3cr3tb34r3r',
      'p%2Fw0rd',
      'p/w0rd',
      'qwerty12',
      'zzzzzz99',
      'abcdef123456',
    ])
      expect(all).not.toContain(s);
    expect(h.redaction).toMatchObject({ from: 'f'.repeat(64), fromId: 'abc' });
    expect(h.redaction!.values).toBeGreaterThanOrEqual(6);
  });

  it('drops bytes it cannot search (non-UTF-8 frames) from a redacted copy', () => {
    const { out } = redactAll([
      { seq: 1, ts: 1, type: 'frame', dir: 's2c', channel: 'stdio', b64: 'AAEC/w==' },
    ]);
    expect(out[0]).toMatchObject({ text: '[REDACTED:binary frame of 6 bytes]' });
    expect('b64' in out[0]!).toBe(false);
  });

  it('keeps a "__proto__" key an own property of the redacted frame', () => {
    const text = `{"jsonrpc":"2.0","id":1,"result":{"__proto__":{"polluted":"${GH}"}}}`;
    const { out } = redactAll([
      { seq: 1, ts: 1, type: 'frame', dir: 's2c', channel: 'stdio', text },
    ]);
    const red = (out[0] as { text: string }).text;
    expect(red).toContain('"__proto__":{"polluted":"[REDACTED:github-token:1]"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('property: a planted token never survives, and the frame stays valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 20 }), (value, prefix) => {
        const message = {
          jsonrpc: '2.0',
          id: 1,
          result: { data: value, text: `${prefix} ${GH} ` },
        };
        const { out } = redactAll([frame(1, 's2c', message)]);
        const text = (out[0] as { text: string }).text;
        expect(text).not.toContain(GH);
        expect(() => JSON.parse(text)).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});
