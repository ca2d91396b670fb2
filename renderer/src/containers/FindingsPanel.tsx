// Every finding of the open session; clicking one selects its message.

import { SEVERITIES } from '../../../shared/detect/types.js';
import { SafeText } from '../components/SafeText.js';
import { sessionData } from '../model/session-data.js';
import { useApp, useAppStore } from '../store/hooks.js';

export function FindingsPanel() {
  const store = useAppStore();
  const active = useApp((s) => s.active);
  useApp((s) => s.findingsVersion);
  const data = active ? sessionData.get(active) : undefined;
  if (!data) return null;
  const list = [...data.findings].sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
  return (
    <section className="findings" data-testid="findings-panel">
      {list.length === 0 && <p className="dim">No findings for this session.</p>}
      <ul>
        {list.map((f, i) => {
          const mid = f.target.seq === undefined ? undefined : data.midOfSeq(f.target.seq);
          return (
            <li key={i} className={`finding sev-${f.severity}`} data-testid="finding" data-rule={f.rule} data-seq={f.target.seq} data-range={f.target.range ? f.target.range.join('-') : undefined}>
              <button type="button" disabled={mid === undefined} onClick={() => mid !== undefined && store.getState().select(mid)}>
                <span className={`badge sev-${f.severity}`}>{f.severity}</span> <SafeText text={f.title} max={200} />
              </button>
              <div className="dim">
                <SafeText text={f.message} max={1000} />
              </div>
              <div className="dim small">
                {f.rule} · {f.target.kind} <SafeText text={f.target.name ?? ''} max={120} /> {f.target.seq !== undefined ? `· seq ${f.target.seq}` : ''}{' '}
                {f.target.pointer ? <SafeText text={f.target.pointer} max={200} /> : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
