// Raw sends: write JSON-RPC text exactly as typed (invalid text too) and wait for the answer.
// The base of edit-and-resend. The answer is found on the record stream — the true wire text
// with the same id (or id null for errors about unparsable input) — and kept from the SDK,
// which never asked for it.

import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { EventRecord } from '../../../shared/capture/index.js';
import { classifyMessage, idKey, parseFrame } from '../../../shared/protocol/jsonrpc.js';
import { nowMs } from '../clock.js';
import { readSseEvents } from './http-fetch.js';
import type { BuiltTransport } from './transports.js';
import type { SendRawResult } from './types.js';
import type { WireShim } from './wire.js';

export const DEFAULT_RAW_TIMEOUT_MS = 10_000;

interface Waiter {
  keys: Set<string>;
  resolve: (text: string) => void;
}

/** Which response ids a raw text can be answered with, and whether an answer is expected at all. */
export function expectedAnswerKeys(text: string): { keys: Set<string>; expects: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Unparsable: a conforming server answers with a parse error whose id is null.
    return { keys: new Set(['null']), expects: true };
  }
  const items = Array.isArray(value) ? value : [value];
  const keys = new Set<string>();
  let invalid = items.length === 0;
  for (const item of items) {
    const m = classifyMessage(item);
    if (m.kind === 'request') keys.add(idKey(m.id));
    else if (m.kind === 'invalid') {
      invalid = true;
      // An invalid request may still carry a usable id the server answers with.
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string' || typeof id === 'number') keys.add(idKey(id));
    }
  }
  if (invalid) keys.add('null');
  return { keys, expects: keys.size > 0 };
}

export class RawChannel {
  private readonly waiters = new Set<Waiter>();
  /** Ids whose answer went to a raw waiter: the SDK must not see them. */
  private readonly claimed = new Set<string>();

  constructor(
    private readonly built: BuiltTransport,
    private readonly shim: WireShim,
  ) {}

  /** Called for every record of the connection, before the SDK sees the message. */
  observeRecord(r: EventRecord): void {
    if (this.waiters.size === 0 || r.type !== 'frame' || r.dir !== 's2c' || r.text === undefined)
      return;
    for (const m of parseFrame(r.text).messages) {
      if (m.kind !== 'response' && m.kind !== 'error') continue;
      const key = idKey(m.id);
      for (const w of this.waiters) {
        if (!w.keys.has(key)) continue;
        this.waiters.delete(w);
        this.claimed.add(key);
        w.resolve(r.text);
        return;
      }
    }
  }

  /** The wire shim asks before handing a message to the SDK. */
  claim(msg: JSONRPCMessage): boolean {
    if ('method' in msg || !('id' in msg)) return false;
    const key = idKey(msg.id);
    return this.claimed.delete(key);
  }

  async send(text: string, timeoutMs = DEFAULT_RAW_TIMEOUT_MS): Promise<SendRawResult> {
    const { keys, expects } = expectedAnswerKeys(text);
    const t0 = nowMs();
    let waiter: Waiter | undefined;
    const answered = new Promise<string>((resolve) => {
      waiter = { keys, resolve };
      if (expects) this.waiters.add(waiter);
    });
    const result: SendRawResult = { sent: text, timedOut: false, expectsAnswer: expects };
    const ctl = new AbortController();
    try {
      const early = await this.write(text, result, ctl.signal);
      if (!expects) return result;
      let timer: NodeJS.Timeout | undefined;
      // An HTTP error settles it at once; the race still prefers an answer that already arrived.
      const timeout = early
        ? Promise.resolve(undefined)
        : new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)));
      const response = await Promise.race([answered, timeout]);
      clearTimeout(timer);
      if (response === undefined) {
        result.timedOut = !early;
        return result;
      }
      result.response = response;
      result.latencyMs = Math.round((nowMs() - t0) * 1000) / 1000;
      try {
        result.parsed = JSON.parse(response);
      } catch {
        // Shown as text.
      }
      return result;
    } finally {
      if (waiter) this.waiters.delete(waiter);
      ctl.abort();
    }
  }

  /** Put the text on the wire. Returns true when the HTTP answer already settles it (an HTTP error without JSON-RPC). */
  private async write(text: string, result: SendRawResult, signal: AbortSignal): Promise<boolean> {
    const { stdio, http } = this.built;
    if (stdio) {
      await stdio.sendRaw(text);
      return false;
    }
    if (!http) throw new Error('this connection cannot send raw messages');
    const url = http.legacy ? http.state.endpoint : http.url;
    if (!url) throw new Error('the legacy SSE server has not announced its POST endpoint yet');
    const headers: Record<string, string> = {
      ...http.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (this.shim.sessionId) headers['mcp-session-id'] = this.shim.sessionId;
    if (this.shim.negotiatedVersion) headers['mcp-protocol-version'] = this.shim.negotiatedVersion;
    const res = await http.fetch(url, { method: 'POST', headers, body: text });
    result.httpStatus = res.status;
    const type = res.headers.get('content-type') ?? '';
    if (res.body && /text\/event-stream/i.test(type)) {
      // The answer streams; deliver what is not ours (notifications, server requests) to the SDK.
      void readSseEvents(
        res.body,
        (ev) => {
          if (ev.event === 'message') this.deliver(ev.data);
        },
        signal,
      );
      return false;
    }
    const body = await res.text();
    if (/json/i.test(type) && body.length > 0) this.deliver(body);
    if (!res.ok) {
      result.httpBody = body;
      return true;
    }
    return false;
  }

  private deliver(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      const parsed = JSONRPCMessageSchema.safeParse(item);
      if (parsed.success) this.shim.incoming(parsed.data);
      else if (typeof item === 'object' && item !== null && 'id' in item)
        this.claimed.delete(idKey((item as { id: null }).id));
    }
  }
}
