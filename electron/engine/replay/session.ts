// The replayer's side of the wire: one recorded transport (stdio, Streamable HTTP or legacy SSE,
// reused from client mode), requests with our own ids, answers routed back by id, server →
// client requests answered by a callback. A target that exits, hangs or writes garbage turns
// into a failure outcome, never an exception.

import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { idKey, type JsonRpcId } from '../../../shared/protocol/jsonrpc.js';
import type { LiveOutcome } from '../../../shared/replay/index.js';
import type { ConnRecorder } from '../client/recorder.js';
import { buildTransport, type BuiltTransport } from '../client/transports.js';
import type { ServerTarget } from '../client/types.js';

export type ServerRequestHandler = (
  method: string,
  params: unknown,
) => { result?: unknown; error?: { code: number; message: string; data?: unknown } };

interface Waiter {
  resolve: (o: LiveOutcome) => void;
}

export class ReplayWire {
  private built: BuiltTransport | undefined;
  private readonly waiters = new Map<string, Waiter>();
  private nextId = 1;
  /** Why the connection is gone, once it is. */
  gone: string | undefined;
  /** What the target wrote that was not JSON-RPC, since the last request. */
  private garbage: string[] = [];

  constructor(
    private readonly target: ServerTarget,
    private readonly rec: ConnRecorder,
    private readonly onServerRequest: ServerRequestHandler,
  ) {}

  async open(): Promise<string | undefined> {
    try {
      this.built = buildTransport(this.target, this.rec, {
        onStreamBroken: (m) => this.lose(`the server's stream broke: ${m}`),
      });
      const t = this.built.transport;
      t.onmessage = (m) => this.incoming(m);
      t.onclose = () => this.lose(this.exitText() ?? 'the target closed the connection');
      t.onerror = (e) => {
        if (this.garbage.length < 3 && !this.garbage.includes(e.message))
          this.garbage.push(e.message);
      };
      await t.start();
      return undefined;
    } catch (e) {
      this.gone = (e as Error).message;
      return this.gone;
    }
  }

  setProtocolVersion(v: string): void {
    this.built?.transport.setProtocolVersion?.(v);
  }

  private exitText(): string | undefined {
    const exit = this.built?.stdio?.exit;
    if (!exit) return undefined;
    return exit.signal
      ? `the target was killed by ${exit.signal}`
      : `the target exited with code ${exit.code}`;
  }

  private lose(reason: string): void {
    if (this.gone === undefined) this.gone = reason;
    for (const [k, w] of this.waiters) {
      this.waiters.delete(k);
      w.resolve({ kind: 'failure', reason: this.describeGone() });
    }
  }

  private describeGone(): string {
    const tail = this.built?.stdio?.stderrTail ?? [];
    const g = this.garbageText();
    return `${this.exitText() ?? this.gone ?? 'the connection is gone'}${g}${tail.length ? `; last stderr: ${tail.slice(-3).join(' | ')}` : ''}`;
  }

  private garbageText(): string {
    return this.garbage.length ? `; it sent what is not JSON-RPC: ${this.garbage.join('; ')}` : '';
  }

  private incoming(m: JSONRPCMessage): void {
    if ('method' in m) {
      if ('id' in m) this.answerServer(m.id, m.method, m.params);
      return; // notifications are in the capture; the diff compares answers
    }
    if (!('id' in m)) return;
    const key = idKey(m.id as JsonRpcId);
    const w = this.waiters.get(key);
    if (!w) return;
    this.waiters.delete(key);
    w.resolve(
      'error' in m
        ? { kind: 'answer', error: m.error }
        : { kind: 'answer', result: (m as { result: unknown }).result },
    );
  }

  private answerServer(id: JsonRpcId, method: string, params: unknown): void {
    const a = this.onServerRequest(method, params);
    const msg = (
      a.error !== undefined
        ? { jsonrpc: '2.0', id, error: a.error }
        : { jsonrpc: '2.0', id, result: a.result ?? {} }
    ) as JSONRPCMessage;
    this.built?.transport
      .send(msg)
      .catch((e: Error) =>
        this.rec.error('replay', `could not answer the server's ${method}: ${e.message}`),
      );
  }

  /** Send a request and wait for its answer; a dead, silent or broken target is a failure outcome. */
  async request(
    method: string,
    params: unknown,
    timeoutMs: number,
    wait = true,
  ): Promise<{ id: number; outcome: LiveOutcome }> {
    const id = this.nextId++;
    if (this.gone !== undefined || !this.built)
      return { id, outcome: { kind: 'failure', reason: `not sent: ${this.describeGone()}` } };
    this.garbage = [];
    const msg = (
      params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }
    ) as JSONRPCMessage;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<LiveOutcome>((resolve) => {
      if (!wait) return;
      this.waiters.set(idKey(id), { resolve });
      timer = setTimeout(() => {
        this.waiters.delete(idKey(id));
        resolve({
          kind: 'failure',
          reason: `no answer within ${timeoutMs} ms${this.garbageText()}`,
        });
        void this.notify('notifications/cancelled', {
          requestId: id,
          reason: 'mcpscope replay: timed out',
        });
      }, timeoutMs);
    });
    try {
      await this.built.transport.send(msg);
    } catch (e) {
      this.waiters.delete(idKey(id));
      clearTimeout(timer);
      return {
        id,
        outcome: {
          kind: 'failure',
          reason:
            this.gone !== undefined
              ? this.describeGone()
              : `could not send: ${(e as Error).message}`,
        },
      };
    }
    if (!wait) return { id, outcome: { kind: 'answer', result: undefined } };
    const outcome = await answered;
    clearTimeout(timer);
    return { id, outcome };
  }

  async notify(method: string, params: unknown): Promise<void> {
    if (this.gone !== undefined || !this.built) return;
    const msg = (
      params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params }
    ) as JSONRPCMessage;
    await this.built.transport
      .send(msg)
      .catch((e: Error) => this.rec.error('replay', `could not send ${method}: ${e.message}`));
  }

  async close(): Promise<void> {
    const b = this.built;
    if (!b) return;
    if (this.gone === undefined) this.gone = 'the replay closed the connection';
    await (b.stdio ? b.stdio.close(500) : b.transport.close()).catch(() => undefined);
  }
}
