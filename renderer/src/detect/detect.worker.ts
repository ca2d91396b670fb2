// The detection worker: one DetectionEngine, messages in, findings out.

import { DetectionEngine } from './engine.js';
import type { FromWorker, ToWorker } from './protocol.js';

const post = (m: FromWorker): void =>
  (self as unknown as { postMessage(m: FromWorker): void }).postMessage(m);
const engine = new DetectionEngine(
  (session, findings, idle) => post({ t: 'findings', session, findings, idle }),
  (session, report) => post({ t: 'integrity', session, report }),
);

self.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  try {
    engine.handle(e.data);
  } catch (err) {
    post({ t: 'error', session: e.data.session, message: (err as Error).message });
  }
});
