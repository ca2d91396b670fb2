// Every detector, listed explicitly (mitmproxy-addon style), and every rule they can report.
// The README's rules table is generated from RULES (scripts/gen-rules-doc.mjs).

import type { Detector } from './detector.js';
import { injectionDetector, INJECTION_RULES } from './injection.js';
import { LOAD_RULES } from './load.js';
import { namesDetector, NAME_RULES } from './names.js';
import { poisoningDetector, POISONING_RULES } from './poisoning.js';
import { protocolDetector, PROTOCOL_RULES } from './protocol.js';
import { RUGPULL_RULES } from './rugpull.js';
import { rugpullDetector } from './rugpull-session.js';
import { sensitiveDetector, SENSITIVE_RULES } from './sensitive.js';
import { transportDetector, TRANSPORT_RULES } from './transport.js';
import type { RuleInfo } from './types.js';
import { unicodeDetector, UNICODE_RULES } from './unicode.js';

export const DETECTORS: readonly Detector[] = [
  sensitiveDetector,
  unicodeDetector,
  poisoningDetector,
  injectionDetector,
  namesDetector,
  transportDetector,
  protocolDetector,
  rugpullDetector,
];

export const INTERNAL_RULES: RuleInfo[] = [
  {
    id: 'internal.detector-error',
    title: 'A detector failed',
    category: 'internal',
    severity: 'info',
    description:
      'A detector threw on this input and was skipped for it; the other detectors still ran and nothing was lost. The message names the detector and the error. Please report it with the capture (redacted).',
    references: [],
  },
];

export const RULES: readonly RuleInfo[] = [
  ...SENSITIVE_RULES,
  ...POISONING_RULES,
  ...UNICODE_RULES,
  ...NAME_RULES,
  ...RUGPULL_RULES,
  ...INJECTION_RULES,
  ...TRANSPORT_RULES,
  ...PROTOCOL_RULES,
  ...LOAD_RULES,
  ...INTERNAL_RULES,
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));
export const ruleById = (id: string): RuleInfo | undefined => BY_ID.get(id);
