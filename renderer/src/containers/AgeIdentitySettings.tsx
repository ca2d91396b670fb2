// Settings → Encrypted captures: the age identity file the engine uses to open `*.age` captures
// (`export --encrypt-to`) in the captures folder. Only the path goes to the engine, which keeps the
// keys in memory; the page never sees them. Lists what could not be opened, and why.

import { useEffect, useState } from 'react';
import type { AgeIdentityInfo } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useHost } from '../store/hooks.js';

export function AgeIdentitySettings() {
  const host = useHost();
  const [info, setInfo] = useState<AgeIdentityInfo | undefined>();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!host) return;
    host.getAgeIdentity().then(
      (i) => {
        setInfo(i);
        setPath((v) => (v === '' ? (i.path ?? '') : v));
      },
      (e: unknown) => setError((e as Error).message),
    );
  }, [host]);

  if (!host) return null;
  const apply = (p: string | null): void => {
    setBusy(true);
    setError(undefined);
    host
      .setAgeIdentity({ path: p })
      .then(
        (i) => {
          setInfo(i);
          if (p === null) setPath('');
        },
        (e: unknown) => setError((e as Error).message),
      )
      .finally(() => setBusy(false));
  };
  return (
    <fieldset data-testid="age-settings" data-opened={String(info?.opened ?? 0)}>
      <legend>Encrypted captures</legend>
      <p className="dim">
        Captures encrypted with <code>export --encrypt-to</code> (<code>*.age</code>) in the
        captures folder open with an age identity file (<code>mcpscope key age-keygen</code>). Only
        its path is saved; the file must be readable by you alone (chmod 600).
      </p>
      <label>
        Identity file{' '}
        <input
          data-testid="age-identity-path"
          placeholder="/home/you/.config/mcpscope/auditor.key"
          size={40}
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
      </label>
      <div className="settings-actions">
        <button
          type="button"
          className="primary"
          data-testid="age-identity-save"
          disabled={busy || path.trim() === ''}
          onClick={() => apply(path.trim())}
        >
          Use and open
        </button>
        {info?.path && (
          <button
            type="button"
            data-testid="age-identity-forget"
            disabled={busy}
            onClick={() => apply(null)}
          >
            Forget
          </button>
        )}
      </div>
      {info?.problem && <SafeText className="error" text={info.problem} />}
      {info && info.recipients.length > 0 && (
        <p className="dim" data-testid="age-identity-recipients">
          Opens captures encrypted to <SafeText text={info.recipients.join(', ')} max={400} /> ·{' '}
          {info.opened} opened
        </p>
      )}
      {info && info.locked.length > 0 && (
        <ul className="retention-list" data-testid="age-locked">
          {info.locked.map((l) => (
            <li key={l.name} data-testid="age-locked-row">
              <SafeText text={l.name} max={160} />: <SafeText className="dim" text={l.reason} />
            </li>
          ))}
        </ul>
      )}
      {error && <SafeText className="error" text={error} testId="age-identity-error" />}
    </fieldset>
  );
}

/** The Library's hint that the captures folder holds encrypted captures it could not open. */
export function EncryptedNotice({
  onSettings,
  refresh,
}: {
  onSettings: () => void;
  refresh: unknown;
}) {
  const host = useHost();
  const [locked, setLocked] = useState(0);
  useEffect(() => {
    if (!host) return;
    host.getAgeIdentity().then(
      (i) => setLocked(i.locked.length),
      () => setLocked(0),
    );
  }, [host, refresh]);
  if (locked === 0) return null;
  return (
    <span className="chip" data-testid="age-locked-notice">
      {locked} encrypted capture{locked === 1 ? '' : 's'} not opened
      <button type="button" onClick={onSettings}>
        choose an identity…
      </button>
    </span>
  );
}
