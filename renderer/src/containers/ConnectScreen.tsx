// New client connection (stdio / Streamable HTTP / SSE, env and headers, saved profiles) and
// new recorder (the exact wrapper command or proxy URL to paste into a host config).

import { useState } from 'react';
import type { ConnectionProfile, RecorderInstructions } from '../../../shared/host-api.js';
import { parsePairs as sharedPairs, parseTarget } from '../../../shared/target.js';
import { SafeText } from '../components/SafeText.js';
import {
  EMPTY_FORM as EMPTY,
  missingSecrets,
  NO_SECRETS,
  type FormState,
  type NeededSecrets,
} from '../model/profiles.js';
import { useApp, useAppStore, useHost } from '../store/hooks.js';
import { SavedProfiles } from './SavedProfiles.js';
import { OAuthSteps } from '../oauth/OAuthSteps.js';
import { useOAuthFlows } from '../oauth/useOAuthFlows.js';

/** `KEY=value` lines (env) or `Name: value` lines (headers) → a record (the shared parser's pairs). */
export const parsePairs = (text: string, sep: '=' | ':'): Record<string, string> =>
  sharedPairs(text.split('\n'), sep);

/** Split an argument line like a shell would for simple cases: spaces, and "double quotes". */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

/** The form → a connection profile: the target through the one shared parser, plus a name. */
export function toProfile(f: FormState): ConnectionProfile {
  const name = f.name.trim() || undefined;
  const target =
    f.kind === 'stdio'
      ? parseTarget({
          transport: 'stdio',
          command: f.command,
          args: splitArgs(f.args),
          env: parsePairs(f.env, '='),
        })
      : parseTarget({ transport: f.kind, url: f.url, headers: parsePairs(f.headers, ':') });
  const p: ConnectionProfile =
    target.transport === 'stdio'
      ? target
      : f.auth === 'oauth'
        ? { ...target, auth: 'oauth' }
        : { ...target, ...(f.bearer.trim() ? { bearerToken: f.bearer.trim() } : {}) };
  if (name) p.name = name;
  return p;
}

export function ConnectScreen() {
  const store = useAppStore();
  const host = useHost();
  const connections = useApp((s) => s.connections);
  const [f, setF] = useState<FormState>(EMPTY);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [needs, setNeeds] = useState<NeededSecrets>(NO_SECRETS);
  const [rec, setRec] = useState<RecorderInstructions>();
  const flows = useOAuthFlows();
  /** Flows that existed before this screen's last OAuth connect: the new one is the one shown. */
  const [oauthBefore, setOauthBefore] = useState<ReadonlySet<string>>();
  const oauthFlow =
    oauthBefore === undefined
      ? undefined
      : [...flows.values()].filter((x) => !oauthBefore.has(x.connectionId)).at(-1);
  const set = (k: keyof FormState) => (e: { target: { value: string } }) =>
    setF((o) => ({ ...o, [k]: e.target.value }));

  const connect = async (): Promise<void> => {
    setProblem(undefined);
    const missing = missingSecrets(f, needs);
    if (missing.length > 0) {
      setProblem(
        `Enter ${missing.join(', ')} again: secret values are never saved with a profile (or delete the line to leave it out).`,
      );
      return;
    }
    let profile: ConnectionProfile;
    try {
      profile = toProfile(f);
    } catch (e) {
      setProblem((e as Error).message);
      return;
    }
    setBusy(true);
    setOauthBefore(
      profile.transport !== 'stdio' && profile.auth === 'oauth' ? new Set(flows.keys()) : undefined,
    );
    await store.getState().connect(profile);
    setBusy(false);
  };

  const recorder = async (): Promise<void> => {
    if (!host) return;
    setProblem(undefined);
    try {
      const p = toProfile(f);
      const r =
        p.transport === 'stdio'
          ? await host.recorderInstructions({
              transport: 'stdio',
              command: p.command,
              args: p.args ?? [],
              ...(p.env ? { env: p.env } : {}),
              ...(p.name ? { name: p.name } : {}),
            })
          : await host.recorderInstructions({
              transport: 'http',
              target: p.url,
              ...(p.name ? { name: p.name } : {}),
            });
      setRec(r);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };

  return (
    <main className="connect" data-testid="connect-screen">
      <section className="card">
        <h3>New connection</h3>
        {!host && (
          <p className="warn">
            Connecting needs the mcpscope engine: run `mcpscope ui` (or `npm start`).
          </p>
        )}
        <label className="field">
          Name
          <input
            value={f.name}
            onChange={set('name')}
            data-testid="connect-name"
            placeholder="optional label"
          />
        </label>
        <label className="field">
          Transport
          <select value={f.kind} onChange={set('kind')} data-testid="connect-transport">
            <option value="stdio">stdio (start a process)</option>
            <option value="streamable-http">Streamable HTTP</option>
            <option value="sse">HTTP + SSE (legacy)</option>
          </select>
        </label>
        {f.kind === 'stdio' ? (
          <>
            <label className="field">
              Command
              <input
                value={f.command}
                onChange={set('command')}
                data-testid="connect-command"
                placeholder="node"
              />
            </label>
            <label className="field">
              Arguments
              <input
                value={f.args}
                onChange={set('args')}
                data-testid="connect-args"
                placeholder='server.js --flag "with space"'
              />
            </label>
            <label className="field">
              Environment (KEY=value per line)
              <textarea rows={3} value={f.env} onChange={set('env')} data-testid="connect-env" />
            </label>
          </>
        ) : (
          <>
            <label className="field">
              URL
              <input
                value={f.url}
                onChange={set('url')}
                data-testid="connect-url"
                placeholder="http://127.0.0.1:3001/mcp"
              />
            </label>
            <label className="field">
              Headers (Name: value per line)
              <textarea
                rows={3}
                value={f.headers}
                onChange={set('headers')}
                data-testid="connect-headers"
              />
            </label>
            <label className="field">
              Authentication
              <select value={f.auth ?? 'token'} onChange={set('auth')} data-testid="connect-auth">
                <option value="token">Bearer token (or none)</option>
                <option value="oauth">OAuth (authorize in the browser)</option>
              </select>
            </label>
            {f.auth === 'oauth' ? (
              <p className="dim" data-testid="connect-oauth-note">
                mcpscope discovers the server's authorization server, registers itself, and shows an
                address to open and approve; the redirect comes back to 127.0.0.1. Tokens stay in
                memory, never in a profile or a capture.
              </p>
            ) : (
              <label className="field">
                Bearer token
                <input
                  type="password"
                  value={f.bearer}
                  onChange={set('bearer')}
                  autoComplete="off"
                  data-testid="connect-bearer"
                />
              </label>
            )}
          </>
        )}
        {problem && (
          <p className="err" data-testid="connect-problem">
            {problem}
          </p>
        )}
        <div className="row">
          <button
            type="button"
            className="primary"
            data-testid="connect-submit"
            disabled={!host || busy}
            onClick={() => void connect()}
          >
            {busy ? 'Connecting…' : 'Connect'}
          </button>
          <button
            type="button"
            disabled={!host}
            onClick={() => void recorder()}
            data-testid="recorder-instructions"
          >
            Record a host instead…
          </button>
        </div>
        <div className="row">
          <SavedProfiles
            form={f}
            toProfile={toProfile}
            onProblem={setProblem}
            onLoad={(form, n) => {
              setF(form);
              setNeeds(n);
              setProblem(undefined);
            }}
          />
        </div>
        {missingSecrets(f, needs).length > 0 && (
          <p className="warn" data-testid="profile-secrets-note">
            This profile needs {missingSecrets(f, needs).join(', ')}: secret values are never saved,
            enter them again.
          </p>
        )}
      </section>
      {oauthFlow && (
        <section className="card" data-testid="oauth-card">
          <h3>OAuth</h3>
          <OAuthSteps flow={oauthFlow} />
        </section>
      )}
      {rec && (
        <section className="card" data-testid="recorder-card">
          <h3>Record a host's traffic</h3>
          <p>Run or configure this instead of the server:</p>
          <pre className="mono">
            <SafeText text={rec.commandLine} max={4000} />
          </pre>
          {rec.proxyUrl && (
            <p>
              Point the host at <code>{rec.proxyUrl}</code>
            </p>
          )}
          <p>Host config entry:</p>
          <pre className="mono">
            <SafeText text={JSON.stringify(rec.hostConfig, null, 2)} max={8000} multiline />
          </pre>
          <ul>
            {rec.notes.map((n) => (
              <li key={n}>
                <SafeText text={n} max={1000} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card">
        <h3>Connections</h3>
        {connections.length === 0 && <p className="dim">None yet.</p>}
        <ul>
          {connections.map((c) => (
            <li key={c.id} data-testid="connection" data-status={c.status}>
              <button
                type="button"
                className="link"
                onClick={() => void store.getState().openSession(c.sessionId)}
              >
                <SafeText text={c.name} max={100} />
              </button>{' '}
              <span className="pill">{c.transport}</span>{' '}
              <span className={`pill st-${c.status}`}>{c.status}</span>{' '}
              <SafeText className="dim" text={c.target} max={200} />
              {c.error && <SafeText className="err" text={` ${c.error}`} max={500} />}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
