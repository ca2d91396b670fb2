// `mcpscope export --format otlp`: the span model of shared/export/otlp.ts handed to the
// OpenTelemetry JS packages. The OTLP/JSON text comes from @opentelemetry/otlp-transformer's
// JsonTraceSerializer (ExportTraceServiceRequest in the protobuf JSON mapping: hex ids, times in
// nanoseconds as strings, enums as integers), and `--endpoint` sends it with
// @opentelemetry/exporter-trace-otlp-http to an OTLP/HTTP collector's /v1/traces. A streamed
// export serializes its spans in batches (otlpPieces) and sends each batch as its own request.

import { SpanKind, SpanStatusCode, TraceFlags, type HrTime } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { OtlpSpan, OtlpTrace } from '../../../shared/export/otlp.js';

export class OtlpEndpointError extends Error {}

/** Epoch milliseconds (fractional) as [seconds, nanoseconds]. */
function hrTime(ms: number): HrTime {
  const whole = Math.floor(ms);
  const sec = Math.floor(whole / 1000);
  const nanos = (whole - sec * 1000) * 1_000_000 + Math.round((ms - whole) * 1_000_000);
  return nanos >= 1_000_000_000 ? [sec + 1, nanos - 1_000_000_000] : [sec, nanos];
}

function duration(a: number, b: number): HrTime {
  return hrTime(Math.max(0, b - a));
}

const STATUS = {
  unset: SpanStatusCode.UNSET,
  ok: SpanStatusCode.OK,
  error: SpanStatusCode.ERROR,
} as const;

export function toReadableSpans(trace: OtlpTrace, tool: string): ReadableSpan[] {
  const resource = resourceFromAttributes(trace.resource);
  const scope = { name: 'mcpscope', version: tool.replace(/^mcpscope /, '') };
  return trace.spans.map((s: OtlpSpan): ReadableSpan => {
    const ctx = { traceId: s.traceId, spanId: s.spanId, traceFlags: TraceFlags.SAMPLED };
    return {
      name: s.name,
      kind: s.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL,
      spanContext: () => ctx,
      ...(s.parentSpanId
        ? {
            parentSpanContext: {
              traceId: s.traceId,
              spanId: s.parentSpanId,
              traceFlags: TraceFlags.SAMPLED,
            },
          }
        : {}),
      startTime: hrTime(s.start),
      endTime: hrTime(s.end),
      duration: duration(s.start, s.end),
      status: {
        code: STATUS[s.status.code],
        ...(s.status.message !== undefined ? { message: s.status.message } : {}),
      },
      attributes: s.attributes,
      links: [],
      events: s.events.map((e) => ({
        name: e.name,
        time: hrTime(e.ts),
        attributes: e.attributes,
        droppedAttributesCount: 0,
      })),
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: s.droppedEvents ?? 0,
      droppedLinksCount: 0,
    };
  });
}

/** The ExportTraceServiceRequest as OTLP/JSON text. */
export function otlpJson(trace: OtlpTrace, tool: string): string {
  const bytes = JsonTraceSerializer.serializeRequest(toReadableSpans(trace, tool));
  if (!bytes) throw new Error('the OTLP serializer produced nothing');
  return `${new TextDecoder().decode(bytes)}\n`;
}

/** `http://host:4318` → `http://host:4318/v1/traces`; a URL already naming a path is kept. */
export function tracesUrl(endpoint: string): string {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new OtlpEndpointError(
      `--endpoint "${endpoint}" is not a URL: give the collector's OTLP/HTTP address, e.g. http://127.0.0.1:4318`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new OtlpEndpointError(`--endpoint "${endpoint}": expected an http:// or https:// URL`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/traces';
  return u.href;
}

/**
 * The serializer's text for these spans cut into the request's head (up to the spans array), each
 * span's JSON, and its tail: a streamed export writes one request with the spans of many batches.
 * (The serializer's text is JSON.stringify of the request, so parsing and stringifying its parts
 * again gives the same bytes.)
 */
export function otlpPieces(
  trace: OtlpTrace,
  tool: string,
): { head: string; spans: string[]; tail: string } {
  const req = JSON.parse(otlpJson(trace, tool)) as {
    resourceSpans: { scopeSpans: { spans: unknown[] }[] }[];
  };
  const scope = req.resourceSpans[0]?.scopeSpans[0];
  if (!scope) throw new Error('the OTLP serializer produced no spans');
  const spans = scope.spans.map((x) => JSON.stringify(x));
  scope.spans = [];
  const wrap = JSON.stringify(req);
  const cut = wrap.indexOf('"spans":[]') + '"spans":['.length;
  return { head: wrap.slice(0, cut), spans, tail: `${wrap.slice(cut)}\n` };
}

/** Sends spans to an OTLP/HTTP collector's /v1/traces, one export request per batch. */
export class OtlpSender {
  readonly url: string;
  private readonly exporter: OTLPTraceExporter;

  constructor(
    endpoint: string,
    private readonly tool: string,
    timeoutMs = 10_000,
  ) {
    this.url = tracesUrl(endpoint);
    this.exporter = new OTLPTraceExporter({ url: this.url, timeoutMillis: timeoutMs });
  }

  /** POST one batch (OTLP/JSON over HTTP); rejects with why it failed. */
  async send(trace: OtlpTrace): Promise<void> {
    const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
      this.exporter.export(toReadableSpans(trace, this.tool), resolve),
    );
    if (result.code !== ExportResultCode.SUCCESS)
      throw new OtlpEndpointError(
        `the collector at ${this.url} did not accept the traces: ${result.error?.message ?? 'export failed'}`,
      );
  }

  async close(): Promise<void> {
    await this.exporter.shutdown().catch(() => undefined);
  }
}
