// OpenTelemetry traces of a capture, following the semantic conventions for MCP (GenAI semconv,
// status Development): one CLIENT span per exchange (request → its response, named
// `{mcp.method.name} {target}`) under one INTERNAL span for the session; notifications are events
// (on the request they concern when they carry a progress token or cancel one, otherwise on the
// session span); detector findings are `mcpscope.finding` events on the span of the frame they
// are in. Pure: this builds the span model; electron/engine/export/otlp.ts hands it to the
// OpenTelemetry JS serializer / exporter. The records given are already redacted by the pipeline.
// Streamed: OtlpBuilder takes one record at a time and hands over each exchange's span once it is
// answered; buildOtlp is the whole-capture wrapper over it.

import type { ReadCapture } from '../capture/reader.js';
import { frameInput } from '../capture/frames.js';
import type { EventRecord, HeaderRecord } from '../capture/types.js';
import type { Finding } from '../detect/types.js';
import { isObject } from '../json.js';
import { MessageIndex, type Message } from '../protocol/messages.js';
import { SessionModel } from '../protocol/session.js';
import { InOrder } from './in-order.js';
import { slim } from './slim.js';

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
  /** Events left out past the per-span cap (OTLP's droppedEventsCount). */
  droppedEvents?: number;
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

/** Requests in flight held at most (then the oldest is written as unanswered). */
export const OTLP_MAX_IN_FLIGHT = 10_000;
/** Spans held before the handshake is known (their common attributes wait for it). */
const MAX_BEFORE_HANDSHAKE = 1_000;
/** Notification events kept per exchange span, and on the session span (the rest are counted). */
const MAX_SPAN_EVENTS = 1_000;
const MAX_SESSION_EVENTS = 10_000;

/** An exchange in flight: what its span needs, without the message bodies. */
interface Exchange {
  mid: number;
  seq: number;
  ts: number;
  dir: Message['dir'];
  method: string;
  id: unknown;
  target?: string;
  attributes: Record<string, OtlpValue>;
  answerTs?: number;
  outcome?: { attributes: Record<string, OtlpValue>; status: OtlpSpan['status'] };
  events: OtlpEvent[];
  dropped: number;
  findings: { i: number; ts: number }[];
}

const direction = (m: { dir: Message['dir'] }) =>
  m.dir === 'c2s' ? 'client→server' : 'server→client';

function outcomeOf(answer: Message): Exchange['outcome'] {
  const p = answer.parsed;
  if (p.kind === 'error' && p.error) {
    const code = String(p.error.code);
    return {
      attributes: { 'error.type': code, 'rpc.response.status_code': code },
      status: { code: 'error', message: p.error.message },
    };
  }
  if (p.kind === 'response' && isObject(p.result) && p.result.isError === true)
    return {
      attributes: { 'error.type': 'tool_error' },
      status: { code: 'error', message: 'the tool reported isError: true' },
    };
  return { attributes: {}, status: { code: 'unset' } };
}

/**
 * The trace of a capture built one record at a time. Each exchange's CLIENT span goes to `onSpan`
 * once its request is answered (in request order, so a span waits behind an earlier unanswered
 * one), after the handshake has said what every span carries (protocol version, session id).
 * Held: the exchanges in flight (at most OTLP_MAX_IN_FLIGHT: past that the oldest is written as
 * unanswered — a server that never answers cannot grow memory), the session span's events
 * (capped, the rest counted as dropped) and, per message, the pairing index's envelope.
 * `finish()` writes the rest and returns the session span (its end and events are known last).
 * A notification arriving after its request's span was written goes on the session span.
 */
export class OtlpBuilder {
  private readonly index = new MessageIndex();
  private readonly hs: SessionModel;
  private readonly queue: InOrder<Exchange>;
  /** Exchanges not yet written (in flight, or released before the handshake), by request mid. */
  private readonly live = new Map<number, Exchange>();
  private readonly beforeHandshake: Exchange[] = [];
  private readonly bySeq = new Map<number, number[]>();
  private readonly sessionEvents: OtlpEvent[] = [];
  private sessionDropped = 0;
  private readonly sessionFindings: { i: number; ts: number }[] = [];
  private readonly placed = new Set<number>();
  private common: Record<string, OtlpValue> | undefined;
  private sessionId: string | undefined;
  private first: number | undefined;
  private last: number | undefined;
  private readonly traceId: string;
  private readonly prefix: string;

  constructor(
    private readonly header: HeaderRecord,
    private readonly findings: readonly Finding[],
    private readonly options: OtlpOptions,
    private readonly onSpan: (span: OtlpSpan) => void,
  ) {
    this.hs = new SessionModel((mid) => this.index.get(mid));
    this.queue = new InOrder((x) => this.released(x), OTLP_MAX_IN_FLIGHT);
    this.traceId = traceIdOf(header.id);
    this.prefix = hex8(fnv(header.id, 0x9e3779b9));
    findings.forEach((f, i) => {
      const seq = f.target.seq;
      if (seq !== undefined) this.bySeq.set(seq, [...(this.bySeq.get(seq) ?? []), i]);
    });
  }

  private get sessionSpanId(): string {
    return `${this.prefix}00000000`;
  }

  add(r: EventRecord): void {
    this.first ??= r.ts;
    this.last = r.ts;
    if (r.type === 'http' && this.sessionId === undefined && r.headers['mcp-session-id'])
      this.sessionId = r.headers['mcp-session-id'];
    let owner: Exchange | undefined;
    const answered: number[] = [];
    if (r.type === 'frame') {
      for (const m of this.index.add(frameInput(r))) {
        this.hs.add(m);
        if (m.kind === 'request') {
          const { target, attributes } = targetOf(m);
          const x: Exchange = {
            mid: m.mid,
            seq: m.seq,
            ts: m.ts,
            dir: m.dir,
            method: m.method ?? '',
            id: m.id,
            attributes,
            events: [],
            dropped: 0,
            findings: [],
          };
          if (target !== undefined) x.target = target;
          this.live.set(m.mid, x);
          this.queue.add(m.mid, x);
          if (!owner || x.mid > owner.mid) owner = x;
        } else if ((m.kind === 'response' || m.kind === 'error') && m.pair !== undefined) {
          const x = this.live.get(m.pair);
          if (x) {
            x.answerTs = m.ts;
            x.outcome = outcomeOf(m);
            answered.push(x.mid);
            if (!owner || x.mid > owner.mid) owner = x;
          }
        } else if (m.kind === 'notification' || m.kind === 'invalid') {
          this.notification(m);
        }
        slim(m);
      }
    }
    const mine = this.bySeq.get(r.seq);
    if (mine) {
      this.placed.add(r.seq);
      for (const i of mine) (owner?.findings ?? this.sessionFindings).push({ i, ts: r.ts });
    }
    for (const mid of answered) this.queue.complete(mid);
    if (!this.common && this.hs.handshake.initializeResultSeq !== undefined) this.settle();
  }

  private notification(m: Message): void {
    const x =
      (m.progressOf !== undefined ? this.live.get(m.progressOf) : undefined) ??
      (m.cancels !== undefined ? this.live.get(m.cancels) : undefined);
    const cap = x ? MAX_SPAN_EVENTS : MAX_SESSION_EVENTS;
    const events = x ? x.events : this.sessionEvents;
    if (events.length >= cap) {
      if (x) x.dropped++;
      else this.sessionDropped++;
      return;
    }
    events.push({
      name: m.kind === 'invalid' ? 'mcpscope.invalid_message' : (m.method ?? 'notification'),
      ts: m.ts,
      attributes: {
        ...(m.method ? { 'mcp.method.name': m.method } : {}),
        'mcpscope.direction': direction(m),
        ...(m.reason ? { 'mcpscope.reason': m.reason } : {}),
      },
    });
  }

  private released(x: Exchange): void {
    if (this.common) return this.write(x);
    this.beforeHandshake.push(x);
    if (this.beforeHandshake.length > MAX_BEFORE_HANDSHAKE) this.settle();
  }

  /** The handshake is known (or waiting longer would hold too much): fix what every span carries. */
  private settle(): void {
    const hs = this.hs.handshake;
    this.common = {
      ...transportOf(this.header),
      ...(this.sessionId ? { 'mcp.session.id': this.sessionId } : {}),
      ...(hs.protocolVersion ? { 'mcp.protocol.version': hs.protocolVersion } : {}),
    };
    for (const x of this.beforeHandshake.splice(0)) this.write(x);
  }

  private write(x: Exchange): void {
    this.live.delete(x.mid);
    const span: OtlpSpan = {
      traceId: this.traceId,
      spanId: `${this.prefix}${hex8(x.mid + 1)}`,
      parentSpanId: this.sessionSpanId,
      name: x.target ? `${x.method} ${x.target}` : x.method,
      kind: 'client',
      start: x.ts,
      end: x.answerTs !== undefined ? Math.max(x.answerTs, x.ts) : x.ts,
      attributes: {
        'mcp.method.name': x.method,
        'jsonrpc.request.id': idText(x.id),
        ...this.common,
        ...x.attributes,
        'mcpscope.direction': direction(x),
        ...(x.outcome ? x.outcome.attributes : { 'error.type': 'unanswered' }),
      },
      events: this.events(x.events, x.findings),
      status: x.outcome ? x.outcome.status : { code: 'error', message: 'no response was recorded' },
    };
    if (x.dropped > 0) span.droppedEvents = x.dropped;
    this.onSpan(span);
  }

  /** Notifications (in order) then findings (in the findings' order), stably sorted by time. */
  private events(notes: OtlpEvent[], found: { i: number; ts: number }[]): OtlpEvent[] {
    const out = [...notes];
    for (const { i, ts } of found.sort((a, b) => a.i - b.i)) {
      const f = this.findings[i]!;
      const seq = f.target.seq;
      out.push({
        name: 'mcpscope.finding',
        ts,
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
    return out.sort((a, b) => a.ts - b.ts);
  }

  private serverName(): string | undefined {
    const h = this.header;
    return this.hs.handshake.serverInfo?.name ?? h.source.name ?? h.source.command?.[0];
  }

  /** The resource every span of this trace belongs to (final once the handshake is known). */
  resource(): Record<string, OtlpValue> {
    const serverName = this.serverName();
    const version = this.hs.handshake.serverInfo?.version;
    return {
      'service.name': serverName ? `mcp-server ${serverName}` : 'mcp-server',
      ...(version ? { 'service.version': version } : {}),
      'telemetry.sdk.name': 'mcpscope',
      'mcpscope.tool': this.options.tool,
    };
  }

  /** The end of the capture: every span still held goes to `onSpan`; returns the session span. */
  finish(): OtlpSpan {
    this.queue.finish();
    if (!this.common) this.settle();
    const header = this.header;
    const hs = this.hs.handshake;
    const start = Math.min(this.first ?? header.ts, header.ts);
    // Findings on records that carry no exchange (or on none): on the session span.
    this.findings.forEach((f, i) => {
      const seq = f.target.seq;
      if (seq === undefined || !this.placed.has(seq)) this.sessionFindings.push({ i, ts: start });
    });
    const serverName = this.serverName();
    const session: OtlpSpan = {
      traceId: this.traceId,
      spanId: this.sessionSpanId,
      name: `mcp session${serverName ? ` ${serverName}` : ''}`,
      kind: 'internal',
      start,
      end: Math.max(this.last ?? header.ts, header.ts),
      attributes: {
        ...this.common,
        'mcpscope.capture.id': header.id,
        'mcpscope.capture.transport': header.source.transport,
        ...(hs.serverInfo?.name ? { 'mcpscope.server.name': hs.serverInfo.name } : {}),
        ...(hs.clientInfo?.name ? { 'mcpscope.client.name': hs.clientInfo.name } : {}),
      },
      events: this.events(this.sessionEvents, this.sessionFindings),
      status: { code: 'unset' },
    };
    if (this.sessionDropped > 0) session.droppedEvents = this.sessionDropped;
    return session;
  }
}

/** The whole trace of a read capture at once (the session span first, then one per exchange). */
export function buildOtlp(
  read: ReadCapture,
  findings: readonly Finding[],
  options: OtlpOptions,
): OtlpTrace {
  const spans: OtlpSpan[] = [];
  const b = new OtlpBuilder(read.header!, findings, options, (s) => spans.push(s));
  for (const r of read.records) b.add(r);
  const session = b.finish();
  return { resource: b.resource(), spans: [session, ...spans] };
}
