// The ONE fixture-factory module of the tests: frames (as parser input and as capture records),
// JSON-RPC messages, capture headers, whole sessions (as records, as servers for the detectors,
// and as hash-chained capture text exactly as the engine writes it) and the labelled corpus.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chainBody } from '../../shared/capture/codec.js';
import { signBody, type CaptureSigner } from '../../shared/capture/sign.js';
import { sha256Hex } from '../../shared/capture/hash.js';
import {
  CAPTURE_FORMAT,
  CAPTURE_VERSION,
  type EventRecord,
  type FrameRecord,
  type HeaderRecord,
  type NewRecord,
} from '../../shared/capture/types.js';
import type { ServerMeta } from '../../shared/detect/detector.js';
import type { Direction, FrameInput } from '../../shared/protocol/index.js';
import { ROOT } from './paths.js';

let nextSeq = 1;

export function makeFrameInput(
  dir: Direction,
  message: unknown,
  over: Partial<FrameInput> = {},
): FrameInput {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  const seq = over.seq ?? nextSeq++;
  return { seq, ts: over.ts ?? seq * 10, dir, text, size: Buffer.byteLength(text), ...over };
}

export const req = (id: string | number, method: string, params?: unknown) => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params === undefined ? {} : { params }),
});
export const note = (method: string, params?: unknown) => ({
  jsonrpc: '2.0',
  method,
  ...(params === undefined ? {} : { params }),
});
export const res = (id: string | number, result: unknown = {}) => ({ jsonrpc: '2.0', id, result });
export const err = (id: string | number | null, code: number, message: string) => ({
  jsonrpc: '2.0',
  id,
  error: { code, message },
});

export function makeFrame(seq: number, dir: 'c2s' | 's2c', msg: unknown): FrameRecord {
  return {
    type: 'frame',
    seq,
    ts: 1000 + seq,
    dir,
    channel: 'stdio',
    text: typeof msg === 'string' ? msg : JSON.stringify(msg),
  };
}

export function makeHeader(
  source: HeaderRecord['source'] = { transport: 'stdio', command: ['node', 'server.js'] },
): HeaderRecord {
  return {
    type: 'header',
    seq: 0,
    ts: 1000,
    format: 'mcpscope-capture',
    version: 1,
    tool: 'test',
    created: '2026-01-01T00:00:00Z',
    id: 'x',
    source,
  };
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
  const c2s = (m: unknown) =>
    out.push(makeFrame(seq++, 'c2s', { jsonrpc: '2.0', ...(m as object) }));
  const s2c = (m: unknown) =>
    out.push(makeFrame(seq++, 's2c', { jsonrpc: '2.0', ...(m as object) }));
  c2s({
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'test', version: '1' },
    },
  });
  s2c({
    id: 0,
    result: {
      protocolVersion: '2025-06-18',
      capabilities: { tools: { listChanged: true } },
      serverInfo: { name: spec.name ?? 'srv', version: '1' },
      ...(spec.instructions ? { instructions: spec.instructions } : {}),
    },
  });
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

export function makeServer(
  name: string,
  tools: unknown[],
  extra: Partial<ServerMeta> = {},
): ServerMeta {
  return {
    name,
    tools: tools as Record<string, unknown>[],
    prompts: [],
    resources: [],
    resourceTemplates: [],
    ...extra,
  };
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

// Hash-chained capture text for the renderer (and anything that reads files).

export interface CaptureBuilder {
  header: HeaderRecord;
  records: EventRecord[];
  add(r: NewRecord): EventRecord;
  frame(dir: 'c2s' | 's2c', value: unknown, dtMs?: number): EventRecord;
  /** The capture file's text; signed (header and end record) when a signer is given. */
  text(signer?: CaptureSigner): string;
}

export function makeCapture(id = 'cafe0001', name = 'fixture'): CaptureBuilder {
  const header: HeaderRecord = {
    seq: 0,
    ts: 1_700_000_000_000,
    type: 'header',
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    tool: 'mcpscope/test',
    created: new Date(1_700_000_000_000).toISOString(),
    id,
    source: { transport: 'stdio', command: ['node', 'server.js'], name },
  };
  let ts = header.ts;
  const records: EventRecord[] = [];
  const b: CaptureBuilder = {
    header,
    records,
    add(r) {
      ts = r.ts ?? ts + 1;
      const { ts: _ts, ...rest } = r;
      // seq first, as the writer puts it (verify reads the leading seq).
      const full = { seq: records.length + 1, ts, ...rest } as EventRecord;
      records.push(full);
      return full;
    },
    frame(dir, value, dtMs = 1) {
      return b.add({
        type: 'frame',
        dir,
        channel: 'stdio',
        text: typeof value === 'string' ? value : JSON.stringify(value),
        ts: ts + dtMs,
      });
    },
    text(signer) {
      let prev = '';
      const lines: string[] = [];
      for (const r of [header, ...records]) {
        // With a signer, the header and the end record are signed as the writer signs them.
        const body = JSON.stringify(r);
        const signed =
          signer && (r.type === 'header' || r.type === 'end') ? signBody(body, prev, signer) : body;
        const { line, hash } = chainBody(signed, prev, sha256Hex);
        prev = hash;
        lines.push(line);
      }
      return `${lines.join('\n')}\n`;
    },
  };
  return b;
}

/** A short session: handshake, tools/list, an echo call, an error, a pending request. */
export function makeSessionCapture(id = 'cafe0001'): CaptureBuilder {
  const c = makeCapture(id);
  c.frame('c2s', {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'c', version: '1' },
    },
  });
  c.frame(
    's2c',
    {
      jsonrpc: '2.0',
      id: 0,
      result: {
        protocolVersion: '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'fixture-server', version: '2' },
      },
    },
    5,
  );
  c.frame('c2s', { jsonrpc: '2.0', method: 'notifications/initialized' });
  c.frame('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
  c.frame('s2c', {
    jsonrpc: '2.0',
    id: 1,
    result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] },
  });
  c.frame('c2s', {
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'echo', arguments: { message: 'Hello' } },
  });
  c.frame(
    's2c',
    { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'Echo: Hello' }] } },
    700,
  );
  c.frame('c2s', {
    jsonrpc: '2.0',
    id: 3,
    method: 'tools/call',
    params: { name: 'add', arguments: {} },
  });
  c.frame('s2c', { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'bad args' } });
  c.add({ type: 'stderr', text: 'server says hi' });
  c.frame('c2s', { jsonrpc: '2.0', id: 4, method: 'ping' });
  return c;
}
