// The findings model: what every detector returns and every view (CLI, SARIF, UI) consumes.
// Plain JSON-serialisable data, so findings cross the host-api boundary unchanged.

import type { Direction } from '../protocol/messages.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);
export const atLeast = (s: Severity, min: Severity): boolean =>
  severityRank(s) >= severityRank(min);
export const maxSeverity = (a: Severity, b: Severity): Severity =>
  severityRank(a) >= severityRank(b) ? a : b;

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

export type TargetKind = 'tool' | 'prompt' | 'resource' | 'server' | 'message';

export interface FindingTarget {
  /** Server name (config key, serverInfo.name, or the capture's source). */
  server?: string;
  kind: TargetKind;
  /** Tool/prompt name, resource URI, or a message's method. */
  name?: string;
  /** Capture record the finding is in (frames, stderr lines, HTTP records). */
  seq?: number;
  /**
   * JSON pointer (RFC 6901) to the string the evidence is in. With `seq`: inside the frame's JSON
   * value (e.g. `/result/tools/0/description`). Without `seq`: inside the tool/prompt/resource
   * definition (e.g. `/inputSchema/properties/notes/description`).
   */
  pointer?: string;
  /**
   * [start, end) in UTF-16 code units. With `seq`: offsets in the frame's raw text (what Monaco
   * shows: `model.getPositionAt(start)`). Without `seq`: offsets in the string value at `pointer`.
   */
  range?: [number, number];
  /** Capture file `seq` refers to (set by scans of several files). */
  capture?: string;
  /** The range is inside the property name at `pointer` (a parameter's name), not its value. */
  key?: boolean;
}

/** Another place that contributed to the same finding (a combined score has several). */
export interface RelatedLocation {
  pointer?: string;
  range?: [number, number];
  note: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  title: string;
  /** What was found and why it matters here; safe to print (no full secret, visible escapes). */
  message: string;
  target: FindingTarget;
  /** The matched text, masked when it is a secret or personal data. Never a full secret. */
  evidence?: string;
  related?: RelatedLocation[];
  /** Sensitive data class (`secret:github-token`, `pii:email`…), for the data-flow summary. */
  dataClass?: string;
  /** Direction of the frame it was found in. */
  dir?: Direction;
}

export type RuleCategory =
  | 'secrets'
  | 'pii'
  | 'tool-metadata'
  | 'unicode'
  | 'shadowing'
  | 'rug-pull'
  | 'results'
  | 'exfiltration'
  | 'transport'
  | 'protocol'
  | 'availability'
  | 'internal';

export interface RuleInfo {
  id: string;
  title: string;
  category: RuleCategory;
  /** The usual severity; a detector may raise or lower it per finding (the message says why). */
  severity: Severity;
  /** One paragraph: the risk, and what to do about it. */
  description: string;
  references: string[];
}

export const OWASP_MCP = {
  MCP01: 'OWASP MCP Top 10 — MCP01 Token Mismanagement & Secret Exposure',
  MCP03: 'OWASP MCP Top 10 — MCP03 Tool Poisoning',
  MCP04: 'OWASP MCP Top 10 — MCP04 Software Supply Chain Attacks & Dependency Tampering',
  MCP06: 'OWASP MCP Top 10 — MCP06 Prompt Injection via Contextual Payloads',
  MCP07: 'OWASP MCP Top 10 — MCP07 Insufficient Authentication & Authorization',
  MCP09: 'OWASP MCP Top 10 — MCP09 Shadow MCP Servers',
  MCP10: 'OWASP MCP Top 10 — MCP10 Context Injection & Over-Sharing',
} as const;
