// The streamed builders of har, vitest and otlp (shared/export/): each exchange is written as soon
// as it is answered, in request order (a later answer waits behind an earlier unanswered request),
// and what is held is capped — a server that never answers gets its oldest requests written as
// unanswered (otlp, har) or left out (vitest) before the end, so memory stays bounded.
import { describe, expect, it } from 'vitest';
import type { EventRecord, HeaderRecord } from '../../shared/capture/types.js';
import { HAR_MAX_HELD, HarBuilder, toHar } from '../../shared/export/har.js';
import { InOrder } from '../../shared/export/in-order.js';
import { OTLP_MAX_IN_FLIGHT, OtlpBuilder, type OtlpSpan } from '../../shared/export/otlp.js';
import { VITEST_MAX_HELD, VitestBuilder } from '../../shared/export/vitest.js';
import { makeSessionCapture } from '../helpers/factories.js';

const call = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: `t${id}`, arguments: {} },
});
const ok = (id: number) => ({ jsonrpc: '2.0', id, result: { content: [] } });

describe('InOrder', () => {
  it('releases in insertion order once the oldest is complete, and forces the oldest past the cap', () => {
    const out: string[] = [];
    const q = new InOrder<string>((s, done) => out.push(`${s}${done ? '' : '!'}`), 2, 100);
    q.add(1, 'a');
    q.add(2, 'b');
    q.complete(2);
    expect(out).toEqual([]); // b waits behind a
    q.complete(1);
    expect(out).toEqual(['a', 'b']);
    q.add(3, 'c');
    q.add(4, 'd');
    q.add(5, 'e'); // three held > 2: c goes out incomplete
    expect(out).toEqual(['a', 'b', 'c!']);
    q.grow(4, 150); // bytes over the cap: d goes out
    expect(out).toEqual(['a', 'b', 'c!', 'd!']);
    q.finish();
    expect(out).toEqual(['a', 'b', 'c!', 'd!', 'e!']);
    expect(q.forced).toBe(2);
  });
});

/** An OtlpBuilder fed the fixture session, its last request (a ping) answered. */
function otlpAfterFixture() {
  const c = makeSessionCapture();
  const spans: OtlpSpan[] = [];
  const b = new OtlpBuilder(c.header, [], { tool: 't' }, (s) => spans.push(s));
  for (const r of c.records) b.add(r);
  b.add(c.frame('s2c', ok(4)));
  return { c, spans, b };
}

describe('OtlpBuilder', () => {
  it('writes a span when its request is answered, in request order', () => {
    const { c, spans, b } = otlpAfterFixture();
    const before = spans.length;
    b.add(c.frame('c2s', call(100)));
    b.add(c.frame('c2s', call(101)));
    b.add(c.frame('s2c', ok(101)));
    expect(spans.length).toBe(before); // 101 is answered but waits behind 100
    b.add(c.frame('s2c', ok(100)));
    expect(spans.slice(before).map((s) => s.name)).toEqual(['tools/call t100', 'tools/call t101']);
    const session = b.finish();
    expect(session.name).toBe('mcp session fixture-server');
  });

  it('a server that never answers: the oldest requests are written as unanswered before the end', () => {
    const { c, spans, b } = otlpAfterFixture();
    const before = spans.length;
    const n = OTLP_MAX_IN_FLIGHT + 500;
    for (let i = 0; i < n; i++) b.add(c.frame('c2s', call(1000 + i)));
    const early = spans.slice(before);
    expect(early.length).toBeGreaterThanOrEqual(n - OTLP_MAX_IN_FLIGHT);
    expect(early[0]!.status).toEqual({ code: 'error', message: 'no response was recorded' });
    expect(early[0]!.attributes['error.type']).toBe('unanswered');
    b.finish();
  });

  it('caps the events of a span (the rest counted as dropped)', () => {
    const { c, spans, b } = otlpAfterFixture();
    b.add(c.frame('c2s', { ...call(7), params: { name: 'p', _meta: { progressToken: 'k' } } }));
    for (let i = 0; i < 1_200; i++)
      b.add(
        c.frame('s2c', {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: 'k', progress: i },
        }),
      );
    b.add(c.frame('s2c', ok(7)));
    const span = spans.find((s) => s.name === 'tools/call p')!;
    expect(span.events).toHaveLength(1_000);
    expect(span.droppedEvents).toBe(200);
    b.finish();
  });
});

function httpSession(): { header: HeaderRecord; records: EventRecord[]; add: (r: object) => void } {
  const header: HeaderRecord = {
    ...makeSessionCapture().header,
    source: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp', name: 'h' },
  };
  const records: EventRecord[] = [];
  let seq = 1;
  const add = (r: object) =>
    void records.push({ seq: seq++, ts: header.ts + seq, ...r } as EventRecord);
  return { header, records, add };
}

describe('HarBuilder', () => {
  it('writes an entry once its JSON answer is in, keeping request order, and is valid JSON', () => {
    const { header, records, add } = httpSession();
    const req = (s: string) => {
      add({ type: 'http', dir: 'c2s', stream: s, method: 'POST', path: '/mcp', headers: {} });
      add({ type: 'frame', dir: 'c2s', channel: 'http-request', stream: s, text: '{}' });
    };
    const res = (s: string) => {
      add({
        type: 'http',
        dir: 's2c',
        stream: s,
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
      add({
        type: 'frame',
        dir: 's2c',
        channel: 'http-response',
        stream: s,
        text: `{"v":"${s}${s}"}`,
      });
    };
    req('a');
    req('b');
    res('b');
    const out: string[] = [];
    const b = new HarBuilder(header, '0.1.0', (t) => out.push(t));
    for (const r of records) b.add(r);
    expect(out.join('')).not.toContain('bb'); // b waits behind a
    records.length = 0;
    res('a');
    for (const r of records) b.add(r);
    expect(out.join('')).toContain('bb');
    b.finish();
    const har = JSON.parse(out.join('')) as {
      log: { entries: { response: { content: { text: string } } }[] };
    };
    expect(har.log.entries.map((e) => e.response.content.text)).toEqual([
      '{"v":"aa"}',
      '{"v":"bb"}',
    ]);
  });

  it('a server that never answers: exchanges past the cap are written before the end', () => {
    const { header, records, add } = httpSession();
    for (let i = 0; i < HAR_MAX_HELD + 50; i++)
      add({ type: 'http', dir: 'c2s', stream: `s${i}`, method: 'POST', path: '/', headers: {} });
    let entries = 0;
    const b = new HarBuilder(
      header,
      '0.1.0',
      (t) => (entries += t.startsWith(',') || t.startsWith('\n') ? 1 : 0),
    );
    for (const r of records) b.add(r);
    expect(entries).toBe(50);
    b.finish();
    expect(toHar(header, records, '0.1.0')).toMatchObject({ log: { version: '1.2' } });
  });
});

describe('HarBuilder: a long-lived SSE stream', () => {
  it('written at the cap, its later frames go into a continuation entry, none lost', () => {
    const { header, records, add } = httpSession();
    add({ type: 'http', dir: 'c2s', stream: 'g', method: 'GET', path: '/mcp', headers: {} });
    add({
      type: 'http',
      dir: 's2c',
      stream: 'g',
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
    });
    add({ type: 'frame', dir: 's2c', channel: 'get-sse', stream: 'g', text: 'first-event' });
    // More unanswered POSTs than the cap: the GET stream (the oldest) is written.
    for (let i = 0; i < HAR_MAX_HELD + 1; i++)
      add({ type: 'http', dir: 'c2s', stream: `p${i}`, method: 'POST', path: '/', headers: {} });
    add({ type: 'frame', dir: 's2c', channel: 'get-sse', stream: 'g', text: 'late-event' });
    const har = toHar(header, records, '0.1.0') as {
      log: {
        entries: {
          request: { method: string };
          response: { content: { text: string } };
          comment?: string;
        }[];
        comment?: string;
      };
    };
    const gets = har.log.entries.filter((e) => e.request.method === 'GET');
    expect(gets.map((e) => e.response.content.text)).toEqual([
      'data: first-event\n\n',
      'data: late-event\n\n',
    ]);
    expect(gets[1]!.comment).toMatch(/^continued: /);
    expect(har.log.entries).toHaveLength(HAR_MAX_HELD + 1 + 2);
    expect(har.log.comment).toBeUndefined();
  });
});

describe('VitestBuilder', () => {
  it('writes each it once answered, in request order; unanswered requests are left out', () => {
    const c = makeSessionCapture();
    const cases: string[] = [];
    const b = new VitestBuilder(
      { file: 'x.mcpscope.jsonl', header: c.header, tool: 't' },
      (t) => cases.push(t),
      () => undefined,
    );
    for (const r of c.records) b.add(r);
    b.add(c.frame('s2c', ok(4)));
    const before = cases.length;
    b.add(c.frame('c2s', call(200)));
    b.add(c.frame('c2s', call(201)));
    b.add(c.frame('s2c', ok(201)));
    expect(cases.length).toBe(before);
    b.add(c.frame('s2c', ok(200)));
    expect(cases.slice(before).map((t) => /tools\/call (t\d+)/.exec(t)?.[1])).toEqual([
      't200',
      't201',
    ]);
    // A server that never answers: past the cap the oldest request is dropped, so later
    // answered ones are written before the end.
    for (let i = 0; i < VITEST_MAX_HELD + 1; i++) b.add(c.frame('c2s', call(10_000 + i)));
    b.add(c.frame('c2s', call(300)));
    b.add(c.frame('s2c', ok(300)));
    expect(cases.length).toBe(before + 2);
    const f = b.finish();
    expect(cases.at(-1)).toContain('t300');
    expect(f.head).toContain('const SERVER_ANSWERS');
  });
});
