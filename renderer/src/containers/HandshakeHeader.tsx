// The session header: negotiated version, both sides' info and capabilities, instructions.

import { SafeText } from '../components/SafeText.js';
import { sessionData } from '../model/session-data.js';
import { useApp } from '../store/hooks.js';

function capList(caps: Record<string, unknown> | undefined): string[] {
  if (!caps) return [];
  return Object.entries(caps).map(([k, v]) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const subs = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x === true)
        .map(([s]) => s);
      return subs.length > 0 ? `${k} (${subs.join(', ')})` : k;
    }
    return k;
  });
}

export function HandshakeHeader() {
  const active = useApp((s) => s.active);
  useApp((s) => s.version);
  const data = active ? sessionData.get(active) : undefined;
  if (!data) return null;
  const hs = data.builder.session.handshake;
  const src = data.header?.source;
  return (
    <section className="handshake" data-testid="handshake">
      <div className="hs-line">
        <b>
          <SafeText
            text={hs.serverInfo?.title ?? hs.serverInfo?.name ?? src?.name ?? 'unknown server'}
            max={120}
            testId="server-name"
          />
        </b>{' '}
        <SafeText text={hs.serverInfo?.version ?? ''} max={40} className="dim" />
        <span className="pill">
          <SafeText text={src?.transport ?? '?'} max={40} />
        </span>
        <span className="pill" data-testid="protocol-version">
          <SafeText
            text={`protocol ${hs.protocolVersion ?? '—'}${hs.requestedVersion && hs.requestedVersion !== hs.protocolVersion ? ` (asked ${hs.requestedVersion})` : ''}`}
            max={120}
          />
        </span>
        <span className="dim">
          client{' '}
          <SafeText
            text={`${hs.clientInfo?.name ?? '?'} ${hs.clientInfo?.version ?? ''}`}
            max={80}
          />
        </span>
        {hs.error && (
          <span className="badge b-error">
            initialize failed: <SafeText text={hs.error.message} max={300} />
          </span>
        )}
      </div>
      <div className="hs-caps">
        <span>
          server caps:{' '}
          <SafeText text={capList(hs.serverCapabilities).join(' · ') || '—'} max={400} />
        </span>
        <span>
          client caps:{' '}
          <SafeText text={capList(hs.clientCapabilities).join(' · ') || '—'} max={400} />
        </span>
      </div>
      {hs.instructions && (
        <details className="hs-instructions">
          <summary>instructions</summary>
          <pre>
            <SafeText text={hs.instructions} max={10_000} multiline />
          </pre>
        </details>
      )}
    </section>
  );
}
