// Which UI receives which event. Each attached UI (a WebSocket in browser mode, a window in
// Electron) has its own set of subscribed sessions; a session's events (SESSION_EVENTS: its live
// records, and the notifications and progress of the connection recorded into it) go only to the
// UIs subscribed to it. Library-wide events go to all of them: session list changes (onSession,
// onSessionRemoved), connection status (the Connect screen lists every connection), server
// requests (they wait for an answer from whichever UI is open) and fuzz runs (keyed by run).

import {
  HostApiError,
  MAX_SUBSCRIBED_SESSIONS,
  type EventName,
  type HostEvents,
} from '../../../shared/host-api.js';

export type EventDeliver = <K extends EventName>(name: K, payload: HostEvents[K]) => void;

/** The events that belong to one session, and how to find which. */
const SESSION_EVENTS: { [K in EventName]?: (payload: HostEvents[K]) => string } = {
  onRecords: (p) => p.sessionId,
  onNotification: (p) => p.sessionId,
  onProgress: (p) => p.sessionId,
};

/**
 * The session an event belongs to, or undefined for a library-wide event. A connection that is
 * not recorded (its capture writer failed) has no session: its events go to every UI, as before.
 */
export function eventSession<K extends EventName>(
  name: K,
  payload: HostEvents[K],
): string | undefined {
  const of = SESSION_EVENTS[name] as ((p: HostEvents[K]) => string) | undefined;
  const session = of?.(payload);
  return session === '' ? undefined : session;
}

interface Client {
  deliver: EventDeliver;
  sessions: Set<string>;
}

export class SubscriptionRegistry {
  private readonly clients = new Map<number, Client>();
  private nextId = 1;

  /** A new UI; it receives library-wide events at once, session events once it subscribes. */
  attach(deliver: EventDeliver): number {
    const id = this.nextId++;
    this.clients.set(id, { deliver, sessions: new Set() });
    return id;
  }

  detach(id: number): void {
    this.clients.delete(id);
  }

  get size(): number {
    return this.clients.size;
  }

  subscribe(id: number, sessionIds: readonly string[]): string[] {
    const c = this.client(id);
    const fresh = sessionIds.filter((s) => !c.sessions.has(s));
    if (c.sessions.size + new Set(fresh).size > MAX_SUBSCRIBED_SESSIONS)
      throw new HostApiError(
        'bad-request',
        `a UI may subscribe to at most ${MAX_SUBSCRIBED_SESSIONS} sessions; unsubscribe from the ones it no longer shows`,
      );
    for (const s of fresh) c.sessions.add(s);
    return [...c.sessions];
  }

  unsubscribe(id: number, sessionIds: readonly string[]): string[] {
    const c = this.client(id);
    for (const s of sessionIds) c.sessions.delete(s);
    return [...c.sessions];
  }

  subscribed(id: number): string[] {
    return [...this.client(id).sessions];
  }

  /** How many UIs receive this session's events. */
  subscribers(sessionId: string): number {
    let n = 0;
    for (const c of this.clients.values()) if (c.sessions.has(sessionId)) n++;
    return n;
  }

  /** Deliver one event to the UIs it is for. A throwing UI never starves the others. */
  route<K extends EventName>(name: K, payload: HostEvents[K]): void {
    const session = eventSession(name, payload);
    if (name === 'onSessionRemoved') {
      const gone = (payload as HostEvents['onSessionRemoved']).sessionId;
      for (const c of this.clients.values()) c.sessions.delete(gone);
    }
    for (const c of this.clients.values()) {
      if (session !== undefined && !c.sessions.has(session)) continue;
      try {
        c.deliver(name, payload);
      } catch {
        // One broken adapter must not starve the others.
      }
    }
  }

  private client(id: number): Client {
    const c = this.clients.get(id);
    if (!c)
      throw new HostApiError('disconnected', 'this UI connection is closed; reload to reconnect');
    return c;
  }
}
