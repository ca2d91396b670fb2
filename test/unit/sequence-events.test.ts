// The sequence view's event lanes: which lane a record goes to and what it says; server text
// (stderr, headers, exit signals) is escaped, never passed through.
import { describe, expect, it } from 'vitest';
import { eventMark } from '../../renderer/src/sequence/events.js';

describe('event lanes', () => {
  it('puts spawn, exit and recorder errors on the process lane', () => {
    expect(
      eventMark({ type: 'spawn', seq: 1, ts: 1, command: 'node', args: ['s.js'], pid: 7 }),
    ).toEqual({ row: 'process', label: 'spawn', title: 'spawn node s.js (pid 7)', err: false });
    expect(eventMark({ type: 'exit', seq: 2, ts: 2, code: 0, signal: null })).toMatchObject({
      row: 'process',
      label: 'exit code 0',
      err: false,
    });
    expect(eventMark({ type: 'exit', seq: 2, ts: 2, code: null, signal: 'SIGKILL' })).toMatchObject(
      { label: 'exit signal SIGKILL', err: true },
    );
    expect(
      eventMark({ type: 'error', seq: 3, ts: 3, where: 'upstream', message: 'ECONNRESET' }),
    ).toMatchObject({ row: 'process', title: 'upstream: ECONNRESET', err: true });
  });

  it('shows HTTP request lines, statuses and the session id on the http lane', () => {
    const req = eventMark({
      type: 'http',
      seq: 4,
      ts: 4,
      dir: 'c2s',
      stream: 'p1',
      method: 'POST',
      path: '/mcp',
      headers: {},
    });
    expect(req).toMatchObject({ row: 'http', label: 'POST /mcp', err: false });
    const res = eventMark({
      type: 'http',
      seq: 5,
      ts: 5,
      dir: 's2c',
      stream: 'p1',
      status: 404,
      headers: { 'mcp-session-id': 'abc-123' },
    });
    expect(res).toMatchObject({ row: 'http', label: '404 sid', err: true });
    expect(res!.title).toBe('HTTP 404 · session abc-123');
  });

  it('escapes hostile server text in labels and tooltips', () => {
    const res = eventMark({
      type: 'http',
      seq: 6,
      ts: 6,
      dir: 's2c',
      stream: 'p1',
      status: 200,
      headers: { 'mcp-session-id': 'x\u202e\u001b[31m' },
    });
    expect(res!.title).not.toContain('\u202e');
    expect(res!.title).not.toContain('\u001b');
    expect(res!.title).toContain('\\u202e');
    const err = eventMark({ type: 'stderr', seq: 7, ts: 7, text: 'boom\u001b[2J\u200b' });
    expect(err).toMatchObject({ row: 'stderr', label: '' });
    expect(err!.title).not.toContain('\u001b');
    expect(err!.title).not.toContain('\u200b');
  });

  it('gives notes and end records no lane', () => {
    expect(eventMark({ type: 'note', seq: 8, ts: 8, text: 'x' })).toBeUndefined();
    expect(eventMark({ type: 'end', seq: 9, ts: 9, reason: 'eof' })).toBeUndefined();
  });
});
