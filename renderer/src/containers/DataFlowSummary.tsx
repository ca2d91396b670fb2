// The data-flow summary of a session: which sensitive data classes (secret kinds, personal data)
// went to which server and came from it, built from the session's findings.

import { dataFlow } from '../../../shared/detect/dataflow.js';
import type { Finding } from '../../../shared/detect/types.js';
import { SafeText } from '../components/SafeText.js';

export function DataFlowSummary(props: {
  findings: readonly Finding[];
  onJump: (seq: number) => void;
}) {
  const flows = dataFlow(props.findings);
  if (flows.length === 0)
    return (
      <p className="dim" data-testid="data-flow-empty">
        No sensitive data seen crossing the wire.
      </p>
    );
  return (
    <table className="data-flow" data-testid="data-flow">
      <thead>
        <tr>
          <th>server</th>
          <th>direction</th>
          <th>data</th>
          <th>count</th>
          <th>first</th>
        </tr>
      </thead>
      <tbody>
        {flows.map((f) => (
          <tr
            key={`${f.server}|${f.direction}|${f.dataClass}`}
            data-testid="data-flow-row"
            className={`sev-${f.severity}`}
          >
            <td>
              <SafeText text={f.server} max={80} />
            </td>
            <td>{f.direction === 'to-server' ? '→ sent to server' : '← came from server'}</td>
            <td>
              <span className={`badge sev-${f.severity}`}>{f.severity}</span>{' '}
              <SafeText text={f.dataClass} max={60} />
            </td>
            <td>{f.count}</td>
            <td>
              {f.seqs[0] !== undefined && (
                <button type="button" onClick={() => props.onJump(f.seqs[0]!)}>
                  seq {f.seqs[0]}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
