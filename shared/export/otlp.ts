// OpenTelemetry traces of a capture, following the semantic conventions for MCP (GenAI semconv,
// status Development): one CLIENT span per exchange (request → its response, named
// `{mcp.method.name} {target}`) under one INTERNAL span for the session; notifications are events
// (on the request they concern when they carry a progress token or cancel one, otherwise on the
// session span); detector findings are `mcpscope.finding` events on the span of the frame they
// are in. Pure: this builds the span model; electron/engine/export/otlp.ts hands it to the
// OpenTelemetry JS serializer / exporter. The records given are already redacted by the pipeline.

import type { ReadCapture } from '../capture/reader.js';
import { buildTimeline } from '../capture/timeline.js';
import type { EventRecord, HeaderRecord } from '../capture/types.js';
import type { Finding } from '../detect/types.js';
import { isObject } from '../json.js';
import type { Message } from '../protocol/messages.js';

export type OtlpValue = string | number | boolean;

export interface OtlpEvent {
  name: string;
  /** Epoch milliseconds (fractional). */
  ts: number;
  attributes: Record<string, OtlpValue>;
}

export interface OtlpSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 'internal' | 'client';
  start: number;
  end: number;
  attributes: Record<string, OtlpValue>;
  events: OtlpEvent[];
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
}

export interface OtlpTrace {
  resource: Record<string, OtlpValue>;
  spans: OtlpSpan[];
}

/** 32-bit FNV-1a, for ids derived from the capture (the same capture gives the same ids). */
function fnv(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

function traceIdOf(captureId: string): string {
  const id = /^[0-9a-f]{32}$/.test(captureId)
    ? captureId
    : [1, 2, 3, 4].map((k) => hex8(fnv(captureId, 0x811c9dc5 + k))).join('');
  // An all-zero id is invalid in OTLP.
  return /^0+$/.test(id) ? `${id.slice(0, 31)}1` : id;
}

const transportOf = (h: HeaderRecord): Record<string, OtlpValue> =>
  h.source.transport === 'stdio'
    ? { 'network.transport': 'pipe' }
    : h.source.transport === 'client'
      ? {}
      : { 'network.transport': 'tcp', 'network.protocol.name': 'http' };

/** The low-cardinality target of a request, and the attributes that name it. */
function targetOf(m: Message): { target?: string; attributes: Record<string, OtlpValue> } {
  const p = m.parsed.kind === 'request' ? m.parsed.params : undefined;
  if (!isObject(p)) return { attributes: {} };
  const name = typeof p.name === 'string' ? p.name : undefined;
  if (m.method === 'tools/call' && name)
    return {
      target: name,
      attributes: { 'gen_ai.tool.name': name, 'gen_ai.operation.name': 'execute_tool' },
    };
  if (m.method === 'prompts/get' && name)
    return { target: name, attributes: { 'gen_ai.prompt.name': name } };
  if (typeof p.uri === 'string') return { attributes: { 'mcp.resource.uri': p.uri } };
  return { attributes: {} };
}

const idText = (id: unknown): string => (typeof id === 'string' ? id : JSON.stringify(id));

export interface OtlpOptions {
  /** The tool that made the export (`mcpscope 0.1.0`). */
  tool: string;
}

export function buildOtlp(
  read: ReadCapture,
  findings: readonly Finding[],
  options: OtlpOptions,
): OtlpTrace {
  const header = read.header!;
  const records: readonly EventRecord[] = read.records;
  const timeline = buildTimeline(read);
  const messages = timeline.index.messages;
  const hs = timeline.session.handshake;
  const traceId = traceIdOf(header.id);
  const prefix = hex8(fnv(header.id, 0x9e3779b9));
  const spanIdOf = (n: number): string => `${prefix}${hex8(n + 1)}`;
  const sessionSpanId = `${prefix}00000000`;

  let sessionId: string | undefined;
  for (const r of records)
    if (r.type === 'http' && r.headers['mcp-session-id']) {
      sessionId = r.headers['mcp-session-id'];
      break;
    }
  const common: Record<string, OtlpValue> = {
    ...transportOf(header),
    ...(sessionId ? { 'mcp.session.id': sessionId } : {}),
    ...(hs.protocolVersion ? { 'mcp.protocol.version': hs.protocolVersion } : {}),
  };

  const first = records[0]?.ts ?? header.ts;
  const last = records.length > 0 ? records[records.length - 1]!.ts : header.ts;
  const serverName = hs.serverInfo?.name ?? header.source.name ?? header.source.command?.[0];
  const session: OtlpSpan = {
    traceId,
    spanId: sessionSpanId,
    name: `mcp session${serverName ? ` ${serverName}` : ''}`,
    kind: 'internal',
    start: Math.min(first, header.ts),
    end: Math.max(last, header.ts),
    attributes: {
      ...common,
      'mcpscope.capture.id': header.id,
      'mcpscope.capture.transport': header.source.transport,
      ...(hs.serverInfo?.name ? { 'mcpscope.server.name': hs.serverInfo.name } : {}),
      ...(hs.clientInfo?.name ? { 'mcpscope.client.name': hs.clientInfo.name } : {}),
    },
    events: [],
    status: { code: 'unset' },
  };
  const spans: OtlpSpan[] = [session];
  /** The span each message belongs to (a request's and its answer's), by mid. */
  const spanOfMid = new Map<number, OtlpSpan>();
  const spanOfSeq = new Map<number, OtlpSpan>();

  for (const m of messages) {
    if (m.kind !== 'request') continue;
    const answer = m.pair !== undefined ? messages[m.pair] : undefined;
    const { target, attributes } = targetOf(m);
    const method = m.method ?? '';
    const span: OtlpSpan = {
      traceId,
      spanId: spanIdOf(m.mid),
      parentSpanId: sessionSpanId,
      name: target ? `${method} ${target}` : method,
      kind: 'client',
      start: m.ts,
      end: answer ? Math.max(answer.ts, m.ts) : m.ts,
      attributes: {
        'mcp.method.name': method,
        'jsonrpc.request.id': idText(m.id),
        ...common,
        ...attributes,
        'mcpscope.direction': m.dir === 'c2s' ? 'client→server' : 'server→client',
      },
      events: [],
      status: { code: 'unset' },
    };
    if (!answer) {
      span.attributes['error.type'] = 'unanswered';
      span.status = { code: 'error', message: 'no response was recorded' };
    } else if (answer.parsed.kind === 'error' && answer.parsed.error) {
      const code = String(answer.parsed.error.code);
      span.attributes['error.type'] = code;
      span.attributes['rpc.response.status_code'] = code;
      span.status = { code: 'error', message: answer.parsed.error.message };
    } else if (
      answer.parsed.kind === 'response' &&
      isObject(answer.parsed.result) &&
      answer.parsed.result.isError === true
    ) {
      span.attributes['error.type'] = 'tool_error';
      span.status = { code: 'error', message: 'the tool reported isError: true' };
    }
    spans.push(span);
    spanOfMid.set(m.mid, span);
    spanOfSeq.set(m.seq, span);
    if (answer) {
      spanOfMid.set(answer.mid, span);
      spanOfSeq.set(answer.seq, span);
    }
  }

  for (const m of messages) {
    if (m.kind !== 'notification' && m.kind !== 'invalid') continue;
    const owner =
      (m.progressOf !== undefined ? spanOfMid.get(m.progressOf) : undefined) ??
      (m.cancels !== undefined ? spanOfMid.get(m.cancels) : undefined) ??
      session;
    owner.events.push({
      name: m.kind === 'invalid' ? 'mcpscope.invalid_message' : (m.method ?? 'notification'),
      ts: m.ts,
      attributes: {
        ...(m.method ? { 'mcp.method.name': m.method } : {}),
        'mcpscope.direction': m.dir === 'c2s' ? 'client→server' : 'server→client',
        ...(m.reason ? { 'mcpscope.reason': m.reason } : {}),
      },
    });
  }

  const tsOfSeq = new Map<number, number>();
  for (const r of records) tsOfSeq.set(r.seq, r.ts);
  for (const f of findings) {
    const seq = f.target.seq;
    const owner = (seq !== undefined ? spanOfSeq.get(seq) : undefined) ?? session;
    owner.events.push({
      name: 'mcpscope.finding',
      ts: (seq !== undefined ? tsOfSeq.get(seq) : undefined) ?? owner.start,
      attributes: {
        'mcpscope.finding.rule': f.rule,
        'mcpscope.finding.severity': f.severity,
        'mcpscope.finding.title': f.title,
        'mcpscope.finding.message': f.message,
        ...(f.target.name ? { 'mcpscope.finding.target': f.target.name } : {}),
        ...(f.target.pointer ? { 'mcpscope.finding.pointer': f.target.pointer } : {}),
        ...(seq !== undefined ? { 'mcpscope.capture.seq': seq } : {}),
      },
    });
  }
  for (const s of spans) s.events.sort((a, b) => a.ts - b.ts);

  return {
    resource: {
      'service.name': serverName ? `mcp-server ${serverName}` : 'mcp-server',
      ...(hs.serverInfo?.version ? { 'service.version': hs.serverInfo.version } : {}),
      'telemetry.sdk.name': 'mcpscope',
      'mcpscope.tool': options.tool,
    },
    spans,
  };
}
