// Request/answer bookkeeping over a FuzzLink: pending requests by id key, deadlines, answers to
// the server's own requests, and everything else the server writes that nobody asked for
// (non-JSON lines, invalid messages, answers to unknown ids) handed to `onStray`.

import { idKey, parseFrame, type ParsedMessage } from '../../../shared/protocol/jsonrpc.js';
import { frameVerdict, unexpectedIdVerdict, type Verdict } from '../../../shared/fuzz/index.js';
import type { FuzzLink } from './link.js';

export type Answer =
  | { kind: 'answer'; text: string; msg: ParsedMessage }
  | { kind: 'timeout' }
  | { kind: 'down'; why: string };

interface Pending {
  deadline: number;
  resolve: (a: Answer) => void;
}

export class Wire {
  private readonly pending = new Map<string, Pending>();
  /** Ids a serial case allows an answer to (invalid requests may or may not be answered). */
  private readonly allowed = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  downWhy: string | undefined;
  /** `key`: the pending request the bad message answers, when it names one. */
  onStray: (v: Verdict, text: string, key?: string) => void = () => undefined;
  link!: FuzzLink;

  get inFlight(): number {
    return this.pending.size;
  }

  attach(link: FuzzLink): void {
    this.link = link;
    this.downWhy = undefined;
    this.allowed.clear();
    if (!this.timer) {
      this.timer = setInterval(() => this.expire(), 10);
      this.timer.unref();
    }
  }

  /** Send `line` and wait for the answer with id `key` (idKey form). */
  request(line: string, key: string, timeoutMs: number): Promise<Answer> {
    if (this.downWhy !== undefined) return Promise.resolve({ kind: 'down', why: this.downWhy });
    const p = new Promise<Answer>((resolve) =>
      this.pending.set(key, { deadline: performance.now() + timeoutMs, resolve }),
    );
    this.timer?.ref();
    this.link.sendLine(line);
    return p;
  }

  /** Wait for an answer to an id something else already sent. */
  expect(key: string, timeoutMs: number): Promise<Answer> {
    if (this.downWhy !== undefined) return Promise.resolve({ kind: 'down', why: this.downWhy });
    this.timer?.ref();
    return new Promise<Answer>((resolve) =>
      this.pending.set(key, { deadline: performance.now() + timeoutMs, resolve }),
    );
  }

  allow(keys: readonly string[]): void {
    for (const k of keys) this.allowed.set(k, (this.allowed.get(k) ?? 0) + 1);
  }

  disallow(keys: readonly string[]): void {
    for (const k of keys) {
      const n = (this.allowed.get(k) ?? 0) - 1;
      if (n > 0) this.allowed.set(k, n);
      else this.allowed.delete(k);
    }
  }

  /** Stop waiting for `key` (after a timeout the runner cancels it). */
  forget(key: string): void {
    this.pending.delete(key);
  }

  onLine(text: string | undefined, shown: string): void {
    if (text === undefined) {
      this.onStray(
        {
          kind: 'protocol-violation',
          sig: 'non-utf8',
          evidence: `server wrote bytes that are not UTF-8: ${shown.slice(0, 120)}`,
        },
        shown,
      );
      return;
    }
    if (text.trim() === '') return;
    const bad = frameVerdict(text);
    let messages: ParsedMessage[];
    try {
      messages = parseFrame(text).messages;
    } catch {
      messages = [];
    }
    let strayReported = false;
    for (const m of messages) {
      if (m.kind === 'response' || m.kind === 'error') {
        const key = idKey(m.id);
        const p = this.pending.get(key);
        if (p) {
          this.pending.delete(key);
          p.resolve({ kind: 'answer', text, msg: m });
        } else if (!this.allowed.has(key)) {
          this.onStray(unexpectedIdVerdict(m.id === null ? 'null' : String(m.id), text), text);
          strayReported = true;
        }
      } else if (m.kind === 'invalid' && bad) {
        // A malformed answer that still names a pending request: settle it and blame that request.
        const id = (m.value as { id?: unknown } | null)?.id;
        const key = typeof id === 'string' || typeof id === 'number' ? idKey(id) : undefined;
        const p = key === undefined ? undefined : this.pending.get(key);
        if (p && key !== undefined) {
          this.pending.delete(key);
          this.onStray(bad, text, key);
          strayReported = true;
          p.resolve({ kind: 'answer', text, msg: m });
        }
      } else if (m.kind === 'request') {
        // The server asks us something (roots, sampling, ping): answer so it never waits on us.
        const reply =
          m.method === 'ping'
            ? { jsonrpc: '2.0', id: m.id, result: {} }
            : {
                jsonrpc: '2.0',
                id: m.id,
                error: { code: -32601, message: 'not supported by mcpscope fuzz' },
              };
        this.link.sendLine(JSON.stringify(reply));
      }
    }
    if (bad && !strayReported) this.onStray(bad, text);
  }

  onDown(why: string): void {
    this.downWhy = why;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.resolve({ kind: 'down', why });
  }

  private expire(): void {
    // The clock keeps the process alive only while something waits (an HTTP link holds nothing else).
    if (this.pending.size === 0) {
      this.timer?.unref();
      return;
    }
    const now = performance.now();
    for (const [key, p] of this.pending) {
      if (p.deadline > now) continue;
      this.pending.delete(key);
      p.resolve({ kind: 'timeout' });
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
