// Load driver for a stdio server: pipelined JSON-RPC lines on stdin, answers matched by id on
// stdout. Writes are batched per generator tick; stdout is split into lines without a framer
// object per line, so a trivial server can be driven at tens of thousands of requests a second.

import type { ChildProcess } from 'node:child_process';
import {
  classify,
  requestLine,
  SetupError,
  type LoadDriver,
  type OutcomeSink,
  type SetupFrame,
} from './driver.js';
import type { StdioTarget } from '../../../shared/target.js';
import { describeSpawnError, spawnStdioTarget } from '../spawn.js';
import { handshake, PendingCalls } from './setup.js';

export class StdioLoadDriver implements LoadDriver {
  readonly transport = 'stdio' as const;
  sink: OutcomeSink = { outcome: () => undefined, dead: () => undefined };
  private child: ChildProcess | undefined;
  private rest = '';
  private errRest = '';
  private frames: ((f: SetupFrame) => void) | undefined;
  private readonly calls = new PendingCalls();
  private exited: string | undefined;
  /** How the server process ended, once it has. */
  exitStatus: { code: number | null; signal: string | null } | undefined;
  private closing = false;
  readonly stderrTail: string[] = [];

  constructor(private readonly target: StdioTarget) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async open(frames: (f: SetupFrame) => void, timeoutMs: number): Promise<void> {
    this.frames = frames;
    const { command } = this.target;
    const child = spawnStdioTarget(this.target);
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(new SetupError(describeSpawnError(command, e))),
      );
    });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => this.onStderr(chunk));
    child.stdin!.on('error', () => undefined); // EPIPE when it dies: reported through 'close'.
    child.on('close', (code, signal) => {
      this.exited = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.exitStatus = { code, signal };
      this.calls.failAll(new SetupError(`the server ${this.exited}${this.tailText()}`));
      if (!this.closing) this.sink.dead(this.exited);
    });
    await handshake(this, timeoutMs);
  }

  private tailText(): string {
    return this.stderrTail.length
      ? `. Last lines of its stderr:\n${this.stderrTail.map((l) => `  ${l}`).join('\n')}`
      : '';
  }

  call(
    method: string,
    params: Record<string, unknown> | undefined,
    timeoutMs: number,
  ): Promise<unknown> {
    if (this.exited)
      return Promise.reject(new SetupError(`the server ${this.exited}${this.tailText()}`));
    const { id, promise } = this.calls.open(method, timeoutMs);
    const text = requestLine(method, params)(id);
    this.frames?.({ dir: 'c2s', text });
    this.child!.stdin!.write(`${text}\n`);
    return promise;
  }

  notify(method: string): void {
    const text = JSON.stringify({ jsonrpc: '2.0', method });
    this.frames?.({ dir: 'c2s', text });
    this.child!.stdin!.write(`${text}\n`);
  }

  send(lines: string[]): void {
    if (this.exited || lines.length === 0) return;
    this.child!.stdin!.write(`${lines.join('\n')}\n`);
  }

  abandon(): void {
    // Nothing to abort on a pipe; a late answer is ignored by the engine.
  }

  private onData(chunk: string): void {
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      this.rest += chunk;
      return;
    }
    let first = true;
    while (nl >= 0) {
      let line = chunk.slice(start, nl);
      if (first && this.rest) {
        line = this.rest + line;
        this.rest = '';
      }
      first = false;
      this.onLine(line);
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    this.rest = chunk.slice(start);
  }

  private onLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length === 0) return;
    let msg: { id?: unknown; method?: unknown; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return; // Not JSON-RPC (a log line on stdout): not an answer to anything.
    }
    if (msg === null || typeof msg !== 'object') return;
    const id = msg.id;
    if (typeof msg.method === 'string') {
      this.frames?.({ dir: 's2c', text: line });
      // A server→client request: we declared no capabilities, so refuse it politely.
      if (id !== undefined && id !== null)
        this.child!.stdin!.write(
          `${JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32601, message: 'mcpscope load does not answer server requests' } })}\n`,
        );
      return;
    }
    if (typeof id === 'number') this.sink.outcome(id, classify(msg), line);
    else if (typeof id === 'string') {
      this.frames?.({ dir: 's2c', text: line });
      this.calls.settle(id, msg);
    }
  }

  private onStderr(chunk: string): void {
    const parts = (this.errRest + chunk).split('\n');
    this.errRest = parts.pop() ?? '';
    for (const l of parts) {
      this.stderrTail.push(l);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
      this.sink.stderr?.(l);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (!child || this.exited) return;
    const done = new Promise<void>((r) => child.once('close', () => r()));
    child.stdin!.end();
    const t1 = setTimeout(() => child.kill('SIGTERM'), 2000);
    const t2 = setTimeout(() => child.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(t1);
    clearTimeout(t2);
  }
}
