// `export --format vitest`: a standalone test file that replays a recorded session against the
// recorded server (or anything MCPSCOPE_TARGET names, `mcpscope mock` included) and asserts on
// the answers. One `it` per recorded request, in order, with the recorded answer written out
// as a readable literal; the shared runtime (vitest-runtime.ts) does transport, binding and
// reconciliation.

import { buildTimeline } from '../capture/timeline.js';
import type { EventRecord, HeaderRecord } from '../capture/types.js';
import type { Message } from '../protocol/messages.js';
import { VITEST_RUNTIME } from './vitest-runtime.js';

export interface VitestExportInput {
  file: string;
  header: HeaderRecord;
  records: readonly EventRecord[];
  tool: string;
}

export class VitestExportError extends Error {}

interface Step {
  seq: number;
  method: string;
  params?: unknown;
  /** Absent on notifications. */
  answer?: unknown;
}

// A key named "__proto__" in an object literal would set the prototype: write it as a computed key.
const lit = (v: unknown, indent = 4) =>
  JSON.stringify(v, null, 2)
    .replace(/"__proto__":/g, '["__proto__"]:')
    .replace(/\n/g, `\n${' '.repeat(indent)}`);
/** A string literal for a test name or comment: JSON-quoted, no line terminators or backticks. */
const quote = (s: string) =>
  JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
const comment = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/\*\//g, '*\\/');

function answerOf(m: Message | undefined): unknown {
  if (!m) return undefined;
  return m.parsed.kind === 'error' ? { error: m.parsed.error } : { result: m.parsed.result };
}

function targetOf(header: HeaderRecord): object {
  const s = header.source;
  if ((s.transport === 'stdio' || s.transport === 'client') && s.command && s.command.length > 0) {
    return s.cwd !== undefined
      ? { kind: 'stdio', command: s.command, cwd: s.cwd }
      : { kind: 'stdio', command: s.command };
  }
  if (s.url !== undefined)
    return { kind: 'http', url: s.url, ...(s.transport === 'sse' ? { sse: true } : {}) };
  throw new VitestExportError(
    'the capture does not say how to start its server (no command or URL in its header); set MCPSCOPE_TARGET when running the test.',
  );
}

export function renderVitest(input: VitestExportInput): string {
  const { header } = input;
  // Client-mode captures may hold several connections: replay the first one.
  const firstConn = input.records.find((r) => r.type === 'frame')?.conn;
  const records = input.records.filter((r) => r.type !== 'frame' || r.conn === firstConn);
  const tl = buildTimeline({ header, records: [...records], problems: [], closed: true });
  const { index } = tl;
  let init: Step | undefined;
  const steps: Step[] = [];
  const serverAnswers: { method: string; response: unknown }[] = [];
  for (const m of index.messages) {
    const p = m.parsed;
    if (m.dir === 'c2s' && p.kind === 'request' && p.method !== undefined) {
      const answer = answerOf(m.pair !== undefined ? index.get(m.pair) : undefined);
      const step: Step = {
        seq: m.seq,
        method: p.method,
        ...(p.params !== undefined ? { params: p.params } : {}),
        ...(answer !== undefined ? { answer } : {}),
      };
      if (p.method === 'initialize' && !init) init = step;
      else if (answer !== undefined) steps.push(step);
    } else if (
      m.dir === 'c2s' &&
      p.kind === 'notification' &&
      p.method !== undefined &&
      !/^notifications\/(?:initialized|cancelled|progress)$/.test(p.method)
    ) {
      steps.push({
        seq: m.seq,
        method: p.method,
        ...(p.params !== undefined ? { params: p.params } : {}),
      });
    } else if (
      m.dir === 's2c' &&
      p.kind === 'request' &&
      p.method !== undefined &&
      m.pair !== undefined
    ) {
      serverAnswers.push({ method: p.method, response: answerOf(index.get(m.pair)) });
    }
  }
  if (!init || init.answer === undefined)
    throw new VitestExportError(
      'the capture has no answered initialize request, so there is no session to replay. Record from the start of a session.',
    );
  const target = targetOf(header);
  const server = tl.session.handshake.serverInfo?.name ?? header.source.name ?? 'server';
  const name = input.file.replace(/^.*[\\/]/, '');

  const its = steps.map((s) => {
    const title = quote(
      `seq ${s.seq}: ${s.method}${s.method === 'tools/call' && isRecord(s.params) && typeof s.params.name === 'string' ? ` ${s.params.name}` : ''}`,
    );
    if (s.answer === undefined) {
      return `  it(${title}, async () => {\n    await s.notify(${quote(s.method)}, bind(${s.params === undefined ? 'undefined' : lit(s.params)}));\n  });`;
    }
    return `  it(${title}, async () => {
    const live = answerOf(await s.request(${quote(s.method)}, bind(${s.params === undefined ? 'undefined' : lit(s.params)})));
    const recorded = ${lit(s.answer)};
    learn(recorded, live);
    expect(live).toEqual(reconcile(bind(recorded), live));
  }, 60_000);`;
  });

  return `// Generated by ${comment(input.tool)} from ${comment(name)}
// (capture ${comment(header.id)}${header.redaction ? `, a redacted copy of ${comment(header.redaction.fromId)}` : ''}). Replays the recorded session and checks every answer.
//
// Run:     npx vitest run <this file>
// Target:  the recorded server by default. To test something else set MCPSCOPE_TARGET to a URL
//          (Streamable HTTP) or a JSON array command, e.g. the recording itself:
//          MCPSCOPE_TARGET='["npx","mcpscope","mock","${comment(name)}"]' npx vitest run <this file>
// Differences that are allowed: values the server generates (ids, cursors, URIs) are bound
// recorded -> live; timestamps; [REDACTED:...] placeholders; pointers listed in IGNORE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const RECORDED_TARGET = ${lit(target, 0)};
/** JSON pointers into answers that may differ run to run (e.g. '/result/content/0/text'). */
const IGNORE: string[] = [];
/** The recording's answers to the server's own requests (sampling, elicitation, roots), by method, in order. */
const SERVER_ANSWERS: { method: string; response: any }[] = ${lit(serverAnswers, 0)};
${VITEST_RUNTIME}
describe(${quote(`replay of ${server} (${name})`)}, () => {
  const s = new Session();
  beforeAll(() => s.open(), 60_000);
  afterAll(() => s.close());

  it('initialize', async () => {
    const live = answerOf(await s.request('initialize', ${lit(init.params ?? {})}));
    const recorded = ${lit(init.answer)};
    learn(recorded, live);
    expect(live).toEqual(reconcile(bind(recorded), live));
    await s.notify('notifications/initialized', undefined);
  }, 60_000);

${its.join('\n\n')}
});
`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
