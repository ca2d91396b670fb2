// Pure pieces of client mode: the SSE parser used to record events, raw-send answer matching,
// header masking, list diffs and history.
import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../../electron/engine/client/sse.js';
import { expectedAnswerKeys } from '../../electron/engine/client/raw.js';
import { maskHeaders } from '../../electron/engine/client/recorder.js';
import { diffLists, ListHistory } from '../../electron/engine/client/lists.js';
import { httpHeaders, maskTarget } from '../../electron/engine/client/transports.js';

function parse(chunks: string[]): SseEvent[] {
  const out: SseEvent[] = [];
  const p = new SseParser((e) => out.push(e));
  const enc = new TextEncoder();
  for (const c of chunks) p.push(enc.encode(c));
  p.end();
  return out;
}

describe('SseParser', () => {
  it('parses events split anywhere, with CRLF, CR and LF line ends', () => {
    const text =
      'event: endpoint\r\ndata: /message?x=1\r\n\r\nid: 7\ndata: {"a":\ndata: 1}\n\n: comment\rdata: last\r\r';
    const whole = parse([text]);
    expect(whole).toEqual([
      { event: 'endpoint', data: '/message?x=1' },
      { event: 'message', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'last' },
    ]);
    // Every split point gives the same events (CR at a chunk end may be half of CRLF).
    for (let i = 1; i < text.length; i++)
      expect(parse([text.slice(0, i), text.slice(i)])).toEqual(whole);
  });

  it('splits multi-byte UTF-8 across chunks correctly and keeps the id per event', () => {
    const bytes = new TextEncoder().encode('id: 1\ndata: é€😀\n\ndata: next\n\n');
    const out: SseEvent[] = [];
    const p = new SseParser((e) => out.push(e));
    for (const b of bytes) p.push(new Uint8Array([b]));
    p.end();
    expect(out).toEqual([
      { event: 'message', data: 'é€😀', id: '1' },
      { event: 'message', data: 'next' },
    ]);
  });

  it('keeps an event whose blank line never came when the stream ends', () => {
    expect(parse(['data: cut off'])).toEqual([{ event: 'message', data: 'cut off' }]);
    expect(parse(['data: x\n\n', ': only a comment\n'])).toEqual([{ event: 'message', data: 'x' }]);
  });
});

describe('expectedAnswerKeys', () => {
  it('a request expects its id; a notification or a response expects nothing', () => {
    expect(expectedAnswerKeys('{"jsonrpc":"2.0","id":3,"method":"ping"}')).toEqual({
      keys: new Set(['n:3']),
      expects: true,
    });
    expect(expectedAnswerKeys('{"jsonrpc":"2.0","id":"3","method":"ping"}')).toEqual({
      keys: new Set(['s:3']),
      expects: true,
    });
    expect(
      expectedAnswerKeys('{"jsonrpc":"2.0","method":"notifications/initialized"}').expects,
    ).toBe(false);
    expect(expectedAnswerKeys('{"jsonrpc":"2.0","id":1,"result":{}}').expects).toBe(false);
  });

  it('unparsable or invalid text may be answered with id null (and its own id when it has one)', () => {
    expect(expectedAnswerKeys('{"jsonrpc":')).toEqual({ keys: new Set(['null']), expects: true });
    expect(expectedAnswerKeys('{"jsonrpc":"1.0","id":5,"method":"ping"}')).toEqual({
      keys: new Set(['n:5', 'null']),
      expects: true,
    });
    expect(expectedAnswerKeys('[]')).toEqual({ keys: new Set(['null']), expects: true });
  });

  it('a batch expects the ids of its requests', () => {
    const k = expectedAnswerKeys(
      '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"x"},{"jsonrpc":"2.0","id":"b","method":"ping"}]',
    );
    expect(k).toEqual({ keys: new Set(['n:1', 's:b']), expects: true });
  });
});

describe('maskHeaders / maskTarget', () => {
  it('masks credentials like the proxy does (one list): the scheme of Authorization and session ids stay', () => {
    expect(
      maskHeaders({
        Authorization: 'Bearer sk-123',
        'X-Api-Key': 'k',
        Accept: 'text/event-stream',
        'mcp-session-id': 'abc',
      }),
    ).toEqual({
      authorization: 'Bearer [REDACTED]',
      'x-api-key': '[REDACTED]',
      accept: 'text/event-stream',
      'mcp-session-id': 'abc',
    });
  });

  it('masks env values, secret flags and URL credentials', () => {
    expect(
      maskTarget({
        transport: 'stdio',
        command: 'srv',
        args: ['--token', 'sekrit', '-v'],
        env: { API_KEY: 'x' },
      }),
    ).toEqual({
      transport: 'stdio',
      command: 'srv',
      args: ['--token', '[REDACTED]', '-v'],
      env: { API_KEY: '[REDACTED]' },
    });
    expect(
      maskTarget({
        transport: 'sse',
        url: 'https://u:p@h/mcp?token=t',
        headers: { Authorization: 'Basic abc' },
      }),
    ).toEqual({
      transport: 'sse',
      url: 'https://%5BREDACTED%5D@h/mcp?token=%5BREDACTED%5D',
      headers: { authorization: 'Basic [REDACTED]' },
    });
  });
});

describe('httpHeaders', () => {
  it('adds the OAuth bearer token to the user headers', () => {
    expect(
      httpHeaders(
        { transport: 'streamable-http', url: 'http://h/mcp', headers: { 'X-A': '1' } },
        'tok',
      ),
    ).toEqual({ 'X-A': '1', Authorization: 'Bearer tok' });
    expect(httpHeaders({ transport: 'streamable-http', url: 'http://h/mcp' })).toEqual({});
  });
});

describe('list history', () => {
  const t = (name: string, description = '') => ({
    name,
    description,
    inputSchema: { type: 'object' },
  });

  it('diffs by item key and full definition', () => {
    expect(diffLists('tools', [t('a'), t('b', 'old')], [t('b', 'new'), t('c')])).toEqual({
      added: ['c'],
      removed: ['a'],
      changed: ['b'],
    });
    expect(diffLists('resources', [{ uri: 'x://1' }], [{ uri: 'x://1' }])).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('records the first listing and every listing that differed, nothing for identical ones', () => {
    const h = new ListHistory();
    expect(h.update('tools', [t('a')], 5, 1)?.added).toEqual(['a']);
    expect(h.update('tools', [t('a')], 9, 2)).toBeUndefined();
    expect(h.update('tools', [t('a', 'poisoned')], 12, 3)).toEqual({
      seq: 12,
      ts: 3,
      added: [],
      removed: [],
      changed: ['a'],
    });
    expect(h.get('tools').history.map((c) => c.seq)).toEqual([5, 12]);
    expect(h.get('prompts')).toEqual({ items: [], history: [] });
  });
});
