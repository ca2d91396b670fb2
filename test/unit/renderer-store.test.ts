import { beforeEach, describe, expect, it } from 'vitest';
import { sessionData } from '../../renderer/src/model/session-data.js';
import {
  file,
  makeCapture,
  makeSessionCapture,
  makeStore,
  type TestStore,
} from './renderer-fixtures.js';

let t: TestStore;

beforeEach(() => {
  sessionData.clear();
  t = makeStore();
});

const state = () => t.store.getState();

describe('sessions slice', () => {
  it('imports a capture, opens it and stores it in the library', async () => {
    await state().importFiles([file('a.mcpscope.jsonl', makeSessionCapture().text())]);
    expect(state().screen).toBe('session');
    expect(state().active).toBe('cafe0001');
    expect(state().counts.frames).toBe(10);
    expect(state().filteredCount).toBe(10);
    const row = state().sessions[0]!;
    expect(row).toMatchObject({
      id: 'cafe0001',
      // The capture's own name (source.name, what the user called the connection) wins over serverInfo.
      title: 'fixture',
      store: 'local',
      frameCount: 10,
      errorCount: 1,
      origin: 'imported',
      protocolVersion: '2025-06-18',
    });
    await Promise.resolve();
    expect(t.library.texts.get('cafe0001')).toBe(makeSessionCapture().text());
  });

  it('checks the hash chain of an imported file and reports tampering', async () => {
    await state().importFiles([file('good', makeSessionCapture('good').text())]);
    expect(state().sessions.find((r) => r.id === 'good')!.integrity).toMatchObject({
      intact: true,
      checked: 12,
    });
    const tampered = makeSessionCapture('bad').text().replace('Echo: Hello', 'Echo: HELLO');
    await state().importFiles([file('bad.mcpscope.jsonl', tampered)]);
    const row = state().sessions.find((r) => r.id === 'bad')!;
    expect(row.integrity).toMatchObject({ intact: false, firstBad: { seq: 7 } });
    expect(
      state().toasts.some((x) =>
        /bad\.mcpscope\.jsonl: the hash chain is broken at line 8 \(seq 7\)/.test(x.text),
      ),
    ).toBe(true);
  });

  it('refuses a file that is not a capture and says what to do', async () => {
    await state().importFiles([file('notes.txt', 'hello\n')]);
    expect(state().sessions).toEqual([]);
    expect(state().toasts[0]!.text).toMatch(
      /notes\.txt was not imported: not an mcpscope capture.*Choose a \.mcpscope\.jsonl file/,
    );
  });

  it('imports a file with a damaged line and reports it, keeping the rest', async () => {
    const lines = makeSessionCapture().text().split('\n');
    lines[3] = '{"broken":';
    await state().importFiles([file('d.mcpscope.jsonl', lines.join('\n'))]);
    expect(state().sessions[0]!.problems).toBe(1);
    expect(state().counts.frames).toBe(9);
    expect(state().toasts.some((x) => /1 line\(s\) could not be read/.test(x.text))).toBe(true);
  });

  it('gives a second import of the same capture its own id', async () => {
    const text = makeSessionCapture().text();
    await state().importFiles([file('a', text), file('b', text)]);
    expect(
      state()
        .sessions.map((r) => r.id)
        .sort(),
    ).toEqual(['cafe0001', 'cafe0001~2']);
  });

  it('reopens a session from the library text after the page was reloaded', async () => {
    await state().importFiles([file('a', makeSessionCapture().text())]);
    await Promise.resolve();
    sessionData.clear(); // as after a reload: nothing in memory
    await state().openSession('cafe0001');
    expect(state().counts.frames).toBe(10);
    expect(state().filteredCount).toBe(10);
  });

  it('deletes and exports', async () => {
    await state().importFiles([file('my run.mcpscope.jsonl', makeSessionCapture().text())]);
    await Promise.resolve();
    const exp = await state().exportSession('cafe0001');
    expect(exp.fileName).toBe('my_run.mcpscope.jsonl');
    expect(exp.text).toBe(makeSessionCapture().text());
    await state().deleteSession('cafe0001');
    expect(state().sessions).toEqual([]);
    expect(state().screen).toBe('library');
    expect(t.library.rows.size).toBe(0);
    await expect(state().exportSession('cafe0001')).rejects.toThrow(/import the file again/);
  });
});

describe('timeline slice', () => {
  beforeEach(async () => {
    await state().importFiles([file('a', makeSessionCapture().text())]);
  });

  it('filters with the query language and reports errors', () => {
    state().setQuery('status:error');
    expect(state().filteredCount).toBe(2); // the error response and the request it answers
    expect(state().filtered.map((mid) => sessionData.get('cafe0001')!.messages[mid]!.seq)).toEqual([
      8, 9,
    ]);
    state().setQuery('latency:>500');
    expect(state().filteredCount).toBe(2);
    state().setQuery('dir:up kind:request');
    expect(state().queryErrors[0]!.message).toMatch(/dir: "up"/);
    expect(state().filteredCount).toBe(5);
    state().setQuery('');
    expect(state().filteredCount).toBe(10);
  });

  it('searches free text case-insensitively in the raw frames, regex characters literal', () => {
    state().setQuery('"ECHO: hello"');
    expect(state().filtered.map((mid) => sessionData.get('cafe0001')!.messages[mid]!.seq)).toEqual([
      7,
    ]);
    state().setQuery('TOOLS/LIST');
    expect(state().filteredCount).toBe(2); // by method (request and its response)
    state().setQuery('"(x" .*');
    expect(state().filteredCount).toBe(0);
  });

  it('moves the selection with j/k semantics within the filtered view', () => {
    state().setQuery('kind:request');
    const f = state().filtered;
    state().selectRelative(1);
    expect(state().selected).toBe(f[0]);
    state().selectRelative(1);
    expect(state().selected).toBe(f[1]);
    state().selectRelative(-5);
    expect(state().selected).toBe(f[0]);
    state().selectRelative(100);
    expect(state().selected).toBe(f[f.length - 1]);
  });

  it('batches live records: one scheduled flush per frame, no copy of the index', () => {
    const data = sessionData.get('cafe0001')!;
    state().setQuery('method:tools/call');
    const before = state().filtered;
    const beforeCount = state().filteredCount;
    const live = makeSessionCapture();
    const next = (seq: number, dir: 'c2s' | 's2c', v: unknown) => ({
      seq,
      ts: 2e12 + seq,
      type: 'frame' as const,
      dir,
      channel: 'stdio' as const,
      text: JSON.stringify(v),
    });
    const base = data.lastSeq;
    state().queueRecords('cafe0001', [
      next(base + 1, 'c2s', {
        jsonrpc: '2.0',
        id: 10,
        method: 'tools/call',
        params: { name: 'echo' },
      }),
    ]);
    state().queueRecords('cafe0001', [
      next(base + 2, 'c2s', { jsonrpc: '2.0', id: 11, method: 'resources/list' }),
    ]);
    state().queueRecords('cafe0001', [
      next(base + 3, 's2c', { jsonrpc: '2.0', id: 10, result: {} }),
    ]);
    expect(t.scheduled).toHaveLength(1);
    expect(state().filteredCount).toBe(beforeCount);
    t.runFrame();
    expect(state().filteredCount).toBe(beforeCount + 2);
    expect(state().filtered).toBe(before); // appended in place
    expect(state().counts.frames).toBe(13);
    void live;
  });

  it('re-tests a live request when its answer arrives (status:pending, status:error)', () => {
    const data = sessionData.get('cafe0001')!;
    const seqOf = () => state().filtered.map((mid) => data.messages[mid]!.seq);
    state().setQuery('status:pending');
    expect(seqOf()).toEqual([11]); // the ping
    const base = data.lastSeq;
    const rec = (seq: number, dir: 'c2s' | 's2c', v: unknown) => ({
      seq,
      ts: 2e12 + seq,
      type: 'frame' as const,
      dir,
      channel: 'stdio' as const,
      text: JSON.stringify(v),
    });
    state().queueRecords('cafe0001', [
      rec(base + 1, 'c2s', { jsonrpc: '2.0', id: 20, method: 'tools/call', params: { name: 'x' } }),
    ]);
    t.runFrame();
    expect(seqOf()).toEqual([11, base + 1]);
    state().queueRecords('cafe0001', [rec(base + 2, 's2c', { jsonrpc: '2.0', id: 4, result: {} })]);
    t.runFrame();
    expect(seqOf()).toEqual([base + 1]); // the ping was answered: no longer pending
    state().setQuery('status:error method:tools/call');
    expect(seqOf()).toEqual([8, 9]);
    state().queueRecords('cafe0001', [
      rec(base + 3, 's2c', { jsonrpc: '2.0', id: 20, error: { code: 1, message: 'no' } }),
    ]);
    t.runFrame();
    expect(seqOf()).toEqual([8, 9, base + 1, base + 3]); // the request joined in place, in order
  });

  it('applies a live batch queued before the history read in seq order', async () => {
    const c = makeSessionCapture('late');
    const live = c.records.slice(-3);
    const { SessionData } = await import('../../renderer/src/model/session-data.js');
    sessionData.set('late', new SessionData('late', c.header));
    state().queueRecords('late', live); // arrives first over the WebSocket
    state().queueRecords('late', c.records); // then the readRecords answer
    t.runFrame();
    const data = sessionData.get('late')!;
    expect(data.counts.frames).toBe(10);
    expect(data.builder.session.handshake.serverInfo?.name).toBe('fixture-server');
  });

  it('ignores records it has already seen (overlapping read and live event)', () => {
    const data = sessionData.get('cafe0001')!;
    const dup = makeSessionCapture().records.slice(-2);
    state().queueRecords('cafe0001', dup);
    t.runFrame();
    expect(data.counts.frames).toBe(10);
  });
});

describe('session data', () => {
  it('pairs, counts pending and keeps stderr', async () => {
    await state().importFiles([file('a', makeSessionCapture().text())]);
    const c = state().counts;
    expect(c).toMatchObject({
      frames: 10,
      requests: 5,
      notifications: 1,
      errors: 1,
      pending: 1,
      stderr: 1,
    });
    const data = sessionData.get('cafe0001')!;
    expect(data.stderrText(data.stderr[0]!)).toBe('server says hi');
    const call = data.messages.find((m) => m.id === 2 && m.kind === 'request')!;
    expect(data.messages[call.pair!]!.kind).toBe('response');
    expect(data.rawText(call)).toContain('"Hello"');
  });

  it('maps findings to messages by seq', async () => {
    await state().importFiles([file('a', makeSessionCapture().text())]);
    const data = sessionData.get('cafe0001')!;
    data.addFindings([
      {
        rule: 'x',
        severity: 'high',
        title: 't',
        message: 'm',
        target: { kind: 'message', seq: 6 },
      },
      {
        rule: 'y',
        severity: 'low',
        title: 't',
        message: 'm',
        target: { kind: 'tool', name: 'echo' },
      },
    ]);
    const mid = data.midOfSeq(6)!;
    expect(data.findingsByMid.get(mid)).toHaveLength(1);
    expect(data.findings).toHaveLength(2);
    state().setQuery('severity:high');
    expect(state().filtered).toEqual([mid]);
  });

  it('runs the real detectors in slices and filters on their findings', async () => {
    const c = makeSessionCapture('leaky');
    const key = ['ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
    c.frame('c2s', {
      jsonrpc: '2.0',
      id: 9,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: `token ${key}` } },
    });
    c.frame('s2c', {
      jsonrpc: '2.0',
      id: 9,
      result: { content: [{ type: 'text', text: `Echo: token ${key}` }] },
    });
    await state().importFiles([file('leaky', c.text())]);
    state().setQuery('has:finding severity:high');
    const data = sessionData.get('leaky')!;
    expect(state().findingCount).toBeGreaterThan(0);
    const secret = data.findings.find((f) => f.target.seq === 12 && f.rule.startsWith('secret'));
    expect(secret, JSON.stringify(data.findings.map((f) => f.rule))).toBeDefined();
    expect(secret!.evidence ?? '').not.toContain(key); // masked
    expect(state().filtered.map((mid) => data.messages[mid]!.seq)).toEqual(
      expect.arrayContaining([12, 13]),
    );
  });

  it('sends live records to detection and re-filters on the findings', async () => {
    await state().importFiles([file('a', makeSessionCapture().text())]);
    state().setQuery('has:finding');
    expect(state().filteredCount).toBe(0);
    const data = sessionData.get('cafe0001')!;
    const key = ['ghp', '_', 'Z1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
    const seq = data.lastSeq + 1;
    state().queueRecords('cafe0001', [
      {
        seq,
        ts: 2e12,
        type: 'frame',
        dir: 's2c',
        channel: 'stdio',
        text: JSON.stringify({ jsonrpc: '2.0', id: 4, result: { leaked: key } }),
      },
    ]);
    t.runFrame();
    expect(state().findingCount).toBeGreaterThan(0);
    expect(state().filtered.map((mid) => data.messages[mid]!.seq)).toContain(seq);
  });

  it('keeps paginated listings right while dropping decoded JSON it no longer needs', async () => {
    const c = makeCapture('pages');
    c.frame('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    c.frame('s2c', { jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'a' }], nextCursor: 'p2' } });
    c.frame('c2s', { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { cursor: 'p2' } });
    c.frame('s2c', { jsonrpc: '2.0', id: 2, result: { tools: [{ name: 'b' }] } });
    c.frame('c2s', { jsonrpc: '2.0', id: 3, method: 'ping' });
    await state().importFiles([file('p', c.text())]);
    const data = sessionData.get('pages')!;
    expect(data.builder.session.lists.tools.items.map((t) => t.name)).toEqual(['a', 'b']);
    expect(data.messages[1]!.parsed.result).toBeUndefined(); // answered: lightened
    expect(data.messages[4]!.parsed.value).toBeDefined(); // still waiting for its answer
    expect(data.rawText(data.messages[1]!)).toContain('"nextCursor":"p2"');
  });

  it('survives frames that are not JSON or not UTF-8', async () => {
    const c = makeCapture('bad');
    c.frame('s2c', 'not json at all');
    c.add({ type: 'frame', dir: 's2c', channel: 'stdio', b64: '/w==' });
    await state().importFiles([file('b', c.text())]);
    expect(state().counts).toMatchObject({ frames: 2, errors: 2 });
    state().setQuery('kind:invalid');
    expect(state().filteredCount).toBe(2);
  });
});
