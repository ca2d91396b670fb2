// Findings from the engine: sessions the engine holds (live recordings, client connections,
// captures in the data folder) get the findings `mcpscope scan` gives for their capture file
// (host API getFindings); captures imported into the browser's library are scanned by the engine
// from their text (scanCapture). The worker checks hash chains, and detects only when no engine answers.

import type { Finding } from '../../../shared/detect/types.js';
import type { HostApi } from '../../../shared/host-api.js';
import type { DetectionService, FindingsListener, IntegrityListener } from './protocol.js';

/** Wait this long after the last batch of records before asking again (live sessions grow). */
const SETTLE_MS = 200;

interface HostSession {
  emitted: Set<string>;
  /** records() calls not yet answered with an idle batch (the store counts them). */
  pending: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  running: boolean;
  again: boolean;
}

export function engineDetection(
  host: Pick<HostApi, 'getFindings' | 'scanCapture'>,
  fallback: DetectionService,
): DetectionService {
  const listeners: FindingsListener[] = [];
  const emit: FindingsListener = (s, f, idle) => listeners.forEach((l) => l(s, f, idle));
  const sessions = new Map<string, HostSession>();
  const local = new Set<string>();
  fallback.onFindings(emit);

  const settle = (id: string, findings: Finding[], s: HostSession): void => {
    const fresh = findings.filter((f) => {
      const key = JSON.stringify(f);
      if (s.emitted.has(key)) return false;
      s.emitted.add(key);
      return true;
    });
    const n = s.pending;
    s.pending = 0;
    if (n === 0 && fresh.length > 0) emit(id, fresh, false);
    for (let i = 0; i < n; i++) emit(id, i === 0 ? fresh : [], true);
  };

  const fetchNow = async (id: string, s: HostSession): Promise<void> => {
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    try {
      const r = await host.getFindings({ sessionId: id });
      if (sessions.get(id) === s) settle(id, r.findings, s);
    } catch (e) {
      // The engine does not hold this session (or cannot read it): say so and release the count.
      console.error(
        `mcpscope: findings for session ${id} are unavailable from the engine: ${(e as Error).message}`,
      );
      if (sessions.get(id) === s) settle(id, [], s);
    } finally {
      s.running = false;
      if (s.again) {
        s.again = false;
        void fetchNow(id, s);
      }
    }
  };

  return {
    startText: (session, text) => {
      // A capture the engine does not hold: the engine scans its text (same pipeline as
      // `mcpscope scan`); the worker only checks the hash chain. Without an engine answer, the worker does both.
      local.add(session);
      fallback.verifyText(session, text);
      host.scanCapture({ text }).then(
        (r) => emit(session, r.findings, true),
        (e: unknown) => {
          console.error(
            `mcpscope: the engine could not scan session ${session}, scanning in the browser: ${(e as Error).message}`,
          );
          fallback.startText(session, text);
        },
      );
    },
    verifyText: (session, text) => fallback.verifyText(session, text),
    startHeader: (session, header) => {
      if (local.has(session)) fallback.startHeader(session, header);
    },
    records: (session, records) => {
      if (local.has(session)) return fallback.records(session, records);
      let s = sessions.get(session);
      if (!s)
        sessions.set(
          session,
          (s = { emitted: new Set(), pending: 0, timer: undefined, running: false, again: false }),
        );
      s.pending++;
      const cur = s;
      if (cur.timer !== undefined) clearTimeout(cur.timer);
      cur.timer = setTimeout(() => {
        cur.timer = undefined;
        void fetchNow(session, cur);
      }, SETTLE_MS);
    },
    drop: (session) => {
      const s = sessions.get(session);
      if (s?.timer !== undefined) clearTimeout(s.timer);
      sessions.delete(session);
      if (local.delete(session)) fallback.drop(session);
    },
    onFindings: (l) => void listeners.push(l),
    onIntegrity: (l: IntegrityListener) => fallback.onIntegrity(l),
  };
}
