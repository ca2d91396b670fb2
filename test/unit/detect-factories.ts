// Fixture factories for detection tests: frames, sessions and servers without hand-building
// capture records in every test.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRecord, FrameRecord, HeaderRecord } from '../../shared/capture/types.js';
import type { ServerMeta } from '../../shared/detect/detector.js';
import { ROOT } from '../helpers/paths.js';

export function makeFrame(seq: number, dir: 'c2s' | 's2c', msg: unknown): FrameRecord {
  return { type: 'frame', seq, ts: 1000 + seq, dir, channel: 'stdio', text: typeof msg === 'string' ? msg : JSON.stringify(msg) };
}

export function makeHeader(source: HeaderRecord['source'] = { transport: 'stdio', command: ['node', 'server.js'] }): HeaderRecord {
  return { type: 'header', seq: 0, ts: 1000, format: 'mcpscope-capture', version: 1, tool: 'test', created: '2026-01-01T00:00:00Z', id: 'x', source };
}

export interface SessionSpec {
  name?: string;
  instructions?: string;
  tools: unknown[];
  /** A second tools/list answer after notifications/tools/list_changed. */
  later?: unknown[];
  /** Text of one tools/call result. */
  result?: string;
  /** Arguments of that tools/call. */
  args?: Record<string, unknown>;
}

/** A realistic stdio session: initialize, tools/list, optional list_changed + re-list, optional call. */
export function makeSession(spec: SessionSpec): EventRecord[] {
  const out: EventRecord[] = [];
  let seq = 1;
  const c2s = (m: unknown) => out.push(makeFrame(seq++, 'c2s', { jsonrpc: '2.0', ...(m as object) }));
  const s2c = (m: unknown) => out.push(makeFrame(seq++, 's2c', { jsonrpc: '2.0', ...(m as object) }));
  c2s({ id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } } });
  s2c({ id: 0, result: { protocolVersion: '2025-06-18', capabilities: { tools: { listChanged: true } }, serverInfo: { name: spec.name ?? 'srv', version: '1' }, ...(spec.instructions ? { instructions: spec.instructions } : {}) } });
  c2s({ method: 'notifications/initialized' });
  c2s({ id: 1, method: 'tools/list' });
  s2c({ id: 1, result: { tools: spec.tools } });
  if (spec.later) {
    s2c({ method: 'notifications/tools/list_changed' });
    c2s({ id: 2, method: 'tools/list' });
    s2c({ id: 2, result: { tools: spec.later } });
  }
  if (spec.result !== undefined) {
    const tool = (spec.tools[0] as { name?: string } | undefined)?.name ?? 'tool';
    c2s({ id: 3, method: 'tools/call', params: { name: tool, arguments: spec.args ?? {} } });
    s2c({ id: 3, result: { content: [{ type: 'text', text: spec.result }] } });
  }
  return out;
}

export function makeServer(name: string, tools: unknown[], extra: Partial<ServerMeta> = {}): ServerMeta {
  return { name, tools: tools as Record<string, unknown>[], prompts: [], resources: [], resourceTemplates: [], ...extra };
}

export interface CorpusCase {
  id: string;
  label: 'malicious' | 'benign';
  why: string;
  tools?: unknown[];
  instructions?: string;
  later?: unknown[];
  result?: string;
  servers?: { name: string; tools: unknown[]; instructions?: string }[];
}

/** The labelled corpus beside the repository (../shared/corpus), or undefined when absent. */
export const CORPUS_PATH = join(ROOT, '..', 'shared', 'corpus', 'tool-metadata-examples.json');
export function loadCorpus(): CorpusCase[] | undefined {
  if (!existsSync(CORPUS_PATH)) return undefined;
  return (JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as { cases: CorpusCase[] }).cases;
}
