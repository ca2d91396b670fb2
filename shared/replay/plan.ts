// A capture → a replay plan: the client's messages in recorded order (each with its recorded
// answer and what the server sent while handling it), the server → client requests with the
// client's recorded answers, and the values the server generated that the client later sent back
// (the candidates for value binding). Pure; the replayer, the mock and the Vitest export share it.

import type { CaptureSource, FrameRecord, ReadCapture } from '../capture/index.js';
import {
  classifyMessage,
  idKey,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type ParsedMessage,
} from '../protocol/jsonrpc.js';

export interface RecordedAnswer {
  seq: number;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

/** Something the server sent, at the place it was sent relative to the client's messages. */
export type ServerEmit =
  | { kind: 'notification'; seq: number; method: string; params?: unknown }
  /** A server → client request; `answer` is what the client answered in the recording. */
  | {
      kind: 'request';
      seq: number;
      id: JsonRpcId;
      method: string;
      params?: unknown;
      answer?: RecordedAnswer;
    }
  /** Where the step's own answer came, among its emits. */
  | { kind: 'answer'; seq: number };

export interface ClientStep {
  seq: number;
  kind: 'request' | 'notification';
  method: string;
  /** The recorded JSON-RPC id (requests only). */
  id?: JsonRpcId;
  params?: unknown;
  /** The recorded answer; absent when the request was never answered. */
  answer?: RecordedAnswer;
  /** What the server sent from this message until the client's next message (or while it was pending). */
  emits: ServerEmit[];
}

export interface ReplayPlan {
  captureId?: string;
  source?: CaptureSource;
  /** Client-mode captures with several connections: the connection replayed. */
  conn?: string;
  /** The recorded `initialize`; its params are sent again for a fresh handshake. */
  initialize?: ClientStep;
  /** Every later client message (requests and notifications), in recorded order. */
  steps: ClientStep[];
  /** Server messages before the client said anything. */
  preamble: ServerEmit[];
  /** Server-generated values the client later sent back (cursors, ids, URIs…): bound on replay. */
  echoed: ReadonlySet<string>;
  /**
   * Where those values were found (`locationKey(method, pointer)`): every value at such a place
   * holds a server-generated handle, so it is bound too even when the client never sent it back
   * (the other URIs of a resource list whose first URI the client read).
   */
  echoedAt: ReadonlySet<string>;
  /** Client frames that could not be planned (invalid JSON, truncated…), with why. */
  skipped: { seq: number; reason: string }[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Values shorter than this are too common to be generated ids. */
export const MIN_BOUND_LENGTH = 4;
const MAX_BOUND_LENGTH = 4096;
const TOKEN_SPLIT = /[^A-Za-z0-9_.~+=-]+/;

/** Every string leaf of a value (with a cap so a huge result cannot stall planning). */
export function stringLeaves(value: unknown, out: string[] = [], budget = { n: 10_000 }): string[] {
  if (budget.n <= 0) return out;
  if (typeof value === 'string') {
    budget.n--;
    if (value.length >= MIN_BOUND_LENGTH && value.length <= MAX_BOUND_LENGTH) out.push(value);
  } else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out, budget);
  else if (isObject(value)) for (const k of Object.keys(value)) stringLeaves(value[k], out, budget);
  return out;
}

/** Pieces of a string a client might send back on their own (the id inside a URI). */
export function tokensOf(s: string): string[] {
  return s.split(TOKEN_SPLIT).filter((t) => t.length >= 6 && t !== s && /\d/.test(t));
}

interface Parsed {
  seq: number;
  dir: 'c2s' | 's2c';
  m: ParsedMessage;
}

function framesOf(capture: ReadCapture): { frames: FrameRecord[]; conn: string | undefined } {
  const frames = capture.records.filter((r): r is FrameRecord => r.type === 'frame');
  // Several connections in one file: replay the first that initialized.
  let conn: string | undefined;
  for (const f of frames) {
    if (f.conn !== undefined && f.dir === 'c2s' && f.text?.includes('"initialize"')) {
      conn = f.conn;
      break;
    }
  }
  return { frames: conn === undefined ? frames : frames.filter((f) => f.conn === conn), conn };
}

function answerOf(seq: number, m: ParsedMessage): RecordedAnswer {
  const a: RecordedAnswer = { seq };
  if (m.kind === 'error' && m.error) a.error = m.error;
  else a.result = m.result;
  return a;
}

export interface PlanOptions {
  /** Find the values to bind (default true; the mock, which hands out recorded values, skips it). */
  binding?: boolean;
}

export function buildPlan(capture: ReadCapture, opts: PlanOptions = {}): ReplayPlan {
  const { frames, conn } = framesOf(capture);
  const plan: ReplayPlan = {
    steps: [],
    preamble: [],
    echoed: new Set(),
    echoedAt: new Set(),
    skipped: [],
  };
  if (capture.header) {
    plan.captureId = capture.header.id;
    plan.source = capture.header.source;
  }
  if (conn !== undefined) plan.conn = conn;

  const parsed: Parsed[] = [];
  for (const f of frames) {
    if (f.text === undefined || f.truncated !== undefined) {
      if (f.dir === 'c2s')
        plan.skipped.push({
          seq: f.seq,
          reason:
            f.truncated !== undefined
              ? 'the frame was truncated in the recording'
              : 'the frame is not UTF-8 text',
        });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(f.text);
    } catch {
      if (f.dir === 'c2s') plan.skipped.push({ seq: f.seq, reason: 'the frame is not valid JSON' });
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value])
      parsed.push({ seq: f.seq, dir: f.dir, m: classifyMessage(item) });
  }

  const all: ClientStep[] = [];
  const pendingClient = new Map<string, ClientStep>(); // by idKey of the client's request
  const pendingServer = new Map<string, Extract<ServerEmit, { kind: 'request' }>>();
  const tokens = new Map<string, ClientStep>(); // progressToken → step
  let last: ClientStep | undefined;
  let lastPending: ClientStep | undefined;

  const home = (): ServerEmit[] =>
    lastPending && pendingClient.has(idKey(lastPending.id))
      ? lastPending.emits
      : (last?.emits ?? plan.preamble);

  for (const { seq, dir, m } of parsed) {
    if (dir === 'c2s') {
      if (m.kind === 'request' || m.kind === 'notification') {
        const step: ClientStep = { seq, kind: m.kind, method: m.method!, emits: [] };
        if (m.params !== undefined) step.params = m.params;
        if (m.kind === 'request') {
          step.id = m.id as JsonRpcId;
          pendingClient.set(idKey(step.id), step);
          lastPending = step;
          const t =
            isObject(m.params) && isObject(m.params._meta)
              ? m.params._meta.progressToken
              : undefined;
          if (typeof t === 'string' || typeof t === 'number') tokens.set(idKey(t), step);
        }
        all.push(step);
        last = step;
      } else if (m.kind === 'response' || m.kind === 'error') {
        const req = pendingServer.get(idKey(m.id));
        if (req) {
          req.answer = answerOf(seq, m);
          pendingServer.delete(idKey(m.id));
        }
      } else plan.skipped.push({ seq, reason: m.reason ?? 'not a JSON-RPC message' });
      continue;
    }
    if (m.kind === 'response' || m.kind === 'error') {
      const step = pendingClient.get(idKey(m.id));
      if (!step) continue;
      pendingClient.delete(idKey(m.id));
      step.answer = answerOf(seq, m);
      step.emits.push({ kind: 'answer', seq });
    } else if (m.kind === 'request') {
      const e: Extract<ServerEmit, { kind: 'request' }> = {
        kind: 'request',
        seq,
        id: m.id as JsonRpcId,
        method: m.method!,
      };
      if (m.params !== undefined) e.params = m.params;
      pendingServer.set(idKey(e.id), e);
      home().push(e);
    } else if (m.kind === 'notification') {
      const e: ServerEmit = { kind: 'notification', seq, method: m.method! };
      if (m.params !== undefined) e.params = m.params;
      const t =
        m.method === 'notifications/progress' && isObject(m.params)
          ? m.params.progressToken
          : undefined;
      const owner =
        typeof t === 'string' || typeof t === 'number' ? tokens.get(idKey(t)) : undefined;
      (owner && pendingClient.has(idKey(owner.id)) ? owner.emits : home()).push(e);
    }
  }

  const initIndex = all.findIndex((s) => s.kind === 'request' && s.method === 'initialize');
  if (initIndex >= 0) plan.initialize = all[initIndex];
  plan.steps = all.filter((_, i) => i !== initIndex);
  if (opts.binding !== false) {
    const { echoed, echoedAt } = findEchoed(parsed);
    plan.echoed = echoed;
    plan.echoedAt = echoedAt;
  }
  return plan;
}

/** A place in a server message: the method it answers (or is) and the pointer, array indices as `*`. */
export function locationKey(method: string, pointer: string): string {
  return `${method}\u0000${pointer.replace(/\/\d+(?=\/|$)/g, '/*')}`;
}

function leavesAt(
  value: unknown,
  pointer: string,
  out: [string, string][],
  budget: { n: number },
): void {
  if (budget.n <= 0) return;
  if (typeof value === 'string') {
    budget.n--;
    if (value.length >= MIN_BOUND_LENGTH && value.length <= MAX_BOUND_LENGTH)
      out.push([pointer, value]);
  } else if (Array.isArray(value))
    value.forEach((v, i) => leavesAt(v, `${pointer}/${i}`, out, budget));
  else if (isObject(value))
    for (const k of Object.keys(value))
      leavesAt(value[k], `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out, budget);
}

/** Values the server sent first and the client sent back later (whole, or as a token of a string), and where they were. */
function findEchoed(parsed: Parsed[]): { echoed: Set<string>; echoedAt: Set<string> } {
  const fromServer = new Map<string, string[]>(); // value → locations
  const fromClient = new Set<string>();
  const echoed = new Set<string>();
  const echoedAt = new Set<string>();
  const methods = new Map<string, string>(); // client request id → method
  const note = (v: string, loc: string): void => {
    if (fromClient.has(v)) return;
    const locs = fromServer.get(v);
    if (!locs) fromServer.set(v, [loc]);
    else if (locs.length < 8) locs.push(loc);
  };
  const found = (v: string): void => {
    const locs = fromServer.get(v);
    if (!locs) return;
    echoed.add(v);
    for (const l of locs) if (l !== '') echoedAt.add(l);
  };
  for (const { dir, m } of parsed) {
    if (dir === 'c2s' && m.kind === 'request') methods.set(idKey(m.id), m.method!);
    const isAnswer = m.kind === 'response' || m.kind === 'error';
    const pairs: [string, string][] = [];
    leavesAt(isAnswer ? m.result : m.params, isAnswer ? '/result' : '/params', pairs, {
      n: 10_000,
    });
    if (dir === 's2c') {
      const method = isAnswer ? (methods.get(idKey(m.id)) ?? '?') : (m.method ?? '?');
      for (const [p, s] of pairs) {
        const loc = locationKey(method, p);
        note(s, loc);
        // A token inside a longer string (an id inside a sentence) does not make its place a handle field.
        for (const t of tokensOf(s)) note(t, '');
      }
    } else {
      for (const [, s] of pairs) {
        found(s);
        for (const t of tokensOf(s)) found(t);
        fromClient.add(s);
      }
    }
  }
  return { echoed, echoedAt };
}
