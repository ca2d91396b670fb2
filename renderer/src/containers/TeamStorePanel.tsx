// Team stores (PostgreSQL) as a library source: add one by its connection string (kept by the
// engine, never shown again: in memory for this run, or encrypted by the OS keychain in the
// desktop app), then list, search and open its sessions like local ones. Opened sessions are
// read-only copies (origin "store").

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { StoreSessionInfo, StoreSourceInfo } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useAppStore, useHost } from '../store/hooks.js';

export function TeamStorePanel() {
  const host = useHost();
  const store = useAppStore();
  const [sources, setSources] = useState<StoreSourceInfo[]>([]);
  const [canRemember, setCanRemember] = useState(false);
  const [adding, setAdding] = useState(false);
  const [url, setUrl] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [active, setActive] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<StoreSessionInfo[] | undefined>();

  useEffect(() => {
    if (!host) return;
    void host.listStoreSources().then((s) => {
      setSources(s);
      if (s[0]) setActive((a) => a ?? s[0]!.id);
    });
    void host.appInfo().then((i) => setCanRemember(i.mode === 'electron'));
  }, [host]);

  const search = useCallback(
    async (sourceId: string, text: string) => {
      if (!host) return;
      setError(undefined);
      try {
        setRows(await host.listStoreSessions({ sourceId, ...(text ? { text } : {}) }));
      } catch (e) {
        setRows(undefined);
        setError((e as Error).message);
      }
    },
    [host],
  );
  useEffect(() => {
    if (active) void search(active, q);
    // The search box searches on submit (not per keystroke); a new source lists with it.
  }, [active, search]);

  if (!host) return null;

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const info = await host.addStoreSource({
        url: url.trim(),
        ...(remember ? { remember } : {}),
      });
      setSources((s) => [...s.filter((x) => x.id !== info.id), info]);
      setActive(info.id);
      setAdding(false);
      setUrl('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const open = async (sessionId: string) => {
    if (!active) return;
    try {
      const s = await host.openStoreSession({ sourceId: active, sessionId });
      await store.getState().openSession(s.id);
    } catch (err) {
      store.getState().toast('error', `Could not open ${sessionId}: ${(err as Error).message}`);
    }
  };

  return (
    <section className="team-store card" data-testid="team-store">
      <div className="library-tools">
        <strong>Team store</strong>
        {sources.map((s) => (
          <button
            key={s.id}
            type="button"
            className={s.id === active ? 'primary' : undefined}
            data-testid="store-source"
            title={s.remembered ? 'remembered (encrypted by the OS keychain)' : 'this run only'}
            onClick={() => setActive(s.id)}
          >
            <SafeText text={s.label} max={80} />
          </button>
        ))}
        {active && (
          <button
            type="button"
            data-testid="store-remove"
            onClick={() => {
              void host.removeStoreSource({ sourceId: active }).then(() => {
                setSources((s) => s.filter((x) => x.id !== active));
                setActive(undefined);
                setRows(undefined);
              });
            }}
          >
            Remove
          </button>
        )}
        <button type="button" data-testid="store-add" onClick={() => setAdding((a) => !a)}>
          Add team store…
        </button>
      </div>
      {adding && (
        <form className="library-tools" onSubmit={(e) => void add(e)} data-testid="store-form">
          <input
            type="password"
            autoComplete="off"
            placeholder="postgres://user:password@host:5432/database"
            aria-label="PostgreSQL connection string"
            data-testid="store-url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            style={{ width: 380 }}
          />
          {canRemember && (
            <label>
              <input
                type="checkbox"
                checked={remember}
                data-testid="store-remember"
                onChange={(e) => setRemember(e.target.checked)}
              />{' '}
              remember (encrypted by the OS keychain)
            </label>
          )}
          <button type="submit" className="primary" disabled={busy || !url.trim()}>
            {busy ? 'Connecting…' : 'Connect'}
          </button>
          {!canRemember && (
            <span className="dim">kept in memory only: asked again when mcpscope restarts</span>
          )}
        </form>
      )}
      {error && (
        <p className="warn" data-testid="store-error">
          <SafeText text={error} max={400} />
        </p>
      )}
      {active && (
        <>
          <form
            className="library-tools"
            onSubmit={(e) => {
              e.preventDefault();
              void search(active, q);
            }}
          >
            <input
              type="search"
              placeholder="Search the team store (id, server, command or URL)"
              data-testid="store-search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
            <button type="submit">Search</button>
          </form>
          <table className="sessions" data-testid="store-sessions">
            <thead>
              <tr>
                <th>server</th>
                <th>session</th>
                <th>created</th>
                <th>records</th>
                <th>findings</th>
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((r) => (
                <tr key={r.id} data-testid="store-session-row" data-session-id={r.id}>
                  <td>
                    {r.complete ? (
                      <button
                        type="button"
                        className="link"
                        data-testid="store-session-open"
                        onClick={() => void open(r.id)}
                      >
                        <SafeText text={r.server ?? '(unknown server)'} max={120} />
                      </button>
                    ) : (
                      <>
                        <SafeText text={r.server ?? '(unknown server)'} max={120} />{' '}
                        <span
                          className="badge b-live"
                          title="still recording, or not pushed in full"
                        >
                          incomplete
                        </span>
                      </>
                    )}
                  </td>
                  <td className="dim">{r.id}</td>
                  <td>{new Date(r.created).toLocaleString()}</td>
                  <td>{r.records}</td>
                  <td className={r.findings > 0 ? 'warn' : undefined}>{r.findings}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows && rows.length === 0 && (
            <p className="dim empty-note">No session in this store matches.</p>
          )}
        </>
      )}
    </section>
  );
}
