// The hook detection plugs into. shared/detect/ (another engineer's work) provides the detectors;
// once its session-level entry point exists, main.tsx registers it here. Until then no findings
// are produced and the badges, panel and Monaco decorations simply stay empty.

import type { Finding } from '../../../shared/detect/types.js';
import type { SessionData } from './session-data.js';

export type SessionDetector = (data: SessionData) => Finding[];

let detector: SessionDetector | undefined;

export function registerDetector(d: SessionDetector | undefined): void {
  detector = d;
}

export function runDetector(data: SessionData): Finding[] {
  if (!detector) return [];
  try {
    return detector(data);
  } catch (e) {
    // A crashing detector must not take the timeline down (mitmproxy's safecall).
    console.error('mcpscope: detector failed', e);
    return [];
  }
}
