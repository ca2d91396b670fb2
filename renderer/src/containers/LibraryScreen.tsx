// The library: every session (imported, recorded, client, live); search, open, delete, export,
// import by picker or drag-and-drop.

import { useRef, useState } from 'react';
import { SafeText } from '../components/SafeText.js';
import { fmtDate, fmtDuration } from '../components/format.js';
import type { LibraryRow } from '../db/db.js';
import { useApp, useAppStore, useHost } from '../store/hooks.js';
import { ExportDialog } from './ExportDialog.js';
import { SettingsDialog } from './SettingsDialog.js';
import { TeamStorePanel } from './TeamStorePanel.js';

function matchesSearch(r: LibraryRow, q: string): boolean {
  if (!q) return true;
  const hay = [
    r.title,
    r.server?.name,
    r.url,
    r.command?.join(' '),
    r.fileName,
    r.transport,
    r.origin,
  ]
    .join(' ')
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .every((w) => hay.includes(w));
}

export function LibraryScreen() {
  const store = useAppStore();
  const sessions = useApp((s) => s.sessions);
  const q = useApp((s) => s.librarySearch);
  const fileRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [exporting, setExporting] = useState<LibraryRow | undefined>();
  const [settings, setSettings] = useState(false);
  const host = useHost();
  const only = useApp((s) => s.libraryOnly);
  const onlySet = only ? new Set(only) : undefined;
  const rows = sessions.filter((r) => (!onlySet || onlySet.has(r.id)) && matchesSearch(r, q));
  const importList = (files: FileList | null): void => {
    if (!files || files.length === 0) return;
    void store
      .getState()
      .importFiles([...files].map((f) => ({ name: f.name, text: () => f.text(), blob: f })));
  };

  return (
    <main
      className={`library ${dragging ? 'dragging' : ''}`}
      data-testid="library"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        importList(e.dataTransfer.files);
      }}
    >
      <div className="library-tools">
        <input
          type="search"
          placeholder="Search sessions"
          data-testid="library-search"
          value={q}
          onChange={(e) => store.getState().setLibrarySearch(e.target.value)}
        />
        <button
          type="button"
          className="primary"
          data-testid="import-button"
          onClick={() => fileRef.current?.click()}
        >
          Import capture…
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".jsonl,.mcpscope.jsonl,application/x-ndjson"
          multiple
          hidden
          data-testid="import-input"
          onChange={(e) => {
            importList(e.target.files);
            e.target.value = '';
          }}
        />
        <span className="dim">or drop .mcpscope.jsonl files here</span>
        {host && (
          <button
            type="button"
            data-testid="settings-button"
            title="Retention: how long captures are kept, and how much disk they may take"
            onClick={() => setSettings(true)}
          >
            Settings…
          </button>
        )}
        {only && (
          <span className="chip" data-testid="library-only">
            showing the {only.length} files mcpscope was started with
            <button
              type="button"
              data-testid="library-show-all"
              onClick={() => store.getState().setLibraryOnly(undefined)}
            >
              show all
            </button>
          </span>
        )}
      </div>
      <table className="sessions" data-testid="session-table">
        <thead>
          <tr>
            <th>server</th>
            <th>origin</th>
            <th>transport</th>
            <th>started</th>
            <th>duration</th>
            <th>frames</th>
            <th>errors</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.id}
              data-testid="session-row"
              data-session-id={r.id}
              data-live={r.live ? 'true' : undefined}
            >
              <td>
                <button
                  type="button"
                  className="link"
                  data-testid="session-open"
                  onClick={() => void store.getState().openSession(r.id)}
                >
                  <SafeText text={r.title} max={120} />
                </button>
                {r.server && r.server.name !== r.title && (
                  <SafeText
                    className="dim server-name-sub"
                    text={` ${r.server.title ?? r.server.name}`}
                    max={80}
                  />
                )}
                {r.live && <span className="badge b-live">live</span>}
                {r.problems ? (
                  <span className="badge b-error">{r.problems} unreadable lines</span>
                ) : null}
                {r.integrity &&
                  (r.integrity.intact ? (
                    <span
                      className="badge b-ok"
                      data-testid="integrity"
                      data-intact="true"
                      title={`hash chain verified over ${r.integrity.checked} records${r.integrity.warnings.length ? `; ${r.integrity.warnings.join('; ')}` : ''}`}
                    >
                      ✓ intact
                    </span>
                  ) : (
                    <span
                      className="badge b-error"
                      data-testid="integrity"
                      data-intact="false"
                      title={r.integrity.firstBad?.reason}
                    >
                      ✗ altered
                      {r.integrity.firstBad?.seq !== undefined
                        ? ` at seq ${r.integrity.firstBad.seq}`
                        : ''}
                    </span>
                  ))}
              </td>
              <td>{r.origin}</td>
              <td>{r.transport}</td>
              <td>{fmtDate(r.started)}</td>
              <td>{fmtDuration(r.durationMs)}</td>
              <td>{r.frameCount}</td>
              <td className={r.errorCount > 0 ? 'warn' : undefined}>{r.errorCount}</td>
              <td className="actions">
                <button
                  type="button"
                  data-testid="session-export"
                  title="Export a report, a test or a redacted capture"
                  onClick={() => setExporting(r)}
                >
                  Export…
                </button>
                <button
                  type="button"
                  data-testid="session-delete"
                  onClick={() => {
                    if (confirm('Delete this session from the library?'))
                      void store.getState().deleteSession(r.id);
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && (
        <p className="dim empty-note">
          {sessions.length === 0
            ? 'No sessions yet. Import a capture, or connect to a server.'
            : 'No session matches the search.'}
        </p>
      )}
      {settings && <SettingsDialog onClose={() => setSettings(false)} />}
      <TeamStorePanel />
      {exporting && (
        <ExportDialog
          sessionId={exporting.id}
          local={exporting.store === 'local'}
          onClose={() => setExporting(undefined)}
        />
      )}
    </main>
  );
}
