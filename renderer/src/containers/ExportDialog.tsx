// The Export menu of a session: the formats of `mcpscope export`, redaction on by default, and a
// preview of what will be masked before anything is saved. The engine runs the streamed export
// pipeline into a file of its own (its progress is shown while it runs); this only asks, shows
// and downloads that file through a single-use link, so the output never passes through the page's
// memory or the host-api. OTLP can also be sent to a collector, and any export can be downloaded
// encrypted to an age recipient (encrypted by the engine as it writes).

import { useEffect, useRef, useState } from 'react';
import {
  EXPORT_FORMAT_NAMES,
  type ExportAsArgs,
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
  otlp: 'OpenTelemetry traces (OTLP/JSON)',
};

const RECIPIENT = /^age1[02-9ac-hj-np-z]{20,}$/;

let jobs = 0;

type Host = NonNullable<ReturnType<typeof useHost>>;

/**
 * Download an export's file: the engine gives a single-use link (`download/TICKET`, valid 60 s,
 * deletes the file once sent); the browser saves the response itself (Content-Disposition).
 */
export async function downloadExport(host: Host, r: ExportAsResult): Promise<void> {
  if (r.downloadId === undefined) throw new Error('this export wrote no file to download');
  const { url } = await host.exportDownload({ downloadId: r.downloadId });
  const a = document.createElement('a');
  a.href = url;
  a.download = r.fileName;
  a.rel = 'noopener';
  a.click();
}

type Store = ReturnType<typeof useAppStore>;

/** One export of the session (from the engine's file, or from the capture the UI holds). */
async function run(
  host: Host,
  store: Store,
  sessionId: string,
  local: boolean,
  opts: Omit<ExportAsArgs, 'sessionId' | 'capture'>,
): Promise<ExportAsResult> {
  if (!local) return host.exportAs({ sessionId, ...opts });
  const raw = await store.getState().exportSession(sessionId);
  return host.exportAs({ capture: { name: raw.fileName, text: raw.text }, ...opts });
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
  const [progress, setProgress] = useState<string | undefined>();
  const [endpoint, setEndpoint] = useState('');
  const [recipient, setRecipient] = useState('');
  const [action, setAction] = useState<{ busy: boolean; note?: string; error?: string }>({
    busy: false,
  });
  const first = useRef<HTMLSelectElement>(null);
  /** Files handed to a download: the engine deletes them once sent, the dialog never discards them. */
  const downloaded = useRef(new Set<string>());
  const recipientOk = RECIPIENT.test(recipient.trim());

  useEffect(() => first.current?.focus(), []);

  // Every change of options re-runs the export, so the preview always matches what is saved.
  useEffect(() => {
    if (!host) return;
    let stale = false;
    setBusy(true);
    setError(undefined);
    const jobId = `export-${Date.now()}-${++jobs}`;
    setProgress(undefined);
    // The engine keeps the file this run writes until it is downloaded or discarded here.
    let made: string | undefined;
    // The engine streams the capture; its progress is asked for while the export runs.
    const poll = setInterval(() => {
      host.exportProgress({ jobId }).then(
        (p) => {
          if (!stale && p.running && p.records)
            setProgress(`${p.pass ?? 'reading'}: ${p.records.toLocaleString('en')} records`);
        },
        () => undefined,
      );
    }, 400);
    run(host, store, sessionId, local, { format, redact, jobId })
      .then(
        (r) => {
          made = r.downloadId;
          if (!stale) setResult(r);
          else if (made) void host.exportDiscard({ downloadId: made }).catch(() => undefined);
        },
        (e: unknown) => {
          if (!stale) {
            setResult(undefined);
            setError((e as Error).message);
          }
        },
      )
      .finally(() => {
        clearInterval(poll);
        if (!stale) setBusy(false);
      });
    return () => {
      stale = true;
      clearInterval(poll);
      // Options changed or the dialog closed: a file nobody will download is deleted now.
      if (made && !downloaded.current.has(made))
        void host.exportDiscard({ downloadId: made }).catch(() => undefined);
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
        <div className="export-options">
          <label title="age X25519 recipient (age1…), e.g. from `mcpscope key age-keygen`: the download is encrypted to it and never saved in clear">
            Encrypt to age recipient{' '}
            <input
              type="text"
              data-testid="export-recipient"
              placeholder="age1… (optional)"
              spellCheck={false}
              value={recipient}
              onChange={(e) => setRecipient(e.target.value)}
            />
          </label>
          {recipient.trim() !== '' && !recipientOk && (
            <span className="error" data-testid="export-recipient-error">
              not an age recipient: age1 followed by lower-case letters and digits
            </span>
          )}
          {format === 'otlp' && (
            <span className="export-endpoint">
              <label title="OTLP/HTTP collector (Jaeger, Tempo, an OpenTelemetry Collector); /v1/traces is added when the URL has no path">
                Collector URL{' '}
                <input
                  type="url"
                  data-testid="export-endpoint"
                  placeholder="http://127.0.0.1:4318"
                  spellCheck={false}
                  value={endpoint}
                  onChange={(e) => setEndpoint(e.target.value)}
                />
              </label>{' '}
              <button
                type="button"
                data-testid="export-send"
                disabled={!host || action.busy || !/^https?:\/\/\S+$/.test(endpoint.trim())}
                onClick={() => {
                  if (!host) return;
                  setAction({ busy: true });
                  run(host, store, sessionId, local, {
                    format: 'otlp',
                    redact,
                    endpoint: endpoint.trim(),
                  }).then(
                    (r) => setAction({ busy: false, note: `sent to ${r.sent ?? endpoint}` }),
                    (e: unknown) => setAction({ busy: false, error: (e as Error).message }),
                  );
                }}
              >
                Send
              </button>
            </span>
          )}
          <div data-testid="export-action" data-busy={action.busy ? 'true' : 'false'}>
            {action.busy && <span className="dim">working…</span>}
            {action.note && <SafeText text={action.note} />}
            {action.error && <SafeText text={`Failed: ${action.error}`} className="error" />}
          </div>
        </div>
        <div
          className="export-status"
          data-testid="export-status"
          data-busy={busy ? 'true' : 'false'}
        >
          {busy && (
            <span className="dim" data-testid="export-progress">
              {progress ? <SafeText text={`preparing… ${progress}`} /> : 'preparing…'}
            </span>
          )}
          {!busy && error && <SafeText text={`Cannot export: ${error}`} className="error" />}
          {!busy && result && (
            <span data-testid="export-count">
              {result.redaction
                ? `redacted: ${result.redaction.values} value${result.redaction.values === 1 ? '' : 's'} (${result.redaction.replacements} replacement${result.redaction.replacements === 1 ? '' : 's'})`
                : 'NOT redacted: the file holds every value as recorded'}
              {` · ${result.findings} finding${result.findings === 1 ? '' : 's'} · ${(result.bytes / 1024).toFixed(1)} KiB`}
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
            // Not disabled while a download is prepared: the focus (and Esc) stays in the dialog.
            disabled={busy || !result || (recipient.trim() !== '' && !recipientOk)}
            aria-busy={action.busy}
            onClick={() => {
              if (!result || !host || action.busy) return;
              setAction({ busy: true });
              // The preview's file, once; encrypted (or downloaded before): the engine exports
              // again into a new file, encrypting it as it writes.
              const again =
                recipientOk ||
                result.downloadId === undefined ||
                downloaded.current.has(result.downloadId);
              const ready = again
                ? run(host, store, sessionId, local, {
                    format,
                    redact,
                    ...(recipientOk ? { encryptTo: [recipient.trim()] } : {}),
                  })
                : Promise.resolve(result);
              ready
                .then(async (r) => {
                  if (r.downloadId !== undefined) downloaded.current.add(r.downloadId);
                  await downloadExport(host, r);
                  setAction({
                    busy: false,
                    note: r.encryptedTo
                      ? `encrypted with age to ${r.encryptedTo} recipient${r.encryptedTo === 1 ? '' : 's'}`
                      : `downloading ${r.fileName}`,
                  });
                })
                .catch((e: unknown) => setAction({ busy: false, error: (e as Error).message }));
            }}
          >
            Download{' '}
            {result ? (
              <SafeText text={recipientOk ? `${result.fileName}.age` : result.fileName} />
            ) : null}
          </button>
        </div>
      </div>
    </div>
  );
}
