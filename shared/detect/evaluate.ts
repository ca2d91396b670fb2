// Corpus evaluation: runs one labelled item (a server's definitions, several servers, a rug pull,
// or a piece of traffic) through the same detection the scanner runs, and sums precision and
// recall per category. Used by the tune-split unit test and the held-out benchmark
// (test/bench/detect-eval.bench.mjs); pure, so both run exactly the same code.

import type { EventRecord, HeaderRecord } from '../capture/types.js';
import type { ServerMeta } from './detector.js';
import { detectServers } from './run.js';
import { TimelineDetector } from './timeline.js';
import { atLeast, type Finding, type Severity } from './types.js';

export interface CorpusItem {
  id: string;
  category: string;
  split: 'tune' | 'heldout';
  server?: string;
  tools?: Record<string, unknown>[];
  tool?: Record<string, unknown>;
  instructions?: string;
  prompts?: Record<string, unknown>[];
  later?: Record<string, unknown>[];
  servers?: { name: string; tools: Record<string, unknown>[]; instructions?: string }[];
  traffic?: { tool: string; args?: Record<string, unknown>; result?: unknown; error?: unknown };
}

const meta = (
  name: string,
  tools: Record<string, unknown>[],
  extra: Partial<ServerMeta> = {},
): ServerMeta => ({ name, tools, prompts: [], resources: [], resourceTemplates: [], ...extra });

const HEADER: HeaderRecord = {
  type: 'header',
  seq: 0,
  ts: 0,
  format: 'mcpscope-capture',
  version: 1,
  tool: 'eval',
  created: '2026-01-01T00:00:00Z',
  id: 'eval',
  source: { transport: 'stdio', command: ['server'] },
};

/** A realistic session: initialize, tools/list (and a re-list after list_changed), one call. */
export function sessionRecords(item: CorpusItem): EventRecord[] {
  const out: EventRecord[] = [];
  let seq = 1;
  const frame = (dir: 'c2s' | 's2c', m: Record<string, unknown>): void =>
    void out.push({
      type: 'frame',
      seq,
      ts: seq++,
      dir,
      channel: 'stdio',
      text: JSON.stringify({ jsonrpc: '2.0', ...m }),
    });
  frame('c2s', {
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'eval', version: '1' },
    },
  });
  frame('s2c', {
    id: 0,
    result: {
      protocolVersion: '2025-06-18',
      capabilities: { tools: { listChanged: true } },
      serverInfo: { name: item.server ?? 'srv', version: '1' },
      ...(item.instructions ? { instructions: item.instructions } : {}),
    },
  });
  frame('c2s', { method: 'notifications/initialized' });
  const tools =
    item.tools ??
    (item.traffic
      ? [
          {
            name: item.traffic.tool,
            description: 'Tool.',
            inputSchema: { type: 'object', properties: {} },
          },
        ]
      : []);
  frame('c2s', { id: 1, method: 'tools/list' });
  frame('s2c', { id: 1, result: { tools } });
  if (item.later) {
    frame('s2c', { method: 'notifications/tools/list_changed' });
    frame('c2s', { id: 2, method: 'tools/list' });
    frame('s2c', { id: 2, result: { tools: item.later } });
  }
  if (item.traffic) {
    frame('c2s', {
      id: 3,
      method: 'tools/call',
      params: { name: item.traffic.tool, arguments: item.traffic.args ?? {} },
    });
    frame(
      's2c',
      item.traffic.error !== undefined
        ? { id: 3, error: item.traffic.error }
        : { id: 3, result: item.traffic.result },
    );
  }
  return out;
}

/** Every finding detection gives for one item. */
export function findingsFor(item: CorpusItem): Finding[] {
  if (item.servers)
    return detectServers(
      item.servers.map((s) =>
        meta(s.name, s.tools, s.instructions !== undefined ? { instructions: s.instructions } : {}),
      ),
    );
  if (item.tool) return detectServers([meta(item.server ?? 'srv', [item.tool])]);
  if (item.later || item.traffic) {
    const d = new TimelineDetector(HEADER);
    for (const r of sessionRecords(item)) d.add(r);
    d.finish();
    return d.findings;
  }
  return detectServers([
    meta(item.server ?? 'srv', item.tools ?? [], {
      ...(item.instructions !== undefined ? { instructions: item.instructions } : {}),
      ...(item.prompts ? { prompts: item.prompts } : {}),
    }),
  ]);
}

/** True when the item is flagged: a finding at `min` or above (traffic: one that names the tool). */
export function flagged(item: CorpusItem, findings: Finding[], min: Severity = 'medium'): boolean {
  return findings.some(
    (f) => atLeast(f.severity, min) && (!item.traffic || f.target.name === item.traffic.tool),
  );
}

export interface CategoryScore {
  category: string;
  items: number;
  flagged: number;
}

export interface EvalReport {
  poisoned: CategoryScore[];
  benign: CategoryScore;
  recall: number;
  /** Precision over all items: flagged poisoned / all flagged. */
  precision: number;
  missed: string[];
  falseAlarms: { id: string; findings: string[] }[];
}

export function evaluate(
  poisoned: CorpusItem[],
  benign: CorpusItem[],
  min: Severity = 'medium',
): EvalReport {
  const cats = new Map<string, CategoryScore>();
  const missed: string[] = [];
  for (const item of poisoned) {
    const c = cats.get(item.category) ?? { category: item.category, items: 0, flagged: 0 };
    cats.set(item.category, c);
    c.items++;
    if (flagged(item, findingsFor(item), min)) c.flagged++;
    else missed.push(item.id);
  }
  const falseAlarms: EvalReport['falseAlarms'] = [];
  for (const item of benign) {
    const bad = findingsFor(item).filter((f) => atLeast(f.severity, min));
    if (bad.length > 0)
      falseAlarms.push({
        id: item.id,
        findings: bad.map((f) => `${f.severity} ${f.rule}: ${f.message.slice(0, 200)}`),
      });
  }
  const tp = poisoned.length - missed.length;
  return {
    poisoned: [...cats.values()].sort((a, b) => a.category.localeCompare(b.category)),
    benign: { category: 'benign', items: benign.length, flagged: falseAlarms.length },
    recall: poisoned.length ? tp / poisoned.length : 1,
    precision: tp + falseAlarms.length ? tp / (tp + falseAlarms.length) : 1,
    missed,
    falseAlarms,
  };
}
