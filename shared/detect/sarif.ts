// SARIF 2.1.0 for findings, so CI systems (GitHub code scanning, Azure DevOps) can show them.
// Capture findings point at the capture file's line for the record (seq) plus a logical location
// (server/tool/pointer); live findings have logical locations only.

import type { Log, ReportingDescriptor, Result } from 'sarif';
import { RULES } from './registry.js';
import type { Finding, RuleInfo, Severity } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
// GitHub code scanning reads `security-severity` (0–10) to rank alerts.
const SCORE: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

function descriptor(r: RuleInfo): ReportingDescriptor {
  const refs = r.references.filter((x) => /^https?:\/\//.test(x));
  const d: ReportingDescriptor = {
    id: r.id,
    name: r.id.replace(/[.-](\w)/g, (_m: string, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: {
      text: `${r.description}${r.references.length ? `\n\nReferences:\n${r.references.map((x) => `- ${x}`).join('\n')}` : ''}`,
    },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: ['security', r.category], 'security-severity': SCORE[r.severity] },
  };
  if (refs[0]) d.helpUri = refs[0];
  return d;
}

export interface SarifOptions {
  toolVersion: string;
  /** Line of a record in a capture file (1-based), for a physical location. */
  lineOf?: (capture: string, seq: number) => number | undefined;
  /** Where live findings came from (a config file or URL), used as their artifact. */
  origin?: string;
}

export function toSarif(findings: Finding[], opts: SarifOptions): Log {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const results: Result[] = findings.map((f) => {
    const t = f.target;
    const parts = [t.server, t.kind === 'message' ? undefined : t.name, t.pointer].filter(
      (x): x is string => Boolean(x),
    );
    const logical = {
      name: t.name ?? t.kind,
      fullyQualifiedName: parts.join('/') || t.kind,
      kind:
        t.kind === 'tool' || t.kind === 'prompt'
          ? 'function'
          : t.kind === 'resource'
            ? 'resource'
            : 'module',
    };
    const result: Result = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ logicalLocations: [logical] }],
      properties: {
        severity: f.severity,
        target: t,
        ...(f.evidence !== undefined ? { evidence: f.evidence } : {}),
        ...(f.dataClass ? { dataClass: f.dataClass } : {}),
      },
      partialFingerprints: {
        'mcpscope/v1': `${f.rule}|${t.server ?? ''}|${t.kind}|${t.name ?? ''}|${t.pointer ?? ''}|${f.evidence ?? ''}`,
      },
    };
    const idx = ruleIndex.get(f.rule);
    if (idx !== undefined) result.ruleIndex = idx;
    const line =
      t.capture !== undefined && t.seq !== undefined ? opts.lineOf?.(t.capture, t.seq) : undefined;
    if (t.capture !== undefined) {
      result.locations![0]!.physicalLocation = {
        artifactLocation: { uri: encodeURI(t.capture) },
        ...(line !== undefined ? { region: { startLine: line } } : {}),
      };
    } else if (opts.origin) {
      result.locations![0]!.physicalLocation = {
        artifactLocation: { uri: encodeURI(opts.origin) },
      };
    }
    return result;
  });
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: {
          driver: { name: 'mcpscope', version: opts.toolVersion, rules: RULES.map(descriptor) },
        },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}
