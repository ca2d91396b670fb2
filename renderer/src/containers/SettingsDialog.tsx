// Settings: the retention policy of the captures folder and the library (max age, max total
// size), saved by the engine in its data directory (retention.json, the file `mcpscope gc` reads),
// and "Clean up now", which first lists what would be deleted and deletes only when confirmed;
// then the age identity for encrypted captures (AgeIdentitySettings).

import { useEffect, useState } from 'react';
import type { GcReport, RetentionSettings } from '../../../shared/host-api.js';
import {
  formatBytes,
  parseMaxAge,
  parseMaxSize,
  type RetentionPolicy,
} from '../../../shared/retention.js';
import { Modal } from '../components/Modal.js';
import { SafeText } from '../components/SafeText.js';
import { useHost } from '../store/hooks.js';
import { AgeIdentitySettings } from './AgeIdentitySettings.js';

function ageText(days: number | null): string {
  return days === null ? '' : `${days}d`;
}

function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  for (const [unit, n] of [
    ['TB', 1024 ** 4],
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const)
    if (bytes % n === 0) return `${bytes / n}${unit}`;
  return String(bytes);
}

/** The policy in the form, or the reason it cannot be read. */
function readForm(age: string, size: string): RetentionPolicy | string {
  try {
    return {
      maxAgeDays: age.trim() === '' ? null : parseMaxAge(age),
      maxBytes: size.trim() === '' ? null : parseMaxSize(size),
    };
  } catch (e) {
    return (e as Error).message;
  }
}

const fileName = (p: string): string => p.split(/[\\/]/).slice(-2).join('/');

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const host = useHost();
  const [settings, setSettings] = useState<RetentionSettings | undefined>();
  const [age, setAge] = useState('');
  const [size, setSize] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [plan, setPlan] = useState<GcReport | undefined>();
  const [done, setDone] = useState<GcReport | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!host) return;
    host.getRetention().then(
      (s) => {
        setSettings(s);
        // What the user typed meanwhile wins over the saved values.
        setAge((v) => (v === '' ? ageText(s.policy.maxAgeDays) : v));
        setSize((v) => (v === '' ? sizeText(s.policy.maxBytes) : v));
      },
      (e: unknown) => setError((e as Error).message),
    );
  }, [host]);

  const form = readForm(age, size);
  const formError = typeof form === 'string' ? form : undefined;
  const run = async <T,>(f: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await f();
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  if (!host) return null;
  return (
    <Modal
      onClose={onClose}
      testId="settings-dialog"
      label="Settings"
      className="settings-dialog"
      data={{ loaded: settings ? 'true' : 'false' }}
    >
      <h3>Settings</h3>
      <fieldset>
        <legend>Retention of captures</legend>
        <p className="dim">
          Applies to the captures folder and the library&apos;s imported copies
          {settings ? (
            <>
              {' '}
              (<SafeText text={settings.folders[0] ?? ''} max={200} />)
            </>
          ) : null}
          . A capture that may still be recording is never deleted. Empty means no limit.
        </p>
        <label>
          Delete captures older than{' '}
          <input
            data-testid="retention-max-age"
            placeholder="e.g. 30d"
            size={8}
            value={age}
            onChange={(e) => {
              setAge(e.target.value);
              setPlan(undefined);
              setStatus(undefined);
            }}
          />
        </label>{' '}
        <label>
          Keep at most{' '}
          <input
            data-testid="retention-max-size"
            placeholder="e.g. 2GB"
            size={8}
            value={size}
            onChange={(e) => {
              setSize(e.target.value);
              setPlan(undefined);
              setStatus(undefined);
            }}
          />{' '}
          in total (oldest deleted first)
        </label>
        {formError && <SafeText className="error" text={formError} testId="retention-form-error" />}
        <div className="settings-actions">
          <button
            type="button"
            className="primary"
            data-testid="retention-save"
            disabled={busy || formError !== undefined}
            onClick={() => {
              if (typeof form === 'string') return;
              void run(() => host.setRetention({ policy: form })).then((s) => {
                if (!s) return;
                setSettings(s);
                setStatus(`Saved in ${s.file}`);
              });
            }}
          >
            Save
          </button>
          <button
            type="button"
            data-testid="retention-cleanup"
            disabled={busy || formError !== undefined}
            onClick={() => {
              if (typeof form === 'string') return;
              setDone(undefined);
              void run(() => host.runRetention({ dryRun: true, policy: form })).then(setPlan);
            }}
          >
            Clean up now…
          </button>
        </div>
        {status && <SafeText className="dim" text={status} testId="retention-saved" />}
      </fieldset>
      {plan && (
        <div data-testid="retention-plan" data-count={String(plan.deleted.length)}>
          <p>
            {plan.deleted.length === 0
              ? 'Nothing to delete under this policy.'
              : `These ${plan.deleted.length} capture${plan.deleted.length === 1 ? '' : 's'} (${formatBytes(plan.freedBytes)}) will be deleted:`}
          </p>
          <ul className="retention-list">
            {plan.deleted.map((d) => (
              <li key={d.path} data-testid="retention-plan-row">
                <SafeText text={fileName(d.path)} max={160} /> · {formatBytes(d.bytes)} ·{' '}
                {d.reason === 'age' ? 'too old' : 'over the size limit'}
              </li>
            ))}
            {plan.protected.map((p) => (
              <li key={p.path} className="dim">
                kept: <SafeText text={fileName(p.path)} max={160} /> (<SafeText text={p.why} />)
              </li>
            ))}
          </ul>
          {plan.deleted.length > 0 && (
            <button
              type="button"
              className="danger"
              data-testid="retention-confirm"
              disabled={busy}
              onClick={() => {
                if (typeof form === 'string') return;
                void run(() => host.runRetention({ dryRun: false, policy: form })).then((r) => {
                  setPlan(undefined);
                  setDone(r);
                });
              }}
            >
              Delete {plan.deleted.length} capture{plan.deleted.length === 1 ? '' : 's'}
            </button>
          )}
        </div>
      )}
      {done && (
        <p data-testid="retention-result">
          Deleted {done.deleted.length} capture{done.deleted.length === 1 ? '' : 's'} (
          {formatBytes(done.freedBytes)}).
          {done.errors.map((e) => (
            <SafeText key={e.path} className="error" text={` ${fileName(e.path)}: ${e.message}`} />
          ))}
        </p>
      )}
      {error && <SafeText className="error" text={error} testId="retention-error" />}
      <AgeIdentitySettings />
      <div className="settings-actions">
        <button type="button" data-testid="settings-close" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
