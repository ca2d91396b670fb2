// The Export menu of a session: the formats of `mcpscope export`, redaction on by default, and a
// preview of what will be masked before anything is saved. The engine runs the export pipeline;
// this only asks, shows and downloads.

import { useEffect, useRef, useState } from 'react';
import {
  EXPORT_FORMAT_NAMES,
  type ExportAsResult,
  type ExportFormatName,
} from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useAppStore, useHost } from '../store/hooks.js';

const LABEL: Record<ExportFormatName, string> = {
  jsonl: 'Capture (.mcpscope.jsonl)',
  html: 'HTML audit report',
  md: 'Markdown summary',
  sarif: 'SARIF findings',
  har: 'HAR (HTTP sessions)',
  vitest: 'Vitest regression test',
};

export function download(fileName: string, text: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportDialog({
  sessionId,
  local,
  onClose,
}: {
  sessionId: string;
  local: boolean;
  onClose: () => void;
}) {
  const host = useHost();
  const store = useAppStore();
  const [format, setFormat] = useState<ExportFormatName>('html');
  const [redact, setRedact] = useState(true);
  const [result, setResult] = useState<ExportAsResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);

  useEffect(() => first.current?.focus(), []);

  // Every change of options re-runs the export, so the preview always matches what is saved.
  useEffect(() => {
    if (!host) return;
    let stale = false;
    setBusy(true);
    setError(undefined);
    const run = async (): Promise<ExportAsResult> => {
      if (!local) return host.exportAs({ sessionId, format, redact });
      const raw = await store.getState().exportSession(sessionId);
      return host.exportAs({ capture: { name: raw.fileName, text: raw.text }, format, redact });
    };
    run()
      .then(
        (r) => {
          if (!stale) setResult(r);
        },
        (e: unknown) => {
          if (!stale) {
            setResult(undefined);
            setError((e as Error).message);
          }
        },
      )
      .finally(() => {
        if (!stale) setBusy(false);
      });
    return () => {
      stale = true;
    };
  }, [host, store, sessionId, local, format, redact]);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal export-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Export session"
        data-testid="export-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h3>Export session</h3>
        <label>
          Format{' '}
          <select
            ref={first}
            data-testid="export-format"
            value={format}
            onChange={(e) => setFormat(e.target.value as ExportFormatName)}
          >
            {EXPORT_FORMAT_NAMES.map((f) => (
              <option key={f} value={f}>
                {LABEL[f]}
              </option>
            ))}
          </select>
        </label>{' '}
        <label title="Secrets and personal data (the same rules as mcpscope scan) become placeholders such as [REDACTED:github-token:1]">
          <input
            type="checkbox"
            data-testid="export-redact"
            checked={redact}
            onChange={(e) => setRedact(e.target.checked)}
          />{' '}
          Redact secrets and personal data
        </label>
        <div
          className="export-status"
          data-testid="export-status"
          data-busy={busy ? 'true' : 'false'}
        >
          {busy && <span className="dim">preparing…</span>}
          {!busy && error && <SafeText text={`Cannot export: ${error}`} className="error" />}
          {!busy && result && (
            <span data-testid="export-count">
              {result.redaction
                ? `redacted: ${result.redaction.values} value${result.redaction.values === 1 ? '' : 's'} (${result.redaction.replacements} replacement${result.redaction.replacements === 1 ? '' : 's'})`
                : 'NOT redacted: the file holds every value as recorded'}
              {` · ${result.findings} finding${result.findings === 1 ? '' : 's'} · ${(result.text.length / 1024).toFixed(1)} KiB`}
            </span>
          )}
        </div>
        {!busy && result?.redaction && result.redaction.masked.length > 0 && (
          <table className="export-masked" data-testid="export-masked">
            <thead>
              <tr>
                <th>placeholder</th>
                <th>kind</th>
                <th>was</th>
                <th>×</th>
              </tr>
            </thead>
            <tbody>
              {result.redaction.masked.slice(0, 50).map((m) => (
                <tr key={m.placeholder}>
                  <td className="mono">
                    <SafeText text={m.placeholder} />
                  </td>
                  <td>
                    <SafeText text={m.dataClass} />
                  </td>
                  <td className="mono">
                    <SafeText text={m.masked} />
                  </td>
                  <td>{m.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="modal-actions">
          <button type="button" data-testid="export-close" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            data-testid="export-download"
            disabled={busy || !result}
            onClick={() => result && download(result.fileName, result.text, result.mimeType)}
          >
            Download {result ? <SafeText text={result.fileName} /> : null}
          </button>
        </div>
      </div>
    </div>
  );
}
