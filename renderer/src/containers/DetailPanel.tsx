// Message detail: header facts, pretty/raw toggle, copy, jump to pair, findings on this message,
// and the frame in a read-only Monaco editor.

import { lazy, Suspense } from 'react';
import { SafeText, toDisplay } from '../components/SafeText.js';
import { fmtLatency, fmtSize } from '../components/format.js';
import { sessionData } from '../model/session-data.js';
import type { Finding } from '../../../shared/detect/types.js';
import type { Message } from '../../../shared/protocol/messages.js';
import { largeSessions } from '../model/large-session.js';
import { ResendButtons } from '../repeater/ResendButtons.js';
import { LargeDetailPanel } from './LargeDetail.js';
import { useApp, useAppStore } from '../store/hooks.js';

const JsonViewer = lazy(() => import('../monaco/JsonViewer.js'));

/** Pretty-printing a 50 MB frame would freeze the tab: past this size the raw text is shown. */
const PRETTY_LIMIT = 2_000_000;

export function prettyText(raw: string): string {
  if (raw.length > PRETTY_LIMIT) return raw;
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

export function DetailPanel() {
  const active = useApp((s) => s.active);
  const selected = useApp((s) => s.selected);
  useApp((s) => s.version);
  useApp((s) => s.findingsVersion);
  const data = active ? sessionData.get(active) : undefined;
  if (active && !data && largeSessions.has(active))
    return <LargeDetailPanel session={active} selected={selected} />;
  const msg = data && selected !== undefined ? data.messages[selected] : undefined;
  if (!data || !msg) return <EmptyDetail />;
  const pair = msg.pair === undefined ? undefined : data.messages[msg.pair];
  return (
    <DetailBody
      msg={msg}
      raw={data.rawText(msg)}
      pair={pair}
      pairRaw={pair ? data.rawText(pair) : undefined}
      findings={data.findingsByMid.get(msg.mid) ?? []}
      sessionId={active}
    />
  );
}

export function EmptyDetail({ note }: { note?: string }) {
  return (
    <section className="detail empty" data-testid="detail">
      {note ?? 'Select a row (click, or j/k then enter) to see the frame.'}
    </section>
  );
}

/** The detail of one message whose raw text is known (both session paths). */
export function DetailBody({
  msg,
  raw,
  pair,
  pairRaw,
  findings,
  sessionId,
}: {
  msg: Message;
  raw: string;
  pair: Message | undefined;
  pairRaw: string | undefined;
  findings: readonly Finding[];
  sessionId: string | undefined;
}) {
  const store = useAppStore();
  const mode = useApp((s) => s.detailMode);
  const active = sessionId;
  const pretty = mode === 'pretty';
  const shown = pretty ? prettyText(raw) : raw;
  return (
    <section className="detail" data-testid="detail" data-mid={msg.mid} data-seq={msg.seq}>
      <div className="detail-head">
        <span className={`pill k-${msg.kind}`}>{msg.kind}</span>
        <b>
          <SafeText text={msg.method ?? ''} max={200} testId="detail-method" />
        </b>
        <span className="dim">
          seq {msg.seq} · {msg.dir === 'c2s' ? 'client → server' : 'server → client'} ·{' '}
          {fmtSize(msg.size)}
          {msg.latencyMs !== undefined ? ` · ${fmtLatency(msg.latencyMs)}` : ''}
          {msg.channel ? ` · ${msg.channel}` : ''}
        </span>
        {msg.reason && <SafeText className="badge b-error" text={msg.reason} max={300} />}
      </div>
      <div className="detail-tools">
        <button
          type="button"
          className={pretty ? 'on' : ''}
          data-testid="detail-pretty"
          onClick={() => store.getState().setDetailMode('pretty')}
        >
          Pretty
        </button>
        <button
          type="button"
          className={!pretty ? 'on' : ''}
          data-testid="detail-raw"
          onClick={() => store.getState().setDetailMode('raw')}
        >
          Raw
        </button>
        <button
          type="button"
          data-testid="detail-copy"
          onClick={() => void navigator.clipboard?.writeText(shown).catch(() => undefined)}
        >
          Copy
        </button>
        <button
          type="button"
          data-testid="jump-to-pair"
          disabled={!pair}
          onClick={() => pair && store.getState().select(pair.mid)}
        >
          {pair ? `Jump to ${pair.kind} (seq ${pair.seq})` : 'No pair'}
        </button>
        {msg.kind === 'request' && active && (
          <ResendButtons sessionId={active} seq={msg.seq} text={raw} original={pairRaw} />
        )}
      </div>
      {findings.length > 0 && (
        <ul className="detail-findings" data-testid="detail-findings">
          {findings.map((f, i) => (
            <li key={i}>
              <span className={`badge sev-${f.severity}`}>{f.severity}</span>{' '}
              <SafeText text={f.title} max={200} /> — <SafeText text={f.message} max={1000} />
              {f.evidence !== undefined && (
                <>
                  {' '}
                  <code>
                    <SafeText text={f.evidence} max={200} />
                  </code>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <Suspense fallback={<pre className="detail-fallback">{toDisplay(shown, 20_000, true)}</pre>}>
        <JsonViewer raw={raw} shown={shown} pretty={pretty} findings={findings} />
      </Suspense>
    </section>
  );
}
