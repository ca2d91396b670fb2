// Runs cases against the server and turns what happens into verdicts: the tool-call oracles,
// timeouts (then a notifications/cancelled), crashes (the process is restarted and the handshake
// redone), and stray output. Pipelined calls share the wire; `alone` runs one case with nothing
// else in flight, followed by a ping, so everything the server writes is blamed on that case.

import { idKey } from '../../../shared/protocol/jsonrpc.js';
import {
  judgeToolAnswer,
  toolCallLine,
  toolCaseId,
  type FuzzCase,
  type FuzzTool,
  type SchemaCheck,
  type FramingCase,
  type ProtocolCase,
  type ToolCase,
  type Verdict,
} from '../../../shared/fuzz/index.js';
import type { CaptureWriter } from '../capture/writer.js';
import { HttpLink, recordTo, StdioLink, type FuzzLink, type FuzzTarget } from './link.js';
import { SseLink } from './link-sse.js';
import { Wire, type Answer } from './wire.js';

const PROTOCOL_VERSION = '2025-06-18';

export interface ExecutorOptions {
  target: FuzzTarget;
  writer: CaptureWriter | undefined;
  timeoutMs: number;
  check: SchemaCheck;
}

export class Executor {
  readonly wire = new Wire();
  private link: FuzzLink | undefined;
  private runs = 0;
  private seq = 0;
  restarts = 0;
  tools = new Map<string, FuzzTool>();
  /** Strays while one case runs alone. */
  private solo: Verdict[] | undefined;
  /** Strays with no case to blame yet (pipelined): handed to the campaign. */
  onStray: (v: Verdict, text: string, key?: string) => void = () => undefined;

  constructor(private readonly o: ExecutorOptions) {
    this.wire.onStray = (v, text, key) => {
      if (this.solo) this.solo.push(v);
      else this.onStray(v, text, key);
    };
  }

  get down(): boolean {
    return this.wire.downWhy !== undefined;
  }

  get stderrTail(): string[] {
    return this.link?.stderrTail ?? [];
  }

  /** Start (or restart) the server and open the link; no handshake. */
  async open(): Promise<void> {
    if (this.link) {
      await this.link.close();
      this.restarts++;
    }
    this.runs++;
    const rec = this.o.writer ? recordTo(this.o.writer, `run${this.runs}`) : () => undefined;
    const events = {
      line: (t: string | undefined, s: string) => this.wire.onLine(t, s),
      down: (why: string) => this.wire.onDown(why),
    };
    const link =
      this.o.target.transport === 'stdio'
        ? new StdioLink(this.o.target, rec, events)
        : this.o.target.transport === 'sse'
          ? new SseLink(this.o.target, rec, events)
          : new HttpLink(this.o.target, rec, events);
    this.link = link;
    this.wire.attach(link);
    await link.start();
  }

  get framing(): boolean {
    return this.link?.framing ?? false;
  }

  private nextKey(prefix: string): { id: string; key: string } {
    const id = `${prefix}-${++this.seq}`;
    return { id, key: idKey(id) };
  }

  async handshake(): Promise<void> {
    const { id, key } = this.nextKey('init');
    const a = await this.wire.request(
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'initialize',
        params: {
          protocolVersion: PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: 'mcpscope-fuzz', version: '1' },
        },
      }),
      key,
      Math.max(this.o.timeoutMs, 10_000),
    );
    if (a.kind !== 'answer' || a.msg.kind !== 'response')
      throw new Error(
        `the server did not complete initialize (${describe(a)})${this.tailText()}${
          this.o.target.transport === 'streamable-http'
            ? '; if it is a legacy HTTP+SSE server (2024-11-05), add --sse'
            : ''
        }`,
      );
    this.link!.sendLine(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  }

  async listTools(): Promise<FuzzTool[]> {
    const out: FuzzTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const { id, key } = this.nextKey('list');
      const a = await this.wire.request(
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/list',
          ...(cursor ? { params: { cursor } } : {}),
        }),
        key,
        Math.max(this.o.timeoutMs, 10_000),
      );
      if (a.kind !== 'answer' || a.msg.kind !== 'response')
        throw new Error(`tools/list failed (${describe(a)})`);
      const r = a.msg.result as { tools?: unknown; nextCursor?: unknown } | undefined;
      for (const t of Array.isArray(r?.tools) ? r.tools : []) {
        if (
          typeof t !== 'object' ||
          t === null ||
          typeof (t as { name?: unknown }).name !== 'string'
        )
          continue;
        const x = t as {
          name: string;
          inputSchema?: unknown;
          outputSchema?: unknown;
          annotations?: { readOnlyHint?: unknown; destructiveHint?: unknown };
        };
        const isObj = (v: unknown): v is Record<string, unknown> =>
          typeof v === 'object' && v !== null && !Array.isArray(v);
        const tool: FuzzTool = { name: x.name };
        if (isObj(x.inputSchema)) tool.inputSchema = x.inputSchema;
        if (isObj(x.outputSchema)) tool.outputSchema = x.outputSchema;
        if (x.annotations?.readOnlyHint === true) tool.readOnlyHint = true;
        if (x.annotations?.destructiveHint === true) tool.destructiveHint = true;
        out.push(tool);
      }
      cursor = typeof r?.nextCursor === 'string' && r.nextCursor !== '' ? r.nextCursor : undefined;
      if (!cursor) break;
    }
    this.tools = new Map(out.map((t) => [t.name, t]));
    return out;
  }

  /** Restart after a crash: new process (or HTTP session) and a fresh handshake. */
  async recover(): Promise<void> {
    await this.open();
    await this.handshake();
  }

  private tailText(): string {
    const t = this.stderrTail.slice(-5).join('\n');
    return t ? `; stderr: ${t}` : '';
  }

  private crashVerdict(why: string): Verdict {
    return { kind: 'crash', sig: 'exit', evidence: `${why}${this.tailText()}` };
  }

  /** One tools/call; resolves with its verdicts, or `down` when the server went away meanwhile. */
  async callTool(
    c: ToolCase,
    args: unknown = c.args,
    id: number | string = toolCaseId(c.index),
  ): Promise<Verdict[] | 'down'> {
    const line = toolCallLine(id, c.tool, args);
    const key = idKey(id);
    const a = await this.wire.request(line, key, this.o.timeoutMs);
    if (a.kind === 'down') return 'down';
    if (a.kind === 'timeout') {
      this.link?.sendLine(
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: id, reason: 'mcpscope fuzz: timeout' },
        }),
      );
      return [
        {
          kind: 'timeout',
          sig: 'no-answer',
          evidence: `no answer to tools/call within ${this.o.timeoutMs} ms (cancelled)`,
        },
      ];
    }
    if (a.msg.kind !== 'response' && a.msg.kind !== 'error') return [];
    const tool = this.tools.get(c.tool) ?? { name: c.tool };
    const inputInvalid = tool.inputSchema ? this.o.check(tool.inputSchema, args) : undefined;
    return judgeToolAnswer({
      tool,
      request: line,
      response: a.text,
      message: a.msg,
      inputInvalid,
      check: this.o.check,
    });
  }

  /**
   * A protocol case among others in flight: its ids are unique to it, so answers find their case.
   * The ids it may get answers to stay allowed for the rest of this server's life (late answers).
   */
  async protocol(c: ProtocolCase | FramingCase): Promise<Verdict[] | 'down'> {
    this.wire.allow([...c.mayAnswer, ...c.mustAnswer]);
    const waits = c.mustAnswer.map((k) => this.wire.expect(k, this.o.timeoutMs));
    // One write keeps a one-chunk framing case whole among the other pipelined lines.
    if (c.family === 'protocol') for (const l of c.lines) this.link?.sendLine(l);
    else void this.link?.sendChunks(c.chunks.map((ch) => Buffer.from(ch, 'latin1')));
    const out: Verdict[] = [];
    for (const [i, a] of (await Promise.all(waits)).entries()) {
      if (a.kind === 'down') return 'down';
      if (a.kind === 'timeout')
        out.push({
          kind: 'timeout',
          sig: 'no-answer',
          evidence: `no answer to request ${c.mustAnswer[i]!.slice(2)} within ${this.o.timeoutMs} ms`,
        });
    }
    return out;
  }

  /** A protocol or framing case: send, wait for what must be answered, then a ping. */
  private async serial(c: Exclude<FuzzCase, ToolCase>): Promise<Verdict[]> {
    const out: Verdict[] = [];
    this.wire.allow([...c.mayAnswer, ...c.mustAnswer]);
    const waits = c.mustAnswer.map((k) => this.wire.expect(k, this.o.timeoutMs));
    if (c.family === 'protocol') for (const l of c.lines) this.link?.sendLine(l);
    else await this.link?.sendChunks(c.chunks.map((ch) => Buffer.from(ch, 'latin1')));
    const answers = await Promise.all(waits);
    for (const [i, a] of answers.entries()) {
      if (a.kind === 'down') return [...out, this.crashVerdict(a.why)];
      if (a.kind === 'timeout')
        out.push({
          kind: 'timeout',
          sig: 'no-answer',
          evidence: `no answer to request ${c.mustAnswer[i]!.slice(2)} within ${this.o.timeoutMs} ms`,
        });
    }
    const ping = await this.ping();
    this.wire.disallow([...c.mayAnswer, ...c.mustAnswer]);
    if (ping.kind === 'down') out.push(this.crashVerdict(ping.why));
    else if (ping.kind === 'timeout')
      out.push({
        kind: 'timeout',
        sig: 'unresponsive',
        evidence: `the server stopped answering ping after this case (${this.o.timeoutMs} ms)`,
      });
    return out;
  }

  /** A ping with nothing blamed on it: whatever the server wrote before is read by its answer. */
  async sync(): Promise<void> {
    await this.ping();
  }

  private ping(): Promise<Answer> {
    const { id, key } = this.nextKey('sync');
    return this.wire.request(
      JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' }),
      key,
      this.o.timeoutMs,
    );
  }

  /**
   * Run one case with nothing else in flight and blame everything on it. A crash restarts the
   * server before returning, so the next case finds it ready.
   */
  async alone(c: FuzzCase, args?: unknown): Promise<Verdict[]> {
    if (this.down) await this.recover();
    const solo: Verdict[] = [];
    this.solo = solo;
    let out: Verdict[];
    try {
      if (c.family === 'tools') {
        const r = await this.callTool(c, args ?? c.args, `alone-${++this.seq}`);
        if (r === 'down') out = [this.crashVerdict(this.wire.downWhy ?? 'the server went away')];
        else {
          out = r;
          const p = await this.ping();
          if (p.kind === 'down') out.push(this.crashVerdict(p.why));
        }
      } else out = await this.serial(c);
    } finally {
      this.solo = undefined;
    }
    if (this.down) await this.recover();
    return [...out, ...solo];
  }

  async close(): Promise<void> {
    this.wire.dispose();
    await this.link?.close();
  }
}

function describe(a: Answer): string {
  if (a.kind === 'timeout') return 'no answer in time';
  if (a.kind === 'down') return a.why;
  return a.msg.kind === 'error'
    ? `error ${a.msg.error?.code}: ${a.msg.error?.message}`
    : 'unexpected answer';
}
