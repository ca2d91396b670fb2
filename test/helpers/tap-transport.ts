// An SDK client Transport over a child process's stdio that keeps every byte it sent and
// received, so tests can compare what each side of the recorder saw.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export class TapTransport implements Transport {
  onclose?: () => void;
  onerror?: (e: Error) => void;
  onmessage?: (m: JSONRPCMessage) => void;
  readonly sent: Buffer[] = [];
  readonly received: Buffer[] = [];
  stderr = '';
  private child?: ChildProcess;
  private pending = '';
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;

  constructor(
    private readonly command: string,
    private readonly args: string[],
    private readonly env?: NodeJS.ProcessEnv,
  ) {}

  start(): Promise<void> {
    const child = spawn(this.command, this.args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...this.env },
    });
    this.child = child;
    this.exit = new Promise((resolve) =>
      child.on('close', (code, signal) => {
        resolve({ code, signal });
        this.onclose?.();
      }),
    );
    child.stdout!.on('data', (c: Buffer) => {
      this.received.push(c);
      this.pending += c.toString('utf8');
      let nl: number;
      while ((nl = this.pending.indexOf('\n')) >= 0) {
        const line = this.pending.slice(0, nl);
        this.pending = this.pending.slice(nl + 1);
        try {
          this.onmessage?.(JSON.parse(line) as JSONRPCMessage);
        } catch (e) {
          this.onerror?.(e as Error);
        }
      }
    });
    child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString('utf8')));
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
  }

  /** Write raw bytes, bypassing the SDK (for malformed input). */
  writeRaw(bytes: string | Buffer): void {
    const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
    this.sent.push(b);
    this.child!.stdin!.write(b);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.writeRaw(`${JSON.stringify(message)}\n`);
  }

  async close(): Promise<void> {
    this.child?.stdin?.end();
    await this.exit;
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }
}
