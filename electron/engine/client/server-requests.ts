// Server → client requests (sampling/createMessage, elicitation/create, roots/list, ping).
// Each is raised as an event for a UI (or test) to answer or reject; without a listener — or
// when the listener does not answer in time — the headless policy decides: an answer from the
// policy, or a JSON-RPC error that says what was missing and how to provide it.

import { readFileSync } from 'node:fs';
import { idKey } from '../../../shared/protocol/jsonrpc.js';
import { nowMs } from '../clock.js';
import type {
  HeadlessPolicy,
  JsonObject,
  PendingServerRequest,
  ServerRequestMethod,
} from './types.js';
import { isJsonObject as isObject } from '../../../shared/json.js';

/** JSON-RPC error code for "the user (or policy) declined": the spec's examples use -1. */
export const USER_REJECTED = -1;

const POLICY_METHODS: ServerRequestMethod[] = [
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
];

/**
 * An error the SDK turns into a JSON-RPC error response with exactly this code and message
 * (RpcError would prefix the message with "MCP error N:").
 */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/**
 * Read a headless policy file: `{"answers": {"sampling/createMessage": {…result…}, …}, "roots": [{uri, name?}]}`.
 * Throws with the file name and what is wrong.
 */
export function loadPolicy(path: string): HeadlessPolicy {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the policy file ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parsePolicy(value, path);
}

export function parsePolicy(value: unknown, where = 'policy'): HeadlessPolicy {
  if (!isObject(value))
    throw new Error(
      `${where}: expected a JSON object like {"answers": {"sampling/createMessage": {…}}, "roots": […]}`,
    );
  const out: HeadlessPolicy = {};
  for (const k of Object.keys(value)) {
    if (k !== 'answers' && k !== 'roots')
      throw new Error(`${where}: unknown key "${k}" (allowed: answers, roots)`);
  }
  if (value.answers !== undefined) {
    if (!isObject(value.answers))
      throw new Error(`${where}: "answers" must be an object keyed by method`);
    const answers: HeadlessPolicy['answers'] = {};
    for (const [m, r] of Object.entries(value.answers)) {
      if (!POLICY_METHODS.includes(m as ServerRequestMethod))
        throw new Error(
          `${where}: answers["${m}"]: only ${POLICY_METHODS.join(', ')} can be answered`,
        );
      if (!isObject(r))
        throw new Error(`${where}: answers["${m}"] must be the JSON result object to send`);
      answers[m as ServerRequestMethod] = r;
    }
    out.answers = answers;
  }
  if (value.roots !== undefined) {
    if (
      !Array.isArray(value.roots) ||
      !value.roots.every((r) => isObject(r) && typeof r.uri === 'string')
    ) {
      throw new Error(`${where}: "roots" must be an array of {"uri": "file:///…", "name"?: "…"}`);
    }
    out.roots = value.roots as { uri: string; name?: string }[];
  }
  return out;
}

/** The policy's decision for one request: a result, or the RpcError to answer with. */
export function policyDecision(
  policy: HeadlessPolicy | undefined,
  method: string,
): JsonObject | RpcError {
  if (method === 'ping') return {};
  const answer = policy?.answers?.[method as ServerRequestMethod];
  if (answer) return answer;
  if (method === 'roots/list' && policy?.roots) return { roots: policy.roots };
  return new RpcError(
    USER_REJECTED,
    `mcpscope (headless) declined ${method}: no answer configured. Give mcpscope a policy file with {"answers": {"${method}": {…result…}}} or answer it from the app.`,
  );
}

interface Entry {
  req: PendingServerRequest;
  resolve: (r: JsonObject) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

export class ServerRequests {
  private readonly pending = new Map<string, Entry>();

  constructor(
    private readonly connId: string,
    private policy: HeadlessPolicy | undefined,
    /** Wait this long for a listener's answer before the policy decides (undefined: wait until the server cancels). */
    private readonly waitMs: number | undefined,
    private readonly hasListener: () => boolean,
    private readonly emit: (req: PendingServerRequest) => void,
  ) {}

  /** The roots answered to roots/list (undefined: not configured, the listener or policy decides). */
  get roots(): { uri: string; name?: string }[] | undefined {
    return this.policy?.roots;
  }

  setRoots(roots: { uri: string; name?: string }[]): void {
    this.policy = { ...(this.policy ?? {}), roots };
  }

  list(): PendingServerRequest[] {
    return [...this.pending.values()].map((e) => e.req);
  }

  /** Called from the SDK's request handler; resolves with the result to send, or rejects with an RpcError. */
  handle(
    method: string,
    id: string | number,
    params: unknown,
    signal: AbortSignal,
  ): Promise<JsonObject> {
    const key = idKey(id);
    const req: PendingServerRequest = {
      connId: this.connId,
      key,
      id,
      method,
      params: isObject(params) ? params : {},
      receivedAt: nowMs(),
    };
    return new Promise<JsonObject>((resolve, reject) => {
      const entry: Entry = { req, resolve, reject };
      const decide = (): void => {
        const d = policyDecision(this.policy, method);
        if (d instanceof RpcError) this.settle(key, undefined, d);
        else this.settle(key, d);
      };
      this.pending.set(key, entry);
      // The server cancelled (notifications/cancelled): the SDK will not send our answer anyway.
      signal.addEventListener(
        'abort',
        () =>
          this.settle(
            key,
            undefined,
            new RpcError(USER_REJECTED, `${method} was cancelled by the server`),
          ),
        { once: true },
      );
      // Configured roots are the answer: asking a person on every connect would only be noise.
      if (!this.hasListener() || (method === 'roots/list' && this.policy?.roots)) {
        decide();
        return;
      }
      if (this.waitMs !== undefined) entry.timer = setTimeout(decide, this.waitMs);
      this.emit(req);
    });
  }

  answer(key: string, result: JsonObject): boolean {
    return this.settle(key, result);
  }

  reject(key: string, error: { code: number; message: string; data?: unknown }): boolean {
    return this.settle(key, undefined, new RpcError(error.code, error.message, error.data));
  }

  /** Reject everything still waiting (the connection is closing). */
  rejectAll(reason: string): void {
    for (const key of [...this.pending.keys()])
      this.settle(key, undefined, new RpcError(USER_REJECTED, reason));
  }

  private settle(key: string, result: JsonObject | undefined, error?: Error): boolean {
    const e = this.pending.get(key);
    if (!e) return false;
    this.pending.delete(key);
    if (e.timer) clearTimeout(e.timer);
    if (error) e.reject(error);
    else e.resolve(result ?? {});
    return true;
  }
}
