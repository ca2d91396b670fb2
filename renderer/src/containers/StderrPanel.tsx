import { SafeText } from '../components/SafeText.js';
import { sessionData } from '../model/session-data.js';
import { useApp } from '../store/hooks.js';

/** The last lines only: a chatty server could log millions. */
const SHOWN = 500;

export function StderrPanel() {
  const active = useApp((s) => s.active);
  useApp((s) => s.counts.stderr);
  const data = active ? sessionData.get(active) : undefined;
  if (!data) return null;
  const lines = data.stderr.slice(-SHOWN);
  return (
    <section className="stderr" data-testid="stderr-panel">
      <h3>
        stderr / log{' '}
        <small>
          ({data.stderr.length} lines{data.stderr.length > SHOWN ? `, last ${SHOWN} shown` : ''})
        </small>
      </h3>
      <pre>
        {lines.map((r) => (
          <div key={r.seq}>
            <SafeText text={data.stderrText(r)} max={4000} />
          </div>
        ))}
      </pre>
    </section>
  );
}
