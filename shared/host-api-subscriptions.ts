// Part of the host API (see host-api.ts): per-session event subscriptions. A UI subscribes to the
// sessions it shows; the engine sends each session's events (onRecords, and onNotification /
// onProgress of the connection recorded into that session) only to the UIs subscribed to it.
// Library-wide events (onSession, onSessionRemoved, connections, server requests, fuzz) go to
// every UI.

export interface SessionSubscriptionArgs {
  sessionIds: string[];
}

export interface SubscriptionCommands {
  /** Receive the events of these sessions (added to the ones already subscribed). */
  subscribeSessions: { args: SessionSubscriptionArgs; result: { sessionIds: string[] } };
  /** Stop receiving the events of these sessions. */
  unsubscribeSessions: { args: SessionSubscriptionArgs; result: { sessionIds: string[] } };
}

export const SUBSCRIPTION_COMMAND_FLAGS: Record<keyof SubscriptionCommands, true> = {
  subscribeSessions: true,
  unsubscribeSessions: true,
};

/** At most this many sessions per UI (a library screen shows one session at a time). */
export const MAX_SUBSCRIBED_SESSIONS = 1000;
