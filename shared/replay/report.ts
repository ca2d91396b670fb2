// The outcome of a replay: per exchange, what was recorded, what came back and where they differ;
// the CLI's `--json` shape; and a readable summary that names the first divergence.

import { visible } from '../text/visible.js';
import type { Binder } from './binding.js';
import { diffValues, type DiffRules, type ValueDifference } from './diff.js';
import type { RecordedAnswer } from './plan.js';

/** What the live target did with one request. */
export type LiveOutcome =
  | { kind: 'answer'; result?: unknown; error?: unknown }
  /** The target exited, hung, or sent something that is not an answer. */
  | { kind: 'failure'; reason: string };

export interface ExchangeResult {
  /** The recorded request's seq. */
  seq: number;
  method: string;
  /** The tool, resource or prompt the request named, for messages. */
  subject?: string;
  /** The params actually sent (bound values substituted). */
  sent?: unknown;
  recorded?: unknown;
  replayed?: unknown;
  differences: ValueDifference[];
}

export interface ReplayDifference {
  seq: number;
  method: string;
  pointer: string;
  recorded?: unknown;
  replayed?: unknown;
}

/** `mcpscope replay --json`. */
export interface ReplayJson {
  exchanges: number;
  same: number;
  differences: ReplayDifference[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{result}` or `{error}`, so pointers read `/result/content/0/text` or `/error/code`. */
export function answerBody(a: RecordedAnswer | undefined): unknown {
  if (!a) return undefined;
  return a.error !== undefined ? { error: a.error } : { result: a.result };
}

export function subjectOf(method: string, params: unknown): string | undefined {
  if (!isObject(params)) return undefined;
  if (method === 'tools/call' || method === 'prompts/get')
    return typeof params.name === 'string' ? params.name : undefined;
  if (method.startsWith('resources/'))
    return typeof params.uri === 'string' ? params.uri : undefined;
  return undefined;
}

/**
 * Compare one live answer with the recording: first learn the bindings it reveals, then diff the
 * recorded answer (bound values replaced by their live ones) against the live answer.
 */
export function compareExchange(
  step: { seq: number; method: string; params?: unknown; answer?: RecordedAnswer },
  live: LiveOutcome,
  binder: Binder,
  rules: DiffRules,
  sent?: unknown,
): ExchangeResult {
  const recordedBody = answerBody(step.answer);
  const res: ExchangeResult = { seq: step.seq, method: step.method, differences: [] };
  const subject = subjectOf(step.method, step.params);
  if (subject !== undefined) res.subject = subject;
  if (sent !== undefined) res.sent = sent;
  if (recordedBody !== undefined) res.recorded = recordedBody;
  if (live.kind === 'failure') {
    res.replayed = { failure: live.reason };
    res.differences.push({
      pointer: '',
      recorded: recordedBody ?? null,
      replayed: { failure: live.reason },
    });
    return res;
  }
  const liveBody = live.error !== undefined ? { error: live.error } : { result: live.result };
  res.replayed = liveBody;
  if (recordedBody === undefined) return res; // never answered in the recording: nothing to compare
  binder.learn(recordedBody, liveBody, step.method);
  res.differences = diffValues(binder.apply(recordedBody), liveBody, rules);
  return res;
}

export function toJson(results: ExchangeResult[]): ReplayJson {
  const differences: ReplayDifference[] = [];
  for (const r of results)
    for (const d of r.differences) differences.push({ seq: r.seq, method: r.method, ...d });
  return {
    exchanges: results.length,
    same: results.filter((r) => r.differences.length === 0).length,
    differences,
  };
}

function show(v: unknown, has: boolean): string {
  if (!has) return '(absent)';
  const s = JSON.stringify(v) ?? 'undefined';
  return visible(s.length > 120 ? `${s.slice(0, 117)}…` : s);
}

export function describeDifference(d: ValueDifference): string {
  return `${d.pointer === '' ? '(whole answer)' : visible(d.pointer)}: recorded ${show(d.recorded, 'recorded' in d)}, replayed ${show(d.replayed, 'replayed' in d)}`;
}

/** A few lines for a terminal or a status bar; names the first divergence. */
export function summarise(
  results: ExchangeResult[],
  extra: { bindings?: number; skipped?: number } = {},
): string {
  const json = toJson(results);
  const lines: string[] = [];
  const diffExchanges = json.exchanges - json.same;
  lines.push(
    `${json.exchanges} exchange${json.exchanges === 1 ? '' : 's'} replayed: ${json.same} same, ${diffExchanges} different (${json.differences.length} difference${json.differences.length === 1 ? '' : 's'})`,
  );
  if (extra.bindings)
    lines.push(
      `${extra.bindings} server-generated value${extra.bindings === 1 ? '' : 's'} bound recorded → replayed`,
    );
  if (extra.skipped)
    lines.push(
      `${extra.skipped} recorded client frame${extra.skipped === 1 ? '' : 's'} skipped (not replayable JSON-RPC)`,
    );
  const first = results.find((r) => r.differences.length > 0);
  if (first) {
    const what =
      first.subject !== undefined ? `${first.method} ${visible(first.subject)}` : first.method;
    lines.push(
      `first divergence: seq ${first.seq} ${what} at ${describeDifference(first.differences[0]!)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
