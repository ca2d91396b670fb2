// Notifications of one kind from one connection, kept for the page's lifetime (bounded), so a
// list (the server's log, resource updates) survives leaving Interact and coming back. The engine
// sends a connection's notifications only while its session is the one shown (subscribed), so
// what arrives while another session is open is in that session's records, not in this list.

import { useSyncExternalStore } from 'react';
import type { HostApi, NotificationEvent } from '../../../shared/host-api.js';

interface Feed<T> {
  items: T[];
  listeners: Set<() => void>;
}

const feeds = new Map<string, Feed<unknown>>();

function feedOf<T>(
  host: HostApi,
  connectionId: string,
  kind: string,
  map: (n: NotificationEvent) => T | undefined,
  max: number,
): Feed<T> {
  const key = `${connectionId}\u0000${kind}`;
  let f = feeds.get(key) as Feed<T> | undefined;
  if (f) return f;
  const feed: Feed<T> = { items: [], listeners: new Set() };
  f = feed;
  feeds.set(key, feed as Feed<unknown>);
  // One listener per connection and kind for the page's lifetime; what it keeps is bounded.
  host.onNotification((n) => {
    if (n.connectionId !== connectionId) return;
    const item = map(n);
    if (item === undefined) return;
    feed.items = [...feed.items.slice(-(max - 1)), item];
    for (const l of feed.listeners) l();
  });
  return f;
}

/** The items collected so far (newest last); re-renders when one arrives. */
export function useFeed<T>(
  host: HostApi,
  connectionId: string,
  kind: string,
  map: (n: NotificationEvent) => T | undefined,
  max: number,
): T[] {
  const f = feedOf(host, connectionId, kind, map, max);
  return useSyncExternalStore(
    (cb) => {
      f.listeners.add(cb);
      return () => f.listeners.delete(cb);
    },
    () => f.items,
  );
}
