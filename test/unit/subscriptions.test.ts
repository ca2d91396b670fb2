// The per-session subscription registry: a session's events reach only the UIs subscribed to it,
// library-wide events reach all, a deleted session leaves every subscription, and the engine's
// attach() gives each UI its own zod-checked subscribe/unsubscribe.
import { describe, expect, it } from 'vitest';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { eventSession, SubscriptionRegistry } from '../../electron/engine/app/subscriptions.js';
import type { EventName } from '../../shared/host-api.js';
import { MAX_SUBSCRIBED_SESSIONS } from '../../shared/host-api.js';
import { scratchDir } from '../helpers/paths.js';

type Seen = { name: EventName; payload: unknown }[];

function ui(reg: SubscriptionRegistry): { id: number; seen: Seen } {
  const seen: Seen = [];
  return { id: reg.attach((name, payload) => seen.push({ name, payload })), seen };
}

const records = (sessionId: string) => ({ sessionId, records: [] });

describe('SubscriptionRegistry', () => {
  it('sends a session event only to its subscribers, library events to every UI', () => {
    const reg = new SubscriptionRegistry();
    const a = ui(reg);
    const b = ui(reg);
    expect(reg.subscribe(a.id, ['A'])).toEqual(['A']);
    reg.subscribe(b.id, ['B', 'B']);
    reg.route('onRecords', records('A'));
    reg.route('onRecords', records('B'));
    reg.route('onRecords', records('C'));
    reg.route('onConnection', { id: 'c1' } as never);
    expect(a.seen.map((e) => [e.name, (e.payload as { sessionId?: string }).sessionId])).toEqual([
      ['onRecords', 'A'],
      ['onConnection', undefined],
    ]);
    expect(b.seen.map((e) => e.name)).toEqual(['onRecords', 'onConnection']);
    expect(reg.subscribers('B')).toBe(1);
    expect(reg.subscribed(b.id)).toEqual(['B']);
  });

  it('unsubscribe, detach and a removed session stop the events', () => {
    const reg = new SubscriptionRegistry();
    const a = ui(reg);
    const b = ui(reg);
    reg.subscribe(a.id, ['A', 'X']);
    reg.subscribe(b.id, ['A']);
    expect(reg.unsubscribe(a.id, ['X', 'never'])).toEqual(['A']);
    reg.route('onSessionRemoved', { sessionId: 'A' });
    expect(reg.subscribers('A')).toBe(0);
    reg.route('onRecords', records('A'));
    expect(a.seen.map((e) => e.name)).toEqual(['onSessionRemoved']);
    reg.detach(b.id);
    reg.route('onConnection', { id: 'c1' } as never);
    expect(b.seen.map((e) => e.name)).toEqual(['onSessionRemoved']);
    expect(() => reg.subscribe(b.id, ['A'])).toThrow(/closed/);
    expect(reg.size).toBe(1);
  });

  it('a throwing UI does not starve the others; the set per UI is bounded', () => {
    const reg = new SubscriptionRegistry();
    reg.attach(() => {
      throw new Error('broken adapter');
    });
    const b = ui(reg);
    reg.route('onConnection', { id: 'c1' } as never);
    expect(b.seen).toHaveLength(1);
    const many = Array.from({ length: MAX_SUBSCRIBED_SESSIONS }, (_, i) => `s${i}`);
    reg.subscribe(b.id, many);
    expect(() => reg.subscribe(b.id, ['one-more'])).toThrow(/at most/);
    expect(reg.subscribe(b.id, ['s1'])).toHaveLength(MAX_SUBSCRIBED_SESSIONS); // already in
  });

  it('sends a connection notification and progress only to UIs showing its session', () => {
    const reg = new SubscriptionRegistry();
    const shows = ui(reg);
    const elsewhere = ui(reg);
    reg.subscribe(shows.id, ['S1']);
    reg.subscribe(elsewhere.id, ['S2']);
    const log = { connectionId: 'c1', sessionId: 'S1', method: 'notifications/message' };
    reg.route('onNotification', log);
    reg.route('onProgress', { connectionId: 'c1', sessionId: 'S1', opId: 'op', progress: 1 });
    reg.route('onNotification', { ...log, connectionId: 'c2', sessionId: 'S2' });
    reg.route('onServerRequest', { id: 'r1', sessionId: 'S1' } as never);
    expect(shows.seen.map((e) => e.name)).toEqual([
      'onNotification',
      'onProgress',
      'onServerRequest',
    ]);
    expect(shows.seen[0]!.payload).toEqual(log);
    expect(
      elsewhere.seen.map((e) => [e.name, (e.payload as { sessionId: string }).sessionId]),
    ).toEqual([
      ['onNotification', 'S2'],
      ['onServerRequest', 'S1'], // a server request waits for whichever UI answers it
    ]);
    // An unrecorded connection has no session: its notifications still reach every UI.
    reg.route('onNotification', { ...log, sessionId: '' });
    expect(shows.seen).toHaveLength(4);
    expect(elsewhere.seen).toHaveLength(3);
  });

  it('knows which events belong to a session', () => {
    expect(eventSession('onRecords', records('A'))).toBe('A');
    expect(eventSession('onNotification', { connectionId: 'c', sessionId: 'A', method: 'm' })).toBe(
      'A',
    );
    expect(
      eventSession('onProgress', { connectionId: 'c', sessionId: 'A', opId: 'o', progress: 0 }),
    ).toBe('A');
    expect(
      eventSession('onNotification', { connectionId: 'c', sessionId: '', method: 'm' }),
    ).toBeUndefined();
    expect(eventSession('onConnection', { id: 'c', sessionId: 'A' } as never)).toBeUndefined();
    expect(eventSession('onFuzzDone', { runId: 'r' })).toBeUndefined();
    expect(eventSession('onSession', { id: 'A' } as never)).toBeUndefined();
    expect(eventSession('onSessionRemoved', { sessionId: 'A' })).toBeUndefined();
  });
});

describe('AppEngine.attach', () => {
  it('gives each UI its own checked subscribe/unsubscribe; plain commands refuse them', async () => {
    const engine = new AppEngine({
      mode: 'browser',
      dataDir: scratchDir(),
      liveFeed: false,
      scan: false,
    });
    const seen: Seen = [];
    const one = engine.attach((name, payload) => seen.push({ name, payload }));
    const two = engine.attach(() => undefined);
    expect(await one.commands.subscribeSessions({ sessionIds: ['A'] })).toEqual({
      sessionIds: ['A'],
    });
    expect(await two.commands.subscribeSessions({ sessionIds: ['B'] })).toEqual({
      sessionIds: ['B'],
    });
    await expect(
      one.commands.subscribeSessions({ sessionIds: 'A' } as never),
    ).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/sessionIds/) });
    await expect(engine.commands.subscribeSessions({ sessionIds: ['A'] })).rejects.toMatchObject({
      code: 'unavailable',
    });
    // Other commands pass through to the engine.
    expect((await one.commands.appInfo(undefined)).mode).toBe('browser');
    expect(await one.commands.unsubscribeSessions({ sessionIds: ['A'] })).toEqual({
      sessionIds: [],
    });
    one.detach();
    two.detach();
    expect(engine.subscriptions.size).toBe(0);
    await engine.dispose();
  });
});
