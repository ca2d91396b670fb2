// `export --format otlp` checked against the official opentelemetry-proto messages, not a copy of
// them: the protobufjs root generated from opentelemetry-proto (shipped by
// @opentelemetry/otlp-transformer 0.208, installed as the dev dependency `otlp-proto-root`).
// Our OTLP/JSON is read with the protobuf JSON mapping rules (hex trace/span ids → bytes, int64
// as decimal strings, enums as integers, lowerCamelCase names) into ExportTraceServiceRequest
// (fromObject + verify), encoded to protobuf binary, decoded again, and every field we wrote must
// come back with the same value under the same name (so no unknown or misnamed field, no wrong
// type, nothing lost).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ROOT, scratchDir } from '../helpers/paths.js';

interface ProtoMessage {
  fromObject(o: unknown): object;
  verify(m: unknown): string | null;
  encode(m: object): { finish(): Uint8Array };
  decode(b: Uint8Array): object;
  toObject(m: object, o: object): Record<string, unknown>;
}
const require = createRequire(import.meta.url);
const root = require('otlp-proto-root/build/src/generated/root.js') as {
  opentelemetry: {
    proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtoMessage } } } };
  };
};
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
const HEX = /^(?:[0-9a-f]{2})*$/;

/** OTLP/JSON → the protobuf JSON form protobufjs reads: ids are hex in OTLP, bytes in protobuf. */
function toProtoJson(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => toProtoJson(x));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toProtoJson(x, k)]),
    );
  if (ID_FIELDS.has(key)) {
    if (typeof v !== 'string' || !HEX.test(v))
      throw new Error(`${key} is not lower-case hex: ${String(v)}`);
    return Buffer.from(v, 'hex');
  }
  return v;
}

/** Every field of `ours` is in `theirs` (the decoded message, defaults included) with the same value. */
function expectWithin(ours: unknown, theirs: unknown, path: string): void {
  if (Array.isArray(ours)) {
    expect(Array.isArray(theirs), `${path} is a repeated field`).toBe(true);
    const t = theirs as unknown[];
    expect(t.length, `${path} length`).toBe(ours.length);
    ours.forEach((x, i) => expectWithin(x, t[i], `${path}[${i}]`));
    return;
  }
  if (ours !== null && typeof ours === 'object') {
    expect(theirs !== null && typeof theirs === 'object', `${path} is a message`).toBe(true);
    const t = theirs as Record<string, unknown>;
    for (const [k, x] of Object.entries(ours as Record<string, unknown>)) {
      expect(Object.hasOwn(t, k), `${path}.${k} is a field of the proto message`).toBe(true);
      expectWithin(x, t[k], `${path}.${k}`);
    }
    return;
  }
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (ID_FIELDS.has(key)) {
    expect(Buffer.from(theirs as string, 'base64').toString('hex'), path).toBe(ours);
    return;
  }
  // int64/fixed64: a decimal string in proto3 JSON (a number is accepted on input).
  if (typeof theirs === 'string' && typeof ours === 'number') {
    expect(theirs, path).toBe(String(ours));
    return;
  }
  expect(theirs, path).toEqual(ours);
}

describe('export --format otlp against opentelemetry-proto', () => {
  const dir = scratchDir('mcpscope-otlp-proto-');
  let json: Record<string, unknown>;

  beforeAll(async () => {
    const out = join(dir, 'golden.otlp.json');
    const r = await runCli(
      [
        'export',
        join(ROOT, 'test/fixtures/export/golden.mcpscope.jsonl'),
        '--format',
        'otlp',
        '--out',
        out,
      ],
      { env: { MCPSCOPE_HOME: join(dir, 'home') } },
    );
    expect(r.code, r.stderr).toBe(0);
    json = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  });

  it('is an ExportTraceServiceRequest: fromObject + verify accept it', () => {
    const message = Request.fromObject(toProtoJson(json));
    expect(Request.verify(message)).toBeNull();
    const spans = (
      json.resourceSpans as { scopeSpans: { spans: { name: string; events?: unknown[] }[] }[] }[]
    )[0]!.scopeSpans[0]!.spans;
    // The fixture's session: one session span and 13 exchanges, findings as events.
    expect(spans.length).toBe(14);
    expect(spans.map((s) => s.name)).toContain('tools/call lookup');
    expect(spans.some((s) => (s.events ?? []).length > 0)).toBe(true);
  });

  it('survives protobuf binary and back with every field, name and value unchanged', () => {
    const bytes = Request.encode(Request.fromObject(toProtoJson(json))).finish();
    expect(bytes.length).toBeGreaterThan(1000);
    const back = Request.toObject(Request.decode(bytes), {
      longs: String,
      enums: Number,
      bytes: String,
      defaults: true,
      arrays: true,
    });
    expectWithin(json, back, 'ExportTraceServiceRequest');
  });

  it('a misnamed field or a bad id is caught (the check can fail)', () => {
    const bad = structuredClone(json) as {
      resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const span = bad.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    span.start_time = span.startTimeUnixNano;
    const back = Request.toObject(
      Request.decode(Request.encode(Request.fromObject(toProtoJson(bad))).finish()),
      {
        longs: String,
        enums: Number,
        bytes: String,
        defaults: true,
        arrays: true,
      },
    );
    expect(() => expectWithin(bad, back, 'req')).toThrow(/start_time is a field/);
    span.traceId = 'not-hex';
    expect(() => toProtoJson(bad)).toThrow(/traceId is not lower-case hex/);
  });
});
