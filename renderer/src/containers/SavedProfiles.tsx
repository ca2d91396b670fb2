// Saved connection profiles, kept by the engine in its data directory (they survive restarts and
// are the same in browser mode and Electron). Saving never stores secret values; loading a profile
// tells the Connect form which ones to ask for again.

import { useCallback, useEffect, useState } from 'react';
import type { ConnectionProfile, SavedProfile } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { formFromSaved, type FormState, type NeededSecrets } from '../model/profiles.js';
import { useAppStore, useHost } from '../store/hooks.js';

export interface SavedProfilesProps {
  form: FormState;
  /** The form as a profile, or an Error saying what is missing. */
  toProfile: (f: FormState) => ConnectionProfile;
  onLoad: (form: FormState, needs: NeededSecrets) => void;
  onProblem: (text: string | undefined) => void;
}

export function SavedProfiles({ form, toProfile, onLoad, onProblem }: SavedProfilesProps) {
  const host = useHost();
  const store = useAppStore();
  const [profiles, setProfiles] = useState<SavedProfile[]>([]);

  const refresh = useCallback(async () => {
    if (!host) return;
    try {
      setProfiles(await host.listProfiles());
    } catch (e) {
      onProblem(`Saved profiles cannot be read: ${(e as Error).message}`);
    }
  }, [host, onProblem]);

  useEffect(() => void refresh(), [refresh]);

  const save = async (): Promise<void> => {
    if (!host) return;
    onProblem(undefined);
    try {
      const profile = toProfile(form);
      const name =
        form.name.trim() ||
        (profile.transport === 'stdio'
          ? [profile.command, ...(profile.args ?? [])].join(' ')
          : profile.url);
      const saved = await host.saveProfile({ name: name.slice(0, 200), profile });
      const secrets =
        (saved.envKeys?.length ?? 0) +
        (saved.secretHeaders?.length ?? 0) +
        (saved.bearerToken ? 1 : 0);
      store
        .getState()
        .toast(
          'info',
          `Saved profile "${saved.name}".${secrets ? ' Secret values (environment, credential headers, tokens) are not saved: you will be asked for them again.' : ''}`,
        );
      await refresh();
    } catch (e) {
      onProblem((e as Error).message);
    }
  };

  const forget = async (name: string): Promise<void> => {
    if (!host) return;
    try {
      await host.deleteProfile({ name });
      await refresh();
    } catch (e) {
      onProblem((e as Error).message);
    }
  };

  return (
    <>
      <button type="button" disabled={!host} data-testid="profile-save" onClick={() => void save()}>
        Save profile
      </button>
      {profiles.length > 0 && (
        <div className="profiles" data-testid="profiles">
          <h4>Saved profiles</h4>
          {profiles.map((p) => (
            <span key={p.name} className="profile" data-testid="profile" data-name={p.name}>
              <button
                type="button"
                data-testid="profile-load"
                title={p.transport === 'stdio' ? [p.command, ...(p.args ?? [])].join(' ') : p.url}
                onClick={() => {
                  const { form: f, needs } = formFromSaved(p);
                  onLoad(f, needs);
                }}
              >
                <SafeText text={p.name} max={60} />
              </button>
              <button
                type="button"
                title="forget this profile"
                aria-label={`forget ${p.name}`}
                data-testid="profile-delete"
                onClick={() => void forget(p.name)}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      )}
    </>
  );
}
