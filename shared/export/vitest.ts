// `export --format vitest`: a standalone test file that replays a recorded session against the
// recorded server (or anything MCPSCOPE_TARGET names, `mcpscope mock` included) and asserts on
// the answers. One `it` per recorded request, in order, with the recorded answer written out
// as a readable literal; the shared runtime (vitest-runtime.ts) does transport, binding and
// reconciliation. Streamed: VitestBuilder takes one record at a time and writes each `it` once its
// request is answered (in request order); renderVitest is the whole-capture wrapper over it.

import { frameInput } from '../capture/frames.js';
import type { EventRecord, HeaderRecord } from '../capture/types.js';
import { MessageIndex, type Message } from '../protocol/messages.js';
import { SessionModel } from '../protocol/session.js';
import { InOrder } from './in-order.js';
import { slim } from './slim.js';
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

/** Steps held at most while an earlier request waits for its answer, and their frames' text. */
export const VITEST_MAX_HELD = 10_000;
export const VITEST_MAX_HELD_CHARS = 32 * 1024 * 1024;

type Held =
  | { kind: 'step'; step: Step }
  | { kind: 'server'; method: string; response?: unknown; answered: boolean };

const frameChars = (r: EventRecord) =>
  r.type === 'frame' ? (r.text?.length ?? r.b64?.length ?? 0) : 0;

function itOf(s: Step): string {
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
}

/** One element of SERVER_ANSWERS as it stands inside the array literal. */
const serverAnswerText = (a: { method: string; response: unknown }) => `  ${lit(a, 2)}`;

/** The file's text around the streamed parts: head, [server answers], middle, [its], tail. */
export interface VitestFrame {
  head: string;
  middle: string;
  tail: string;
}

/**
 * The test file built one record at a time. `onServerAnswer` gets each element of SERVER_ANSWERS
 * and `onCase` each `it` (with the separator before it), as soon as its request is answered and
 * every earlier one has been written; `finish()` returns the text around them (the header needs
 * the handshake and the server's answers, so the caller writes the parts out in order). Held: the
 * steps behind an unanswered request, at most VITEST_MAX_HELD of them and VITEST_MAX_HELD_CHARS
 * of their frames' text — past that the oldest request is dropped as unanswered (as an unanswered
 * request always is), so a server that never answers cannot grow memory.
 */
export class VitestBuilder {
  private readonly index = new MessageIndex();
  private readonly hs: SessionModel;
  private readonly queue: InOrder<Held>;
  private init: Step | undefined;
  private initMid: number | undefined;
  private firstConn: string | undefined;
  private seenFrame = false;
  private cases = 0;
  private answers = 0;

  constructor(
    private readonly input: Omit<VitestExportInput, 'records'>,
    private readonly onCase: (text: string) => void,
    private readonly onServerAnswer: (text: string) => void,
  ) {
    this.hs = new SessionModel((mid) => this.index.get(mid));
    this.queue = new InOrder(
      (h, done) => this.release(h, done),
      VITEST_MAX_HELD,
      VITEST_MAX_HELD_CHARS,
    );
  }

  add(r: EventRecord): void {
    if (r.type !== 'frame') return;
    // Client-mode captures may hold several connections: replay the first one.
    if (!this.seenFrame) {
      this.seenFrame = true;
      this.firstConn = r.conn;
    }
    if (r.conn !== this.firstConn) return;
    const size = frameChars(r);
    for (const m of this.index.add(frameInput(r))) {
      this.hs.add(m);
      this.message(m, size);
      slim(m);
    }
  }

  private message(m: Message, size: number): void {
    const p = m.parsed;
    if (m.dir === 'c2s' && p.kind === 'request' && p.method !== undefined) {
      const step: Step = {
        seq: m.seq,
        method: p.method,
        ...(p.params !== undefined ? { params: p.params } : {}),
      };
      if (p.method === 'initialize' && !this.init) {
        this.init = step;
        this.initMid = m.mid;
      } else this.queue.add(m.mid, { kind: 'step', step }, size);
    } else if (
      m.dir === 'c2s' &&
      p.kind === 'notification' &&
      p.method !== undefined &&
      !/^notifications\/(?:initialized|cancelled|progress)$/.test(p.method)
    ) {
      const step: Step = {
        seq: m.seq,
        method: p.method,
        ...(p.params !== undefined ? { params: p.params } : {}),
      };
      this.queue.add(m.mid, { kind: 'step', step }, size, true);
    } else if (m.dir === 's2c' && p.kind === 'request' && p.method !== undefined) {
      this.queue.add(m.mid, { kind: 'server', method: p.method, answered: false }, size);
    } else if ((p.kind === 'response' || p.kind === 'error') && m.pair !== undefined) {
      const answer = answerOf(m);
      if (m.pair === this.initMid && this.init) {
        if (answer !== undefined) this.init.answer = answer;
        return;
      }
      const h = this.queue.get(m.pair);
      if (!h) return;
      if (h.kind === 'step') {
        if (answer !== undefined) h.step.answer = answer;
      } else {
        h.response = answer;
        h.answered = true;
      }
      this.queue.grow(m.pair, size);
      this.queue.complete(m.pair);
    }
  }

  private release(h: Held, done: boolean): void {
    if (h.kind === 'server') {
      if (h.answered) {
        const text = serverAnswerText({ method: h.method, response: h.response });
        this.onServerAnswer(`${this.answers++ === 0 ? '' : ',\n'}${text}`);
      }
      return;
    }
    // A request without an answer has nothing to check: it is left out.
    if (!done && h.step.answer === undefined) return;
    this.onCase(`${this.cases++ === 0 ? '' : '\n\n'}${itOf(h.step)}`);
  }

  /** How many server answers were written (SERVER_ANSWERS is `[]` when none). */
  get serverAnswers(): number {
    return this.answers;
  }

  /** The end of the capture: the steps still held, then the text around the streamed parts. */
  finish(): VitestFrame {
    this.queue.finish();
    const { input } = this;
    const { header } = input;
    const init = this.init;
    if (!init || init.answer === undefined)
      throw new VitestExportError(
        'the capture has no answered initialize request, so there is no session to replay. Record from the start of a session.',
      );
    const target = targetOf(header);
    const server = this.hs.handshake.serverInfo?.name ?? header.source.name ?? 'server';
    const name = input.file.replace(/^.*[\\/]/, '');
    const head = `// Generated by ${comment(input.tool)} from ${comment(name)}
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
const SERVER_ANSWERS: { method: string; response: any }[] = `;
    const middle = `;
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

`;
    return { head, middle, tail: '\n});\n' };
  }
}

/** The whole test file of a read capture at once. */
export function renderVitest(input: VitestExportInput): string {
  const cases: string[] = [];
  const answers: string[] = [];
  const b = new VitestBuilder(
    input,
    (t) => cases.push(t),
    (t) => answers.push(t),
  );
  for (const r of input.records) b.add(r);
  const f = b.finish();
  const list = answers.length > 0 ? `[\n${answers.join('')}\n]` : '[]';
  return `${f.head}${list}${f.middle}${cases.join('')}${f.tail}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
