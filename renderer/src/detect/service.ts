// DetectionService implementations: the Web Worker (the app) and in-process (tests, fallback).

import { DetectionEngine } from './engine.js';
import type {
  DetectionService,
  FindingsListener,
  FromWorker,
  IntegrityListener,
  ToWorker,
} from './protocol.js';

function fanOut(): { listeners: FindingsListener[]; emit: FindingsListener } {
  const listeners: FindingsListener[] = [];
  return { listeners, emit: (s, f, idle) => listeners.forEach((l) => l(s, f, idle)) };
}

export function inProcessDetection(): DetectionService {
  const { listeners, emit } = fanOut();
  const integrityListeners: IntegrityListener[] = [];
  const engine = new DetectionEngine(emit, (s, r) => integrityListeners.forEach((l) => l(s, r)));
  return {
    startText: (session, text) => engine.handle({ t: 'text', session, text }),
    startHeader: (session, header) => engine.handle({ t: 'header', session, header }),
    verifyText: (session, text) => engine.handle({ t: 'verify', session, text }),
    records: (session, records) => engine.handle({ t: 'records', session, records }),
    drop: (session) => engine.handle({ t: 'drop', session }),
    onFindings: (l) => void listeners.push(l),
    onIntegrity: (l) => void integrityListeners.push(l),
  };
}

export function workerDetection(): DetectionService {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./detect.worker.ts', import.meta.url), {
      type: 'module',
      name: 'mcpscope-detect',
    });
  } catch (e) {
    console.error('mcpscope: detection worker unavailable; detecting on the main thread', e);
    return inProcessDetection();
  }
  const { listeners, emit } = fanOut();
  const integrityListeners: IntegrityListener[] = [];
  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.t === 'findings') emit(m.session, m.findings, m.idle);
    else if (m.t === 'integrity') integrityListeners.forEach((l) => l(m.session, m.report));
    else console.error(`mcpscope: detection failed for session ${m.session}: ${m.message}`);
  });
  const send = (m: ToWorker): void => worker.postMessage(m);
  return {
    startText: (session, text) => send({ t: 'text', session, text }),
    startHeader: (session, header) => send({ t: 'header', session, header }),
    verifyText: (session, text) => send({ t: 'verify', session, text }),
    records: (session, records) => send({ t: 'records', session, records }),
    drop: (session) => send({ t: 'drop', session }),
    onFindings: (l) => void listeners.push(l),
    onIntegrity: (l) => void integrityListeners.push(l),
  };
}
