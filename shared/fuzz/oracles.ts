// Oracles: pure functions from what the server answered to findings. One finding kind each
// (PRODUCT.md). Crash and timeout are decided by the runner (a process exit, a clock); the
// functions here judge text and values. Schema validation is injected (ajv lives in the engine).

import { findSecrets } from '../detect/secrets.js';
import { classifyMessage, type ParsedMessage } from '../protocol/jsonrpc.js';
import { visible } from '../text/visible.js';
import type { FindingKind, FuzzTool, JsonSchema } from './types.js';

export interface Verdict {
  kind: FindingKind;
  /** Sub-type used to group repeats of the same fault (e.g. `sql-error`, `wrong-id`). */
  sig: string;
  evidence: string;
}

/** Returns a description of the first error, or undefined when `value` satisfies `schema`. */
export type SchemaCheck = (schema: JsonSchema, value: unknown) => string | undefined;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function excerpt(text: string, at: number, len: number, room = 60): string {
  const s = Math.max(0, at - room);
  const e = Math.min(text.length, at + len + room);
  return `${s > 0 ? '…' : ''}${visible(text.slice(s, e))}${e < text.length ? '…' : ''}`;
}

const LEAKS: { sig: string; label: string; re: RegExp; inResults: boolean }[] = [
  {
    sig: 'stack-trace',
    label: 'a stack trace',
    re: /\n\s*at (?:[\w$.<>\s[\]]+ \()?(?:file:\/\/|\/|[A-Za-z]:\\|node:)[^\n)]*:\d+(?::\d+)?\)?|Traceback \(most recent call last\)|\bat [\w$.]+\([\w$]+\.java:\d+\)/,
    inResults: true,
  },
  {
    sig: 'sql-error',
    label: 'a SQL error',
    re: /SQLITE_[A-Z]+|SQLSTATE\[?\w*|syntax error at or near|You have an error in your SQL syntax|ORA-\d{5}|unterminated quoted string|PG::\w+Error|psycopg2\.\w+|near "[^"]*": syntax error/i,
    inResults: true,
  },
  {
    sig: 'internal-path',
    label: 'an internal path',
    re: /(?:\/home\/[\w.-]+|\/Users\/[\w.-]+|\/root\/|\/srv\/|\/var\/www\/|\/opt\/[\w.-]+\/|[A-Za-z]:\\(?:Users|Program Files|inetpub)\\|\/node_modules\/)[^\s"'`]*/,
    inResults: false,
  },
];

/** Stack traces, SQL errors and internal paths in `text` that were not already in the request (one verdict). */
export function leakVerdicts(text: string, request: string, isError: boolean): Verdict[] {
  const labels: string[] = [];
  let first: RegExpExecArray | undefined;
  for (const l of LEAKS) {
    if (!isError && !l.inResults) continue;
    const m = l.re.exec(text);
    if (!m || request.includes(m[0].trim())) continue;
    labels.push(l.label);
    first ??= m;
  }
  if (!first) return [];
  return [
    {
      kind: 'error-leak',
      sig: isError ? 'error' : 'result',
      evidence: `${isError ? 'error' : 'result'} reveals ${labels.join(', ')}: ${excerpt(text, first.index, first[0].length)}`,
    },
  ];
}

/** Secrets the detectors recognise in a response, excluding any the request itself contained. */
export function secretVerdicts(text: string, request: string): Verdict[] {
  const out: Verdict[] = [];
  for (const h of findSecrets(text)) {
    if (h.weak) continue;
    const value = text.slice(h.start, h.end);
    if (request.includes(value)) continue;
    out.push({
      kind: 'sensitive-output',
      sig: h.rule,
      evidence: `response contains a ${h.label} (${h.rule}): ${excerpt(text, h.start, 4, 0)}… (${value.length} chars)`,
    });
    break;
  }
  return out;
}

/** A line the server wrote that is not a JSON-RPC message. */
export function frameVerdict(text: string): Verdict | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      kind: 'protocol-violation',
      sig: 'non-json',
      evidence: `server wrote a line that is not JSON: ${excerpt(text, 0, 80, 0)}`,
    };
  }
  for (const item of Array.isArray(value) ? value : [value]) {
    const m = classifyMessage(item);
    if (m.kind === 'invalid')
      return {
        kind: 'protocol-violation',
        sig: 'invalid-message',
        evidence: `server sent an invalid JSON-RPC message (${m.reason ?? 'invalid'}): ${excerpt(text, 0, 80, 0)}`,
      };
  }
  return undefined;
}

export const unexpectedIdVerdict = (id: string, text: string): Verdict => ({
  kind: 'protocol-violation',
  sig: 'unexpected-id',
  evidence: `server answered id ${visible(id)}, which no request in flight has (a wrong id, or a response to a notification): ${excerpt(text, 0, 80, 0)}`,
});

function contentText(result: Record<string, unknown>): string {
  const parts: string[] = [];
  if (Array.isArray(result.content))
    for (const c of result.content) if (isObj(c) && typeof c.text === 'string') parts.push(c.text);
  return parts.join('\n');
}

export interface ToolJudgeInput {
  tool: FuzzTool;
  /** The request line as sent. */
  request: string;
  /** The response line as received. */
  response: string;
  message: ParsedMessage;
  /** Why the arguments violate the tool's inputSchema, or undefined when they satisfy it. */
  inputInvalid: string | undefined;
  check: SchemaCheck;
}

/** Judge a tools/call answer: accepted-invalid, schema-violation, error-leak, sensitive-output. */
export function judgeToolAnswer(x: ToolJudgeInput): Verdict[] {
  const out: Verdict[] = [];
  if (x.message.kind === 'error') {
    const e = x.message.error!;
    out.push(
      ...leakVerdicts(
        `${e.message}\n${e.data === undefined ? '' : JSON.stringify(e.data)}`,
        x.request,
        true,
      ),
    );
  } else if (x.message.kind === 'response') {
    const result = x.message.result;
    if (!isObj(result)) {
      out.push({
        kind: 'protocol-violation',
        sig: 'result-not-object',
        evidence: `tools/call result is not an object: ${excerpt(x.response, 0, 80, 0)}`,
      });
      return out;
    }
    const isError = result.isError === true;
    const text = `${contentText(result)}\n${result.structuredContent === undefined ? '' : JSON.stringify(result.structuredContent)}`;
    out.push(...leakVerdicts(text, x.request, isError));
    if (!isError) {
      if (x.inputInvalid !== undefined)
        out.push({
          kind: 'accepted-invalid',
          sig: 'accepted',
          evidence: `arguments violate the tool's inputSchema (${visible(x.inputInvalid)}) yet the call succeeded without isError`,
        });
      const os = x.tool.outputSchema;
      if (isObj(os)) {
        if (result.structuredContent === undefined)
          out.push({
            kind: 'schema-violation',
            sig: 'missing',
            evidence: 'the tool declares an outputSchema but the result has no structuredContent',
          });
        else {
          const why = x.check(os, result.structuredContent);
          if (why !== undefined)
            out.push({
              kind: 'schema-violation',
              sig: 'invalid',
              evidence: `structuredContent violates the outputSchema: ${visible(why)}`,
            });
        }
      }
    }
  }
  out.push(...secretVerdicts(x.response, x.request));
  return out;
}
