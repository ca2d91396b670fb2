// Interact → Log: the server's log messages (notifications/message) of this connection, newest
// last, at the level chosen with the toolbar's logging/setLevel picker. Server text, escaped.

import type { HostApi, JsonValue, NotificationEvent } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useFeed } from './feed.js';

export interface LogLine {
  at: number;
  level: string;
  logger?: string;
  text: string;
}

const MAX_LINES = 500;

function logLine(n: NotificationEvent): LogLine | undefined {
  if (n.method !== 'notifications/message') return undefined;
  const p = n.params ?? {};
  const data: JsonValue | undefined = p.data;
  return {
    at: Date.now(),
    level: typeof p.level === 'string' ? p.level : '?',
    text: typeof data === 'string' ? data : (JSON.stringify(data) ?? ''),
    ...(typeof p.logger === 'string' ? { logger: p.logger } : {}),
  };
}

/** The connection's log messages (the last MAX_LINES), kept while the page is open. */
export function useServerLog(host: HostApi, connectionId: string): LogLine[] {
  return useFeed(host, connectionId, 'log', logLine, MAX_LINES);
}

export function LogTab({ lines }: { lines: LogLine[] }) {
  if (lines.length === 0)
    return (
      <p className="dim" data-testid="log-empty">
        No log messages yet. Pick a log level in the toolbar (logging/setLevel); servers send
        notifications/message at that level and above.
      </p>
    );
  return (
    <ul className="log-list mono" data-testid="log-list">
      {lines.map((l, i) => (
        <li key={`${l.at}-${i}`} data-testid="log-line" data-level={l.level}>
          {new Date(l.at).toLocaleTimeString()} <b>{<SafeText text={l.level} max={20} />}</b>{' '}
          {l.logger !== undefined && <SafeText text={`[${l.logger}] `} max={100} />}
          <SafeText text={l.text} max={2000} />
        </li>
      ))}
    </ul>
  );
}
