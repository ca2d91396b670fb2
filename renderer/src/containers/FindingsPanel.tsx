// Every finding of the open session, filterable by severity, rule and server; clicking one selects
// its message. Above the list: where sensitive data went (the data-flow summary).

import { useState } from 'react';
import { atLeast, isSeverity, SEVERITIES, type Severity } from '../../../shared/detect/types.js';
import { SafeText } from '../components/SafeText.js';
import { largeSessions } from '../model/large-session.js';
import { sessionData } from '../model/session-data.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { DataFlowSummary } from './DataFlowSummary.js';

const uniq = (xs: (string | undefined)[]): string[] =>
  [...new Set(xs.filter((x): x is string => x !== undefined))].sort();

export function FindingsPanel() {
  const store = useAppStore();
  const active = useApp((s) => s.active);
  useApp((s) => s.findingsVersion);
  const [minSeverity, setMinSeverity] = useState<Severity | ''>('');
  const [rule, setRule] = useState('');
  const [server, setServer] = useState('');
  const data = active ? sessionData.get(active) : undefined;
  if (!data && active && largeSessions.has(active))
    return (
      <section className="findings" data-testid="findings-panel">
        <p className="dim" data-testid="findings-large">
          Detection is not run on large sessions in the app (it would need the whole session in
          memory). Run <code>mcpscope scan FILE</code>, which reads the capture as a stream.
        </p>
      </section>
    );
  if (!data) return null;
  const jump = (seq: number) => {
    const mid = data.midOfSeq(seq);
    if (mid !== undefined) store.getState().select(mid);
  };
  const list = data.findings
    .filter(
      (f) =>
        (minSeverity === '' || atLeast(f.severity, minSeverity)) &&
        (rule === '' || f.rule === rule) &&
        (server === '' || f.target.server === server),
    )
    .sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
  return (
    <section className="findings" data-testid="findings-panel">
      <h4>Data flow</h4>
      <DataFlowSummary findings={data.findings} onJump={jump} />
      <h4>
        Findings ({list.length}
        {list.length !== data.findings.length ? ` of ${data.findings.length}` : ''})
      </h4>
      <div className="finding-filters">
        <select
          aria-label="minimum severity"
          data-testid="findings-severity"
          value={minSeverity}
          onChange={(e) => setMinSeverity(isSeverity(e.target.value) ? e.target.value : '')}
        >
          <option value="">any severity</option>
          {[...SEVERITIES].reverse().map((s) => (
            <option key={s} value={s}>
              {s} and above
            </option>
          ))}
        </select>
        <select
          aria-label="rule"
          data-testid="findings-rule"
          value={rule}
          onChange={(e) => setRule(e.target.value)}
        >
          <option value="">every rule</option>
          {uniq(data.findings.map((f) => f.rule)).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <select
          aria-label="server"
          data-testid="findings-server"
          value={server}
          onChange={(e) => setServer(e.target.value)}
        >
          <option value="">every server</option>
          {uniq(data.findings.map((f) => f.target.server)).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {list.length === 0 && (
        <p className="dim">
          No findings{data.findings.length > 0 ? ' match these filters' : ' for this session'}.
        </p>
      )}
      <ul>
        {list.map((f, i) => {
          const mid = f.target.seq === undefined ? undefined : data.midOfSeq(f.target.seq);
          return (
            <li
              key={i}
              className={`finding sev-${f.severity}`}
              data-testid="finding"
              data-rule={f.rule}
              data-seq={f.target.seq}
              data-range={f.target.range ? f.target.range.join('-') : undefined}
            >
              <button
                type="button"
                disabled={mid === undefined}
                onClick={() => mid !== undefined && store.getState().select(mid)}
              >
                <span className={`badge sev-${f.severity}`}>{f.severity}</span>{' '}
                <SafeText text={f.title} max={200} />
              </button>
              <div className="dim">
                <SafeText text={f.message} max={1000} />
              </div>
              <div className="dim small">
                {f.rule} · {f.target.kind} <SafeText text={f.target.name ?? ''} max={120} />{' '}
                {f.target.seq !== undefined ? `· seq ${f.target.seq}` : ''}{' '}
                {f.target.pointer ? <SafeText text={f.target.pointer} max={200} /> : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
