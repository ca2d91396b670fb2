// One client's session with the mock: feeds its messages to a MockScript and sends what comes
// out. Answers without server → client requests go out synchronously (the fast path a benchmark
// measures); a recorded server request is sent with a fresh id and its answer awaited (bounded)
// before the rest, while later client messages wait their turn.

import { idKey } from '../../../shared/protocol/jsonrpc.js';
import type { MockOutput, MockScript } from '../../../shared/replay/index.js';

export type MockSend = (
  message: Record<string, unknown>,
  relatedRequestId?: string | number,
) => void;

export const DEFAULT_ASK_TIMEOUT_MS = 30_000;

/** Pause between notifications and the answer that follows them. */
const NOTIFICATION_GAP_MS = 2;

const isAnswer = (m: Record<string, unknown>): boolean => !('method' in m);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class MockConnection {
  private busy = false;
  private readonly queue: unknown[] = [];
  private readonly asks = new Map<string, () => void>();
  private nextAsk = 1;
  private closed = false;

  constructor(
    private readonly script: MockScript,
    private readonly send: MockSend,
    private readonly askTimeoutMs = DEFAULT_ASK_TIMEOUT_MS,
    /** Told when a client did not answer a server request in time. */
    private readonly onWarning: (message: string) => void = () => undefined,
  ) {}

  start(): void {
    this.run(this.script.preamble(), undefined);
  }

  /** One decoded JSON value from the client (a batch is handled element by element). */
  receive(value: unknown): void {
    if (Array.isArray(value)) {
      if (value.length === 0)
        this.send({
          jsonrpc: '2.0',
          id: null,
          error: { code: -32600, message: 'mcpscope mock: empty batch' },
        });
      for (const v of value) this.receive(v);
      return;
    }
    if (isObject(value) && !('method' in value) && 'id' in value) {
      const done = this.asks.get(idKey(value.id as string | number));
      if (done) {
        done();
        return;
      }
    }
    if (this.busy) this.queue.push(value);
    else this.process(value);
  }

  close(): void {
    this.closed = true;
    for (const done of this.asks.values()) done();
  }

  private process(value: unknown): void {
    const related =
      isObject(value) &&
      'method' in value &&
      (typeof value.id === 'string' || typeof value.id === 'number')
        ? value.id
        : undefined;
    this.run(this.script.handle(value), related);
  }

  private run(outs: MockOutput[], related: string | number | undefined): void {
    let i = 0;
    let notified = false;
    for (; i < outs.length; i++) {
      const o = outs[i]!;
      if (o.type !== 'send' || (notified && isAnswer(o.message))) break;
      if (!isAnswer(o.message)) notified = true;
      this.send(o.message, related);
    }
    if (i === outs.length) return;
    this.busy = true;
    void this.runSlow(outs.slice(i), related).finally(() => {
      this.busy = false;
      while (!this.busy && !this.closed && this.queue.length > 0) this.process(this.queue.shift());
    });
  }

  private async runSlow(outs: MockOutput[], related: string | number | undefined): Promise<void> {
    let notified = true;
    for (const o of outs) {
      if (this.closed) return;
      if (o.type === 'send') {
        // Clients handle notifications a tick later than answers (the SDK does): an answer in
        // the same read as its progress would overtake it. Let them land first, as they did live.
        if (notified && isAnswer(o.message))
          await new Promise((r) => setTimeout(r, NOTIFICATION_GAP_MS));
        notified = !isAnswer(o.message);
        this.send(o.message, related);
        continue;
      }
      const id = `mcpscope-mock-${this.nextAsk++}`;
      let timer: NodeJS.Timeout | undefined;
      const answered = new Promise<boolean>((resolve) => {
        this.asks.set(idKey(id), () => resolve(true));
        timer = setTimeout(() => resolve(false), this.askTimeoutMs);
      });
      this.send(
        o.params === undefined
          ? { jsonrpc: '2.0', id, method: o.method }
          : { jsonrpc: '2.0', id, method: o.method, params: o.params },
        related,
      );
      const ok = await answered;
      clearTimeout(timer);
      this.asks.delete(idKey(id));
      if (!ok)
        this.onWarning(
          `the client did not answer the server request ${o.method} within ${this.askTimeoutMs} ms; going on`,
        );
    }
  }
}
