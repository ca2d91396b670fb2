// The mock server's brain (pure): answers a client from a recording. Requests are matched by
// method and normalised params (`_meta`, which carries the client's progress tokens, is left
// out); several calls to one tool with different arguments each get their own answer; identical
// calls get their recorded answers in recorded order (the last one repeats once they run out).
// What the server sent while handling a request — progress, list_changed, logging, server →
// client requests — comes out at its recorded place. An unrecorded request gets a JSON-RPC error
// naming the closest recorded one.

import { canonicalJson } from '../protocol/canonical.js';
import { classifyMessage, type JsonRpcId } from '../protocol/jsonrpc.js';
import { joinPointer } from './pointer.js';
import type { ClientStep, RecordedAnswer, ReplayPlan, ServerEmit } from './plan.js';

export type MockOutput =
  | { type: 'send'; message: Record<string, unknown> }
  /** A server → client request: the caller picks an id, sends it and waits for the answer before going on. */
  | { type: 'ask'; method: string; params?: unknown; answer?: RecordedAnswer };

export interface MockOptions {
  /** Reject requests that come out of recorded order. */
  strict?: boolean;
}

/** JSON-RPC error codes the mock answers with. */
export const MOCK_ERRORS = {
  unknownMethod: -32601,
  unrecorded: -32602,
  outOfOrder: -32600,
  noAnswer: -32603,
  invalid: -32600,
} as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The params a request is matched by: `_meta` dropped, absent params the same as `{}`. */
export function matchKey(method: string, params: unknown): string {
  let p = params ?? {};
  if (isObject(p) && '_meta' in p) {
    const { _meta: _drop, ...rest } = p;
    p = rest;
  }
  return `${method}\u0000${canonicalJson(p)}`;
}

function leafSet(v: unknown, pointer = '', out = new Set<string>()): Set<string> {
  if (out.size > 2000) return out;
  if (Array.isArray(v)) v.forEach((x, i) => leafSet(x, joinPointer(pointer, i), out));
  else if (isObject(v))
    for (const k of Object.keys(v))
      if (k !== '_meta') leafSet(v[k], joinPointer(pointer, k), out);
      else out.add(`${pointer}=${canonicalJson(v)}`);
  return out;
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

function clip(s: string, n = 200): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function describeRequest(method: string, params: unknown): string {
  const p = isObject(params)
    ? Object.fromEntries(Object.entries(params).filter(([k]) => k !== '_meta'))
    : params;
  return p === undefined || (isObject(p) && Object.keys(p).length === 0)
    ? method
    : `${method} ${clip(canonicalJson(p))}`;
}

interface Queue {
  steps: ClientStep[];
  next: number;
}

export class MockScript {
  private readonly requests = new Map<string, Queue>();
  private readonly notifications = new Map<string, Queue>();
  private readonly methods = new Set<string>();
  private readonly order: ClientStep[] = [];
  private position = 0;

  constructor(
    readonly plan: ReplayPlan,
    private readonly opts: MockOptions = {},
  ) {
    for (const step of plan.steps) {
      const table = step.kind === 'request' ? this.requests : this.notifications;
      const key = step.kind === 'request' ? matchKey(step.method, step.params) : step.method;
      let q = table.get(key);
      if (!q) table.set(key, (q = { steps: [], next: 0 }));
      q.steps.push(step);
      if (step.kind === 'request') {
        this.methods.add(step.method);
        this.order.push(step);
      }
    }
  }

  /** What the server sent before the client said anything. */
  preamble(): MockOutput[] {
    return this.emit(this.plan.preamble, undefined, undefined);
  }

  /** Answer one JSON-RPC message from the client (a batch element or a whole frame). */
  handle(value: unknown): MockOutput[] {
    const m = classifyMessage(value);
    if (m.kind === 'notification') {
      const q = this.notifications.get(m.method!);
      const step = q && q.next < q.steps.length ? q.steps[q.next++] : undefined;
      return step ? this.emit(step.emits, undefined, undefined) : [];
    }
    if (m.kind === 'response' || m.kind === 'error') return []; // answers to asks are the caller's business
    if (m.kind === 'invalid') {
      const id =
        isObject(value) && (typeof value.id === 'string' || typeof value.id === 'number')
          ? value.id
          : null;
      return [
        this.error(
          id,
          MOCK_ERRORS.invalid,
          `mcpscope mock: invalid JSON-RPC message: ${m.reason ?? 'unknown problem'}`,
        ),
      ];
    }
    const id = m.id as JsonRpcId;
    const method = m.method!;
    if (method === 'initialize') {
      const init = this.plan.initialize;
      if (!init)
        return [
          this.error(
            id,
            MOCK_ERRORS.noAnswer,
            'mcpscope mock: the recording has no initialize to answer with',
          ),
        ];
      return this.emit(init.emits, id, undefined, init);
    }
    const step = this.opts.strict
      ? this.strictStep(method, m.params)
      : this.looseStep(method, m.params);
    if ('error' in step) return [this.error(id, step.code, step.error, step.data)];
    return this.emit(step.emits, id, progressToken(m.params), step);
  }

  private looseStep(
    method: string,
    params: unknown,
  ): ClientStep | { error: string; code: number; data?: unknown } {
    const q = this.requests.get(matchKey(method, params));
    if (q) return q.steps[Math.min(q.next++, q.steps.length - 1)]!;
    if (method === 'ping')
      return {
        seq: -1,
        kind: 'request',
        method,
        emits: [{ kind: 'answer', seq: -1 }],
        answer: { seq: -1, result: {} },
      };
    return this.unrecorded(method, params);
  }

  private strictStep(
    method: string,
    params: unknown,
  ): ClientStep | { error: string; code: number; data?: unknown } {
    const expected = this.order[this.position];
    if (method === 'ping' && expected?.method !== 'ping') return this.looseStep(method, params);
    if (!expected)
      return {
        code: MOCK_ERRORS.outOfOrder,
        error: `mcpscope mock (--strict): the recording has no more requests; got ${describeRequest(method, params)}`,
      };
    if (matchKey(method, params) !== matchKey(expected.method, expected.params)) {
      return {
        code: MOCK_ERRORS.outOfOrder,
        error: `mcpscope mock (--strict): out of order: expected seq ${expected.seq} ${describeRequest(expected.method, expected.params)} next, got ${describeRequest(method, params)}`,
        data: {
          expected: { seq: expected.seq, method: expected.method, params: expected.params ?? null },
        },
      };
    }
    this.position++;
    return expected;
  }

  /** The error for a request never recorded, naming the closest recorded one. */
  unrecorded(method: string, params: unknown): { error: string; code: number; data?: unknown } {
    const want = leafSet(params);
    let best: ClientStep | undefined;
    let bestScore = -1;
    for (const s of this.order) {
      const score = (s.method === method ? 1 : 0) + similarity(want, leafSet(s.params));
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    const code = this.methods.has(method) ? MOCK_ERRORS.unrecorded : MOCK_ERRORS.unknownMethod;
    const head = `mcpscope mock: no recorded answer for ${describeRequest(method, params)}`;
    if (!best) return { code, error: `${head}; the recording has no requests at all` };
    return {
      code,
      error: `${head}. Closest recorded request: seq ${best.seq} ${describeRequest(best.method, best.params)}`,
      data: { closest: { seq: best.seq, method: best.method, params: best.params ?? null } },
    };
  }

  private emit(
    emits: ServerEmit[],
    id: JsonRpcId | undefined,
    token: string | number | undefined,
    step?: ClientStep,
  ): MockOutput[] {
    const out: MockOutput[] = [];
    let answered = false;
    for (const e of emits) {
      if (e.kind === 'answer') {
        if (id === undefined || !step?.answer) continue;
        answered = true;
        const a = step.answer;
        out.push({
          type: 'send',
          message:
            a.error !== undefined
              ? { jsonrpc: '2.0', id, error: a.error }
              : { jsonrpc: '2.0', id, result: a.result },
        });
      } else if (e.kind === 'request') {
        const ask: MockOutput = { type: 'ask', method: e.method };
        if (e.params !== undefined) ask.params = e.params;
        if (e.answer !== undefined) ask.answer = e.answer;
        out.push(ask);
      } else {
        let params = e.params;
        if (e.method === 'notifications/progress') {
          if (token === undefined || !isObject(params)) continue; // nobody asked for progress
          params = { ...params, progressToken: token };
        }
        out.push({
          type: 'send',
          message:
            params === undefined
              ? { jsonrpc: '2.0', method: e.method }
              : { jsonrpc: '2.0', method: e.method, params },
        });
      }
    }
    if (id !== undefined && !answered) {
      out.push(
        this.error(
          id,
          MOCK_ERRORS.noAnswer,
          `mcpscope mock: the recording has no answer to this request (seq ${step?.seq ?? '?'}: the server never answered it)`,
        ),
      );
    }
    return out;
  }

  private error(id: JsonRpcId | null, code: number, message: string, data?: unknown): MockOutput {
    const error: Record<string, unknown> = { code, message };
    if (data !== undefined) error.data = data;
    return { type: 'send', message: { jsonrpc: '2.0', id, error } };
  }
}

function progressToken(params: unknown): string | number | undefined {
  const t = isObject(params) && isObject(params._meta) ? params._meta.progressToken : undefined;
  return typeof t === 'string' || typeof t === 'number' ? t : undefined;
}
