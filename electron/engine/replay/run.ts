// Replays a plan against a live target: a fresh handshake with the recorded client info,
// capabilities and protocol version; every recorded client message in order with bound values
// substituted; server → client requests answered from the recording; each answer compared with
// the recorded one. The replay is itself recorded, as a new capture that names the original.

import { basename } from 'node:path';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { idKey, type JsonRpcId } from '../../../shared/protocol/jsonrpc.js';
import {
  Binder,
  compareExchange,
  makeRules,
  summarise,
  toJson,
  type Binding,
  type ClientStep,
  type ExchangeResult,
  type Normaliser,
  type RecordedAnswer,
  type ReplayJson,
  type ReplayPlan,
} from '../../../shared/replay/index.js';
import { CaptureWriter } from '../capture/writer.js';
import { ConnRecorder } from '../client/recorder.js';
import { maskTarget } from '../client/transports.js';
import type { ServerTarget } from '../client/types.js';
import { defaultCapturePath } from '../paths.js';
import { ReplayWire } from './session.js';

export const DEFAULT_REPLAY_TIMEOUT_MS = 10_000;

export interface ReplayOptions {
  target: ServerTarget;
  /** Pointers whose differences do not count (`/result/content/0/text`, `*` for one segment). */
  ignore?: string[];
  /** Extra normalisers on top of the default timestamp ones. */
  normalise?: Normaliser[];
  /** Only these recorded request seqs (the handshake always runs). */
  only?: ReadonlySet<number>;
  /** Per-request wait for an answer (default 10 s). */
  timeoutMs?: number;
  /** Where the replay's own capture goes (default: the captures folder). */
  out?: string;
  /** The recording's path, named in the replay's capture. */
  originalPath?: string;
  /** Told as each exchange completes (the app's live diff view). */
  onResult?: (r: ExchangeResult) => void;
}

export interface ReplayRun {
  results: ExchangeResult[];
  json: ReplayJson;
  summary: string;
  bindings: Binding[];
  capturePath: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Recorded answers to the server's requests, by method, in recorded order. */
function serverAnswers(
  plan: ReplayPlan,
): Map<string, { params?: unknown; answer?: RecordedAnswer }[]> {
  const m = new Map<string, { params?: unknown; answer?: RecordedAnswer }[]>();
  const steps = plan.initialize ? [plan.initialize, ...plan.steps] : plan.steps;
  for (const e of [...plan.preamble, ...steps.flatMap((s) => s.emits)]) {
    if (e.kind !== 'request') continue;
    let q = m.get(e.method);
    if (!q) m.set(e.method, (q = []));
    q.push(e);
  }
  return m;
}

export async function runReplay(plan: ReplayPlan, opts: ReplayOptions): Promise<ReplayRun> {
  const rules = makeRules({
    ...(opts.ignore ? { ignore: opts.ignore } : {}),
    ...(opts.normalise ? { normalise: opts.normalise } : {}),
  });
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS;
  const masked = maskTarget(opts.target);
  const label = opts.originalPath ? `replay of ${basename(opts.originalPath)}` : 'replay';
  const writer = new CaptureWriter({
    path: opts.out ?? defaultCapturePath(label),
    source:
      masked.transport === 'stdio'
        ? { transport: 'client', command: [masked.command, ...(masked.args ?? [])], name: label }
        : { transport: 'client', url: masked.url, name: label },
  });
  writer.append({
    type: 'note',
    text: `replay of ${opts.originalPath ?? 'a capture'}${plan.captureId ? ` (capture id ${plan.captureId})` : ''}`,
  });
  const rec = new ConnRecorder(writer, undefined, () => undefined);
  const binder = new Binder(plan.echoed, plan.echoedAt);
  const answers = serverAnswers(plan);
  const wire = new ReplayWire(opts.target, rec, (method, params) => {
    const next = answers.get(method)?.shift();
    if (next?.answer) {
      binder.learn(next.params, params, method, '/params');
      const a = binder.apply(next.answer);
      return a.error !== undefined ? { error: a.error } : { result: a.result };
    }
    if (method === 'ping') return { result: {} };
    return {
      error: {
        code: -32601,
        message: `mcpscope replay: the recording has no answer for the server's ${method} request`,
      },
    };
  });

  const results: ExchangeResult[] = [];
  const add = (r: ExchangeResult): void => {
    results.push(r);
    try {
      opts.onResult?.(r);
    } catch {
      // A listener's bug must not stop the replay.
    }
  };
  const idMap = new Map<string, number>(); // recorded request id → live id

  try {
    const openError = await wire.open();
    const init = plan.initialize;
    const initParams = init?.params ?? {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'mcpscope-replay', version: '1' },
    };
    const { outcome } =
      openError !== undefined
        ? { outcome: { kind: 'failure' as const, reason: openError } }
        : await wire.request('initialize', initParams, timeoutMs);
    if (init) add(compareExchange(init, outcome, binder, rules, initParams));
    if (
      outcome.kind === 'answer' &&
      isObject(outcome.result) &&
      typeof outcome.result.protocolVersion === 'string'
    )
      wire.setProtocolVersion(outcome.result.protocolVersion);

    const handshakeFailed =
      outcome.kind === 'failure' ? `not sent: the handshake failed (${outcome.reason})` : undefined;
    for (const step of plan.steps) {
      if (handshakeFailed !== undefined) {
        const skip =
          step.kind === 'request' &&
          step.answer !== undefined &&
          (!opts.only || opts.only.has(step.seq));
        if (skip)
          add(compareExchange(step, { kind: 'failure', reason: handshakeFailed }, binder, rules));
        continue;
      }
      if (step.kind === 'notification') {
        if (opts.only && step.method !== 'notifications/initialized') continue;
        await wire.notify(step.method, remapNotification(step, binder, idMap));
        continue;
      }
      if (opts.only && !opts.only.has(step.seq)) continue;
      const params = binder.apply(step.params);
      const { id, outcome: live } = await wire.request(
        step.method,
        params,
        timeoutMs,
        step.answer !== undefined,
      );
      idMap.set(idKey(step.id), id);
      if (step.answer === undefined) continue; // unanswered in the recording (e.g. cancelled): nothing to compare
      add(compareExchange(step, live, binder, rules, params));
    }
  } finally {
    await wire.close();
    writer.close('replay finished');
  }
  const json = toJson(results);
  const bindings = binder.bindings();
  return {
    results,
    json,
    bindings,
    summary: summarise(results, { bindings: bindings.length, skipped: plan.skipped.length }),
    capturePath: writer.path,
  };
}

/** A cancellation names the live id of the request it cancels. */
function remapNotification(step: ClientStep, binder: Binder, idMap: Map<string, number>): unknown {
  const params = binder.apply(step.params);
  if (step.method !== 'notifications/cancelled' || !isObject(params)) return params;
  const rid = params.requestId;
  if (typeof rid !== 'string' && typeof rid !== 'number') return params;
  const live = idMap.get(idKey(rid as JsonRpcId));
  return live === undefined ? params : { ...params, requestId: live };
}
