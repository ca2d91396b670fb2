// Public API of detection for the app and the engine (see docs/detection.md).
export * from './types.js';
export type {
  Detector,
  DetectContext,
  EndpointView,
  FrameView,
  MetaItem,
  ServerMeta,
  TextView,
} from './detector.js';
export { DETECTORS, RULES, ruleById } from './registry.js';
export {
  detectEndpoint,
  detectFrame,
  detectItem,
  detectServers,
  detectText,
  frameView,
  safeCall,
} from './run.js';
export {
  detectTimeline,
  TimelineDetector,
  type CaptureScan,
  type TimelineDetectorOptions,
} from './timeline.js';
export { comparePins, diffJson, hashDefinition, pinServer, type ServerPins } from './rugpull.js';
export { dataFlow, type DataFlow } from './dataflow.js';
export { toSarif, type SarifOptions } from './sarif.js';
export { maskSecret, maskPii } from './mask.js';

import { severityRank, type Finding, type Severity } from './types.js';

/** Findings per capture record, for row badges (`has:finding`, `severity:` filters). */
export function findingsBySeq(findings: readonly Finding[]): Map<number, Finding[]> {
  const out = new Map<number, Finding[]>();
  for (const f of findings) {
    if (f.target.seq === undefined) continue;
    const list = out.get(f.target.seq);
    if (list) list.push(f);
    else out.set(f.target.seq, [f]);
  }
  return out;
}

/** The highest severity in a list (undefined when empty): the badge colour of a row. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings)
    if (worst === undefined || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return worst;
}
