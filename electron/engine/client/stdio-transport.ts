// An SDK Transport over a child process's stdio that frames and records the wire itself: each
// stdout line is recorded byte-exact (LineFramer) before it is parsed, each line written to
// stdin is recorded before it is written, stderr is recorded line by line and its tail kept for
// error messages. Unlike the SDK's StdioClientTransport it can also write raw text as typed.

import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ChildProcess } from 'node:child_process';
import { describeSpawnError, spawnProcess as spawn } from '../spawn.js';
import { LineFramer, spawnRecord, type Frame } from '../../../shared/capture/index.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { toPayload } from '../record/payload.js';
import { ConnectError } from './errors.js';
import type { ConnRecorder } from './recorder.js';
import type { StdioTarget } from './types.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class RecordedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly out = new LineFramer();
  private readonly err = new LineFramer();
  private readonly tail: string[] = [];
  private closed = false;
  private started = false;
  private finished = false;
  private exitPromise: Promise<ExitInfo> | undefined;
  exit: ExitInfo | undefined;
  /** The first stdout lines that were not JSON-RPC (logs on the wrong stream), and how many there were. */
  private readonly noise: string[] = [];
  noiseCount = 0;
  /** Called on every stdout line that is not JSON-RPC (Connection.open fails fast on them). */
  onNoise?: () => void;

  constructor(
    private readonly target: StdioTarget,
    private readonly rec: ConnRecorder,
    private readonly tailLines = 20,
  ) {}

  /** The first lines (up to 5, 200 chars each) the server wrote to stdout that were not JSON-RPC. */
  get stdoutNoise(): string[] {
    return [...this.noise];
  }

  private noteNoise(text: string): void {
    this.noiseCount++;
    if (this.noise.length < 5) this.noise.push(text.length > 200 ? `${text.slice(0, 200)}…` : text);
    this.onNoise?.();
  }

  /** Last lines the server wrote to stderr. */
  get stderrTail(): string[] {
    return [...this.tail];
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    const { command, args = [], env, cwd, inheritEnv } = this.target;
    // A server being inspected or scanned may be untrusted: it gets HOME, PATH and the like (the
    // SDK's default), plus what the user set explicitly, not every token in mcpscope's environment.
    const base = inheritEnv ? process.env : getDefaultEnvironment();
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(command, args, {
          stdio: ['pipe', 'pipe', 'pipe'],
          env: { ...base, ...env },
          cwd,
          windowsHide: true,
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const message = describeSpawnError(command, err);
        this.rec.error('spawn', message, err.code ? { code: err.code } : {});
        reject(new ConnectError(message));
        return;
      }
      this.child = child;
      this.exitPromise = new Promise((done) => {
        child.on('close', (code, signal) => {
          this.flush();
          if (!this.started) return;
          this.exit = { code, signal };
          this.rec.append({ type: 'exit', code, signal });
          done(this.exit);
          this.finish();
        });
      });
      child.on('spawn', () => {
        this.started = true;
        this.rec.append(spawnRecord(command, args, child.pid, cwd ?? process.cwd()));
        resolve();
      });
      child.on('error', (e: NodeJS.ErrnoException) => {
        if (this.started) {
          this.rec.error('server-process', e.message, e.code ? { code: e.code } : {});
          this.onerror?.(e);
          return;
        }
        const message = describeSpawnError(command, e);
        this.rec.error('spawn', message, e.code ? { code: e.code } : {});
        this.closed = true;
        reject(new ConnectError(message));
      });
      child.stdout!.on('data', (chunk: Buffer) => this.onStdout(this.out.push(chunk)));
      child.stderr!.on('data', (chunk: Buffer) => this.onStderr(this.err.push(chunk)));
      child.stdin!.on('error', (e: NodeJS.ErrnoException) => {
        // The server closed its stdin (usually: it is exiting); the exit record tells the rest.
        this.rec.error('server-stdin', e.message, e.code ? { code: e.code } : {});
      });
    });
  }

  private onStdout(frames: Frame[], eol = true): void {
    for (const f of frames) {
      const payload = toPayload(f, eol);
      this.rec.frame('s2c', 'stdio', payload);
      this.deliver(payload.text);
    }
  }

  private deliver(text: string | undefined): void {
    if (text === undefined) {
      this.onerror?.(new Error('server wrote a line that is not valid UTF-8 (recorded as base64)'));
      return;
    }
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.noteNoise(text);
      this.onerror?.(
        new Error(
          `server wrote a line that is not JSON (${(e as Error).message}); stdio servers must log to stderr`,
        ),
      );
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.noteNoise(text);
      this.onerror?.(
        new Error(`server wrote JSON that is not a JSON-RPC message: ${text.slice(0, 200)}`),
      );
      return;
    }
    this.onmessage?.(parsed.data);
  }

  private onStderr(frames: Frame[], eol = true): void {
    for (const f of frames) {
      const payload = toPayload(f, eol);
      this.rec.append({ type: 'stderr', ...payload });
      this.tail.push(payload.text ?? Buffer.from(f.bytes).toString('utf8'));
      if (this.tail.length > this.tailLines) this.tail.shift();
    }
  }

  private flush(): void {
    const o = this.out.flush();
    if (o) this.onStdout([o], false);
    const e = this.err.flush();
    if (e) this.onStderr([e], false);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.write(JSON.stringify(message));
  }

  /** Write text as typed. A newline ends a stdio frame, so multi-line text becomes several frames. */
  sendRaw(text: string): Promise<void> {
    return this.write(text);
  }

  private write(text: string): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || !stdin.writable)
      return Promise.reject(new Error('the server process is not running (its stdin is closed)'));
    for (const line of text.split('\n')) this.rec.frame('c2s', 'stdio', { text: line });
    return new Promise((resolve, reject) => {
      stdin.write(`${text}\n`, (e) => (e ? reject(e) : resolve()));
    });
  }

  /** Resolves when the process has exited (immediately if it has). */
  waitExit(): Promise<ExitInfo | undefined> {
    return this.exitPromise ?? Promise.resolve(undefined);
  }

  /** Close stdin, then SIGTERM after `graceMs`, then SIGKILL 3 s later. */
  async close(graceMs = 2000): Promise<void> {
    const child = this.child;
    if (!child || this.exit || !this.started) {
      this.finish();
      return;
    }
    // Polite first (close stdin, as the MCP spec suggests), then SIGTERM, then SIGKILL.
    child.stdin?.end();
    const exited = this.waitExit();
    const timer1 = setTimeout(() => child.kill('SIGTERM'), graceMs);
    const timer2 = setTimeout(() => child.kill('SIGKILL'), graceMs + 3000);
    await exited;
    clearTimeout(timer1);
    clearTimeout(timer2);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.closed = true;
    this.onclose?.();
  }
}
