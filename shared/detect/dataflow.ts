// The data-flow summary of a session: which sensitive data classes (secret kinds, personal data
// kinds) went to which server (in requests/arguments) and came from it (results, logs).

import { maxSeverity, type Finding, type Severity } from './types.js';

export interface DataFlow {
  server: string;
  dataClass: string;
  /** to-server: the client sent it (arguments); from-server: the server sent it (results, stderr, logs). */
  direction: 'to-server' | 'from-server';
  count: number;
  /** Records it was seen in (the first 50), for jumping to the frames. */
  seqs: number[];
  severity: Severity;
}

export function dataFlow(findings: readonly Finding[]): DataFlow[] {
  const by = new Map<string, DataFlow>();
  for (const f of findings) {
    if (!f.dataClass) continue;
    const server = f.target.server ?? '(unknown server)';
    const direction = f.dir === 'c2s' ? 'to-server' : 'from-server';
    const key = `${server}\u0000${f.dataClass}\u0000${direction}`;
    let flow = by.get(key);
    if (!flow) {
      flow = {
        server,
        dataClass: f.dataClass,
        direction,
        count: 0,
        seqs: [],
        severity: f.severity,
      };
      by.set(key, flow);
    }
    flow.count++;
    flow.severity = maxSeverity(flow.severity, f.severity);
    if (f.target.seq !== undefined && flow.seqs.length < 50 && !flow.seqs.includes(f.target.seq))
      flow.seqs.push(f.target.seq);
  }
  return [...by.values()].sort(
    (a, b) =>
      a.server.localeCompare(b.server) ||
      a.direction.localeCompare(b.direction) ||
      b.count - a.count,
  );
}
