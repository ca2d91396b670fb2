// The connection toolbar of Interact: ping with its round-trip time, the server's logging level,
// the roots this client offers (answered to roots/list without a dialog; editing them tells the
// server), Reconnect (same profile, new session) and Disconnect.

import { useEffect, useState } from 'react';
import type { HostApi, JsonObject, Root } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useAppStore } from '../store/hooks.js';

const LEVELS = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const;

/** `uri [name]` per line → roots; a line that is not a URI is an error naming it. */
export function parseRoots(text: string): Root[] {
  const out: Root[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const [uri = '', ...rest] = t.split(/\s+/);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(uri))
      throw new Error(`"${uri}" is not a URI (roots are usually file:///path/to/project)`);
    out.push(rest.length ? { uri, name: rest.join(' ') } : { uri });
  }
  return out;
}

export function ReconnectButton({ host, connectionId }: { host: HostApi; connectionId: string }) {
  const store = useAppStore();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      data-testid="reconnect"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void host
          .reconnect({ connectionId })
          .then(async (info) => {
            store.setState({
              connections: [...store.getState().connections.filter((c) => c.id !== info.id), info],
            });
            await store.getState().refreshLibrary();
            await store.getState().openSession(info.sessionId);
          })
          .catch((e: unknown) =>
            store.getState().toast('error', `Could not reconnect: ${(e as Error).message}`),
          )
          .finally(() => setBusy(false));
      }}
    >
      {busy ? 'Reconnecting…' : 'Reconnect'}
    </button>
  );
}

export function InteractExtras({
  host,
  connectionId,
  capabilities,
}: {
  host: HostApi;
  connectionId: string;
  capabilities: JsonObject | undefined;
}) {
  const store = useAppStore();
  const [ping, setPing] = useState<string>();
  const [level, setLevel] = useState('');
  const [rootsText, setRootsText] = useState('');
  const [rootsNote, setRootsNote] = useState<string>();
  const toast = (e: unknown): void => store.getState().toast('error', (e as Error).message);

  useEffect(() => {
    void host
      .getRoots({ connectionId })
      .then(
        (r) => setRootsText(r.roots.map((x) => (x.name ? `${x.uri} ${x.name}` : x.uri)).join('\n')),
        toast,
      );
  }, [host, connectionId]);

  const saveRoots = (): void => {
    let roots: Root[];
    try {
      roots = parseRoots(rootsText);
    } catch (e) {
      setRootsNote((e as Error).message);
      return;
    }
    void host.setRoots({ connectionId, roots }).then(
      (r) =>
        setRootsNote(
          `${r.roots.length} root${r.roots.length === 1 ? '' : 's'} set${r.notified ? '; the server was told (roots/list_changed)' : ''}`,
        ),
      (e: unknown) => setRootsNote((e as Error).message),
    );
  };

  return (
    <span className="interact-extras">
      <button
        type="button"
        data-testid="ping"
        onClick={() => {
          setPing('…');
          void host.ping({ connectionId }).then(
            (r) => setPing(`${r.latencyMs.toFixed(1)} ms`),
            (e: unknown) => setPing(`failed: ${(e as Error).message}`),
          );
        }}
      >
        ping
      </button>
      {ping && <SafeText text={ping} max={300} className="dim" testId="ping-result" />}
      {capabilities?.logging !== undefined && (
        <select
          value={level}
          data-testid="log-level"
          title="logging/setLevel: the lowest level of log messages the server should send"
          onChange={(e) => {
            const v = e.target.value;
            setLevel(v);
            if (v) void host.setLoggingLevel({ connectionId, level: v }).catch(toast);
          }}
        >
          <option value="">log level…</option>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      )}
      <details className="roots-editor" data-testid="roots-editor">
        <summary>roots</summary>
        <div className="roots-pop">
          <p className="dim">
            Answered to roots/list automatically. One per line: URI, then an optional name.
          </p>
          <textarea
            rows={4}
            className="mono"
            value={rootsText}
            spellCheck={false}
            data-testid="roots-input"
            placeholder="file:///home/me/project My project"
            onChange={(e) => setRootsText(e.target.value)}
          />
          <button type="button" className="primary" data-testid="roots-save" onClick={saveRoots}>
            Set roots
          </button>
          {rootsNote && <SafeText text={rootsNote} max={500} className="dim" testId="roots-note" />}
        </div>
      </details>
      <ReconnectButton host={host} connectionId={connectionId} />
      <button
        type="button"
        data-testid="disconnect"
        onClick={() => void host.disconnect({ connectionId }).catch(toast)}
      >
        disconnect
      </button>
    </span>
  );
}
