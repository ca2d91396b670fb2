// Hosts: the MCP configs of Claude Desktop, Claude Code, Cursor, VS Code, Windsurf and Gemini CLI,
// their servers and whether they run through mcpscope. Wrap and Unwrap first show the diff of
// what would be written (a dry run); only "Write" changes the files.

import { useCallback, useEffect, useState } from 'react';
import type {
  HostChangeReport,
  HostId,
  HostsReport,
  HostServerInfo,
} from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useAppStore, useHost } from '../store/hooks.js';

type Pending = { verb: 'wrap' | 'unwrap'; hosts: HostId[]; preview: HostChangeReport };

function ServerRow({ host, s }: { host: HostId; s: HostServerInfo }) {
  const what =
    s.kind === 'remote'
      ? (s.url ?? '')
      : s.kind === 'stdio'
        ? (s.command ?? []).join(' ')
        : `cannot wrap: ${s.problem ?? ''}`;
  const project =
    s.path[0] === 'projects' && s.path.length > 3 ? ` [project ${s.path[1] ?? ''}]` : '';
  return (
    <li
      className="row"
      data-testid={`host-server-${host}-${s.name}`}
      data-wrapped={s.wrapped ? 'true' : 'false'}
    >
      <span className={`badge ${s.wrapped ? 'b-ok' : ''}`}>
        {s.wrapped ? 'wrapped' : s.kind === 'unknown' ? 'unknown' : 'direct'}
      </span>
      <b>
        <SafeText text={s.name} max={120} />
      </b>
      <span className="pill">{s.kind}</span>
      <SafeText className="dim small" text={`${what}${project}`} max={300} />
    </li>
  );
}

function Changes({ report }: { report: HostChangeReport }) {
  return (
    <div data-testid="hosts-diff">
      {report.changes.length === 0 && <p className="dim">Nothing to change.</p>}
      {report.changes.map((c) => (
        <div key={c.path}>
          {c.error !== undefined && (
            <p className="err" data-testid="hosts-change-error">
              <SafeText text={c.error} max={2000} />
            </p>
          )}
          {c.diff && (
            <pre className="card small">
              <SafeText text={c.diff} max={200_000} multiline />
            </pre>
          )}
          {c.skipped.map((s) => (
            <div key={s.name} className="dim small">
              skipped <SafeText text={s.name} max={120} />: <SafeText text={s.reason} max={400} />
            </div>
          ))}
          {c.notes.map((n) => (
            <div key={n} className="warn small">
              <SafeText text={n} max={1000} />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

export function HostsScreen() {
  const host = useHost();
  const store = useAppStore();
  const [report, setReport] = useState<HostsReport | undefined>();
  const [pending, setPending] = useState<Pending | undefined>();
  const [done, setDone] = useState<HostChangeReport | undefined>();
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    if (!host) return;
    try {
      setReport(await host.listHosts());
    } catch (e) {
      store.getState().toast('error', `Could not read host configs: ${(e as Error).message}`);
    }
  }, [host, store]);
  useEffect(() => void refresh(), [refresh]);

  if (!host)
    return (
      <main className="library empty-note">
        Host configs need the mcpscope engine: start the app with `mcpscope ui` or `npm start`.
      </main>
    );

  const preview = async (verb: 'wrap' | 'unwrap', hosts: HostId[]): Promise<void> => {
    setBusy(true);
    setDone(undefined);
    try {
      const r =
        verb === 'wrap'
          ? await host.wrapHosts({ hosts, dryRun: true })
          : await host.unwrapHosts({ hosts, dryRun: true });
      setPending({ verb, hosts, preview: r });
    } catch (e) {
      store.getState().toast('error', `${verb} failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const write = async (): Promise<void> => {
    if (!pending) return;
    setBusy(true);
    try {
      const r =
        pending.verb === 'wrap'
          ? await host.wrapHosts({ hosts: pending.hosts })
          : await host.unwrapHosts({ hosts: pending.hosts });
      setDone(r);
      setPending(undefined);
      const failed = r.changes.filter((c) => c.error !== undefined).length;
      const written = r.changes.filter((c) => c.written).length;
      store
        .getState()
        .toast(
          failed ? 'error' : 'info',
          `${pending.verb}: ${written} file(s) written${failed ? `, ${failed} left untouched (see below)` : ''}. Restart the host to apply.`,
        );
      await refresh();
    } catch (e) {
      store.getState().toast('error', `${pending.verb} failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const found = report?.hosts.filter((h) => h.found) ?? [];
  return (
    <main className="library" data-testid="hosts-screen">
      <div className="library-tools">
        <b>Host configs</b>
        <span className="dim small">
          Wrap routes a host's servers through mcpscope, so their traffic is recorded and streams
          here live.
        </span>
        <button
          type="button"
          disabled={busy || found.length === 0}
          data-testid="wrap-all"
          onClick={() =>
            void preview(
              'wrap',
              found.map((h) => h.host),
            )
          }
        >
          Wrap all…
        </button>
        <button
          type="button"
          disabled={busy}
          data-testid="unwrap-all"
          onClick={() =>
            void preview(
              'unwrap',
              found.map((h) => h.host),
            )
          }
        >
          Unwrap all…
        </button>
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      {pending && (
        <section className="card" data-testid="hosts-preview">
          <h3>{pending.verb === 'wrap' ? 'Wrap' : 'Unwrap'}: what will be written</h3>
          <Changes report={pending.preview} />
          <div className="row">
            <button
              type="button"
              data-testid="hosts-confirm"
              disabled={busy || pending.preview.changes.every((c) => !c.diff)}
              onClick={() => void write()}
            >
              Write
            </button>
            <button type="button" data-testid="hosts-cancel" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </div>
        </section>
      )}
      {done && (
        <section className="card" data-testid="hosts-result">
          <h3>Done</h3>
          {done.changes.map((c) => (
            <div key={c.path} className="small">
              {c.written ? '✓' : '·'} <SafeText text={c.path} max={500} />{' '}
              {c.restore === 'exact' ? '(restored byte for byte)' : ''}
              {c.backup && (
                <span className="dim">
                  {' '}
                  backup: <SafeText text={c.backup} max={500} />
                </span>
              )}
            </div>
          ))}
          <Changes report={{ ...done, changes: done.changes.map((c) => ({ ...c, diff: '' })) }} />
        </section>
      )}
      {!report && <p className="dim">Looking for host configs…</p>}
      {report?.hosts.map((h) => (
        <section key={h.host} className="card" data-testid={`host-${h.host}`}>
          <div className="row">
            <b>{h.label}</b>
            {!h.found && <span className="dim">no config found</span>}
            {h.found && (
              <>
                <button
                  type="button"
                  disabled={busy}
                  data-testid={`wrap-${h.host}`}
                  onClick={() => void preview('wrap', [h.host])}
                >
                  Wrap…
                </button>
                <button
                  type="button"
                  disabled={busy}
                  data-testid={`unwrap-${h.host}`}
                  onClick={() => void preview('unwrap', [h.host])}
                >
                  Unwrap…
                </button>
              </>
            )}
          </div>
          {h.files.map((f) => (
            <div key={f.path}>
              <div className="dim small">
                <SafeText text={f.path} max={500} /> ({f.scope}
                {f.managed ? ', wrapped by mcpscope' : ''})
              </div>
              {f.error !== undefined && (
                <p className="err small" data-testid={`host-file-error-${h.host}`}>
                  <SafeText text={f.error} max={1000} />
                </p>
              )}
              <ul className="cap-items">
                {f.servers.map((s) => (
                  <ServerRow key={s.path.join('\u0000')} host={h.host} s={s} />
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </main>
  );
}
