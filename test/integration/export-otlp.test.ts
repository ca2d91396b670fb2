// `mcpscope export --format otlp`: OTLP/JSON traces of a capture. The output is checked against a
// strict schema of ExportTraceServiceRequest in the OTLP protobuf JSON mapping (field names and
// types from opentelemetry-proto's trace.proto, common.proto and resource.proto; unknown fields
// rejected), carries the MCP semantic-convention attributes, is redacted like every export, and
// `--endpoint` POSTs the same spans to an OTLP/HTTP collector (a stub on 127.0.0.1), in batches.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../helpers/cli.js';
import { makeSessionCapture } from '../helpers/factories.js';
import { scratchDir } from '../helpers/paths.js';

// --- The OTLP protobuf JSON mapping, as a strict schema -------------------------------------
const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));
/** int64/fixed64 in proto3 JSON: a decimal string (numbers are accepted by parsers too). */
const int64 = z.union([z.string().regex(/^-?\d+$/), z.number().int()]);
const uint32 = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);
type AnyValue = Record<string, unknown>;
const anyValue: z.ZodType<AnyValue> = z.lazy(() =>
  z.union([
    z.object({ stringValue: z.string() }).strict(),
    z.object({ boolValue: z.boolean() }).strict(),
    z.object({ intValue: int64 }).strict(),
    z.object({ doubleValue: z.number() }).strict(),
    z.object({ bytesValue: z.string().regex(/^[A-Za-z0-9+/]*=*$/) }).strict(),
    z.object({ arrayValue: z.object({ values: z.array(anyValue) }).strict() }).strict(),
    z.object({ kvlistValue: z.object({ values: z.array(keyValue) }).strict() }).strict(),
  ]),
);
const keyValue = z.object({ key: z.string(), value: anyValue }).strict();
const attrs = z.array(keyValue);
const event = z
  .object({
    timeUnixNano: int64,
    name: z.string(),
    attributes: attrs.optional(),
    droppedAttributesCount: uint32.optional(),
  })
  .strict();
const link = z
  .object({
    traceId: hex(32),
    spanId: hex(16),
    traceState: z.string().optional(),
    attributes: attrs.optional(),
    droppedAttributesCount: uint32.optional(),
    flags: uint32.optional(),
  })
  .strict();
const span = z
  .object({
    traceId: hex(32),
    spanId: hex(16),
    traceState: z.string().optional(),
    parentSpanId: z.union([hex(16), z.literal('')]).optional(),
    flags: uint32.optional(),
    name: z.string().min(1),
    kind: z.number().int().min(0).max(5),
    startTimeUnixNano: int64,
    endTimeUnixNano: int64,
    attributes: attrs.optional(),
    droppedAttributesCount: uint32.optional(),
    events: z.array(event).optional(),
    droppedEventsCount: uint32.optional(),
    links: z.array(link).optional(),
    droppedLinksCount: uint32.optional(),
    status: z
      .object({ message: z.string().optional(), code: z.number().int().min(0).max(2).optional() })
      .strict()
      .optional(),
  })
  .strict();
const request = z
  .object({
    resourceSpans: z.array(
      z
        .object({
          resource: z
            .object({ attributes: attrs, droppedAttributesCount: uint32.optional() })
            .strict()
            .optional(),
          scopeSpans: z.array(
            z
              .object({
                scope: z
                  .object({
                    name: z.string(),
                    version: z.string().optional(),
                    attributes: attrs.optional(),
                    droppedAttributesCount: uint32.optional(),
                  })
                  .strict()
                  .optional(),
                spans: z.array(span),
                schemaUrl: z.string().optional(),
              })
              .strict(),
          ),
          schemaUrl: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
type Request = z.infer<typeof request>;
type Span = z.infer<typeof span>;

const attr = (s: { attributes?: { key: string; value: AnyValue }[] }, key: string) =>
  s.attributes?.find((a) => a.key === key)?.value;

// --- A capture: the factory session, plus a progress notification and a leaked key ----------
const AWS = ['AKIA', 'Q7W3', 'E5R1', 'T9Y2', 'U4I8'].join('');
const dir = scratchDir('mcpscope-otlp-');
const file = join(dir, 'session.mcpscope.jsonl');
beforeAll(() => {
  const c = makeSessionCapture('0123456789abcdef');
  c.frame('c2s', {
    jsonrpc: '2.0',
    id: 5,
    method: 'tools/call',
    params: { name: 'config', arguments: {}, _meta: { progressToken: 'p1' } },
  });
  c.frame('s2c', {
    jsonrpc: '2.0',
    method: 'notifications/progress',
    params: { progressToken: 'p1', progress: 1 },
  });
  c.frame('s2c', {
    jsonrpc: '2.0',
    id: 5,
    result: { content: [{ type: 'text', text: `aws_access_key_id=${AWS}` }], isError: true },
  });
  c.frame('c2s', {
    jsonrpc: '2.0',
    id: 6,
    method: 'resources/read',
    params: { uri: `https://files.example.com/keys/${AWS}` },
  });
  c.frame('s2c', { jsonrpc: '2.0', id: 6, result: { contents: [] } });
  writeFileSync(file, c.text());
});

async function exportOtlp(extra: string[] = []): Promise<Request> {
  const r = await runCli(['export', file, '--format', 'otlp', '--out', '-', ...extra], {
    timeoutMs: 60_000,
  });
  expect(r.code, r.stderr).toBe(0);
  return request.parse(JSON.parse(r.stdout));
}

describe('export --format otlp', () => {
  let req: Request;
  let spans: Span[];
  beforeAll(async () => {
    req = await exportOtlp();
    spans = req.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  }, 60_000);

  it('is an ExportTraceServiceRequest in the protobuf JSON mapping', () => {
    expect(req.resourceSpans).toHaveLength(1);
    expect(attr(req.resourceSpans[0]!.resource!, 'service.name')).toEqual({
      stringValue: 'mcp-server fixture-server',
    });
    // One trace; times are nanosecond strings; ends never before starts.
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    for (const s of spans) {
      expect(typeof s.startTimeUnixNano).toBe('string');
      expect(BigInt(s.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(s.startTimeUnixNano));
      expect(BigInt(s.startTimeUnixNano)).toBeGreaterThan(1_600_000_000n * 1_000_000_000n);
    }
  });

  it('has a session span and one CLIENT span per exchange, with the MCP conventions', () => {
    const session = spans.find((s) => s.parentSpanId === undefined || s.parentSpanId === '')!;
    expect(session.name).toBe('mcp session fixture-server');
    expect(session.kind).toBe(1); // SPAN_KIND_INTERNAL
    const children = spans.filter((s) => s.parentSpanId === session.spanId);
    expect(children.map((s) => s.name)).toEqual([
      'initialize',
      'tools/list',
      'tools/call echo',
      'tools/call add',
      'ping',
      'tools/call config',
      'resources/read',
    ]);
    for (const s of children) {
      expect(s.kind).toBe(3); // SPAN_KIND_CLIENT
      expect(attr(s, 'network.transport')).toEqual({ stringValue: 'pipe' });
      expect(attr(s, 'mcp.protocol.version')).toEqual({ stringValue: '2025-06-18' });
    }
    const echo = children[2]!;
    expect(attr(echo, 'mcp.method.name')).toEqual({ stringValue: 'tools/call' });
    expect(attr(echo, 'jsonrpc.request.id')).toEqual({ stringValue: '2' });
    expect(attr(echo, 'gen_ai.tool.name')).toEqual({ stringValue: 'echo' });
    expect(attr(echo, 'gen_ai.operation.name')).toEqual({ stringValue: 'execute_tool' });
    // 700 ms between the call and its answer.
    expect(BigInt(echo.endTimeUnixNano) - BigInt(echo.startTimeUnixNano)).toBe(700_000_000n);
    expect(echo.status?.code ?? 0).toBe(0);
    // A JSON-RPC error, a tool error and an unanswered ping are errors with their error.type.
    const add = children[3]!;
    expect(attr(add, 'error.type')).toEqual({ stringValue: '-32602' });
    expect(attr(add, 'rpc.response.status_code')).toEqual({ stringValue: '-32602' });
    expect(add.status).toEqual({ code: 2, message: 'bad args' });
    expect(attr(children[4]!, 'error.type')).toEqual({ stringValue: 'unanswered' });
    expect(attr(children[5]!, 'error.type')).toEqual({ stringValue: 'tool_error' });
  });

  it('puts notifications and findings on the right spans as events, redacted', () => {
    const session = spans.find((s) => !s.parentSpanId)!;
    expect(session.events?.map((e) => e.name)).toContain('notifications/initialized');
    const config = spans.find((s) => s.name === 'tools/call config')!;
    const names = config.events?.map((e) => e.name) ?? [];
    expect(names).toContain('notifications/progress');
    const finding = config.events!.find((e) => e.name === 'mcpscope.finding');
    expect(finding, JSON.stringify(config.events)).toBeDefined();
    expect(attr(finding!, 'mcpscope.finding.rule')?.stringValue).toMatch(/aws|secret/i);
    expect(JSON.stringify(req)).not.toContain(AWS);
    // The resource URI attribute is redacted like the frame it comes from.
    const read = spans.find((s) => s.name === 'resources/read')!;
    expect(attr(read, 'mcp.resource.uri')?.stringValue).toMatch(
      /^https:\/\/files\.example\.com\/keys\/\[REDACTED:/,
    );
  });

  it('--no-redact keeps the recorded values', async () => {
    const raw = await exportOtlp(['--no-redact']);
    const read = raw.resourceSpans[0]!.scopeSpans[0]!.spans.find(
      (s) => s.name === 'resources/read',
    )!;
    expect(attr(read, 'mcp.resource.uri')).toEqual({
      stringValue: `https://files.example.com/keys/${AWS}`,
    });
  });
});

describe('export --format otlp --endpoint (OTLP/HTTP)', () => {
  const received: { path: string; type: string; body: string }[] = [];
  let status = 200;
  const server = createServer((rq: IncomingMessage, rs) => {
    const chunks: Buffer[] = [];
    rq.on('data', (c: Buffer) => chunks.push(c));
    rq.on('end', () => {
      received.push({
        path: rq.url ?? '',
        type: rq.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      rs.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('POSTs the same request to /v1/traces and writes nothing without --out', async () => {
    const r = await runCli(['export', file, '--format', 'otlp', '--endpoint', url], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`sent to ${url}/v1/traces`);
    expect(r.stderr).not.toContain('wrote');
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe('/v1/traces');
    expect(received[0]!.type).toMatch(/application\/json/);
    const sent = request.parse(JSON.parse(received[0]!.body));
    const written = await exportOtlp();
    const names = (q: Request) => q.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name);
    expect(names(sent)).toEqual(names(written));
    expect(received[0]!.body).not.toContain(AWS);
  }, 60_000);

  it('a long session is sent in batches of spans, one export request each', async () => {
    const c = makeSessionCapture('fedcba9876543210');
    c.frame('s2c', { jsonrpc: '2.0', id: 4, result: {} }); // the fixture's last request answered
    for (let id = 100; id < 400; id++) {
      c.frame('c2s', { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo' } });
      c.frame('s2c', { jsonrpc: '2.0', id, result: { content: [] } });
    }
    const long = join(dir, 'long.mcpscope.jsonl');
    writeFileSync(long, c.text());
    received.length = 0;
    const out = join(dir, 'long.otlp.json');
    const r = await runCli(['export', long, '--format', 'otlp', '--endpoint', url, '--out', out], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const batches = received.map((b) => request.parse(JSON.parse(b.body)));
    const ids = (q: Request) => q.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.spanId);
    expect(batches.length).toBe(2);
    for (const b of batches) expect(ids(b).length).toBeLessThanOrEqual(256);
    // Sent as the batch filled (exchanges only); the session span, known last, opens the last one.
    const names = (q: Request) => q.resourceSpans[0]!.scopeSpans[0]!.spans.map((x) => x.name);
    expect(names(batches[0]!)).toHaveLength(256);
    expect(names(batches[0]!)).not.toContain('mcp session fixture-server');
    expect(names(batches[1]!)[0]).toBe('mcp session fixture-server');
    // The file is one request with every span, the session's first; the batches hold the same.
    const written = request.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(ids(written)).toHaveLength(1 + 5 + 300);
    expect(batches.flatMap(ids).sort()).toEqual([...ids(written)].sort());
    expect(written.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe(
      'mcp session fixture-server',
    );
  }, 60_000);

  it('a collector that refuses the traces fails the export (exit 1)', async () => {
    status = 400;
    const r = await runCli(['export', file, '--format', 'otlp', '--endpoint', `${url}/v1/traces`], {
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/did not accept the traces/);
  }, 60_000);

  it('--endpoint goes with --format otlp only', async () => {
    const r = await runCli(['export', file, '--format', 'md', '--endpoint', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--endpoint goes with --format otlp/);
  });
});
