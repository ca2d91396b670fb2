// Derives the message timeline from raw frames: classification, request↔response pairing,
// latency, cancellation and progress linkage. Incremental, so a live view can append.
//
// Ids are per sender: a request the client sends (c2s) is answered s2c, and a request the
// server sends (s2c) is answered c2s. A server request with id 1 and a client request with
// id 1 are different requests, so every pending map is keyed by the request's direction.

import {
  idKey,
  parseFrame,
  type FrameKind,
  type JsonRpcId,
  type ParsedMessage,
} from './jsonrpc.js';
import { isObject } from '../json.js';

export type Direction = 'c2s' | 's2c';

export const opposite = (d: Direction): Direction => (d === 'c2s' ? 's2c' : 'c2s');

/** What the timeline needs of a recorded frame. */
export interface FrameInput {
  seq: number;
  ts: number;
  dir: Direction;
  /** The frame's text; undefined when the frame was not valid UTF-8 (then it is invalid). */
  text?: string;
  /** Byte size of the frame on the wire. */
  size: number;
  channel?: string;
  /** Set when only the frame's head was kept (its real size in bytes). */
  truncated?: number;
}

export type MessageFlag =
  | 'batch'
  | 'duplicate-id'
  | 'unpaired'
  | 'unanswered'
  | 'cancelled'
  | 'not-utf8'
  | 'truncated'
  /** A `tools/call` result with `isError: true`: the call failed inside the tool. */
  | 'tool-error';

export interface Message {
  /** Position in the derived list (unique; a batch has one message per element). */
  mid: number;
  seq: number;
  /** Element index inside a batch frame. */
  index?: number;
  ts: number;
  dir: Direction;
  channel?: string;
  kind: FrameKind;
  /** For responses and errors, the paired request's method. */
  method?: string;
  id?: JsonRpcId | null;
  reason?: string;
  size: number;
  /** mid of the paired request/response. */
  pair?: number;
  /** On requests that were answered (and copied on the answer). */
  latencyMs?: number;
  /** On progress notifications: mid of the request whose progressToken they carry. */
  progressOf?: number;
  /** On cancellation notifications: mid of the request they cancel. */
  cancels?: number;
  errorCode?: number;
  flags: MessageFlag[];
  parsed: ParsedMessage;
}

function progressTokenOf(params: unknown): string | undefined {
  if (!isObject(params) || !isObject(params._meta)) return undefined;
  const t = params._meta.progressToken;
  return typeof t === 'string' || typeof t === 'number' ? idKey(t) : undefined;
}

export class MessageIndex {
  readonly messages: Message[] = [];
  /** Requests awaiting an answer, keyed by `${requestDir}|${idKey}`. */
  private pending = new Map<string, number>();
  /** Every request ever seen, keyed like `pending` (the latest one wins), for cancellation links. */
  private requests = new Map<string, number>();
  private progressTokens = new Map<string, number>();

  /** Add one frame; returns the messages it produced (one, or one per batch element). */
  add(frame: FrameInput): Message[] {
    if (frame.truncated !== undefined) {
      // Only the head was kept: it cannot be parsed as the message it was.
      const parsed: ParsedMessage = {
        kind: 'invalid',
        reason: `frame of ${frame.truncated} bytes was too large to keep whole; only its head was recorded`,
      };
      return [this.push(frame, parsed, undefined, ['truncated'])];
    }
    if (frame.text === undefined) {
      const parsed: ParsedMessage = {
        kind: 'invalid',
        reason: 'the frame is not valid UTF-8 text',
      };
      return [this.push(frame, parsed, undefined, ['not-utf8'])];
    }
    const parsed = parseFrame(frame.text);
    return parsed.messages.map((p, i) =>
      this.push(frame, p, parsed.batch ? i : undefined, parsed.batch ? ['batch'] : []),
    );
  }

  get(mid: number): Message | undefined {
    return this.messages[mid];
  }

  /** Requests still waiting for an answer. */
  unanswered(): Message[] {
    return [...this.pending.values()].map((mid) => this.messages[mid]!);
  }

  private push(
    frame: FrameInput,
    p: ParsedMessage,
    index: number | undefined,
    flags: MessageFlag[],
  ): Message {
    const msg: Message = {
      mid: this.messages.length,
      seq: frame.seq,
      ts: frame.ts,
      dir: frame.dir,
      kind: p.kind,
      size: frame.size,
      flags,
      parsed: p,
    };
    if (index !== undefined) msg.index = index;
    if (frame.channel !== undefined) msg.channel = frame.channel;
    if (p.method !== undefined) msg.method = p.method;
    if (p.id !== undefined) msg.id = p.id;
    if (p.reason !== undefined) msg.reason = p.reason;
    if (p.error) msg.errorCode = p.error.code;
    this.messages.push(msg);

    if (p.kind === 'request') this.onRequest(msg, p);
    else if (p.kind === 'response' || p.kind === 'error') this.onAnswer(msg);
    else if (p.kind === 'notification') this.onNotification(msg, p);
    return msg;
  }

  private onRequest(msg: Message, p: ParsedMessage): void {
    const key = `${msg.dir}|${idKey(p.id)}`;
    if (this.pending.has(key)) msg.flags.push('duplicate-id');
    this.pending.set(key, msg.mid);
    this.requests.set(key, msg.mid);
    const token = progressTokenOf(p.params);
    if (token !== undefined) this.progressTokens.set(`${msg.dir}|${token}`, msg.mid);
  }

  private onAnswer(msg: Message): void {
    const key = `${opposite(msg.dir)}|${idKey(msg.id)}`;
    const reqMid = this.pending.get(key);
    if (reqMid === undefined) {
      msg.flags.push('unpaired');
      return;
    }
    this.pending.delete(key);
    const req = this.messages[reqMid]!;
    // Timestamps carry microseconds; keep the difference at that precision (no float noise).
    const latency = Math.round(Math.max(0, msg.ts - req.ts) * 1000) / 1000;
    req.pair = msg.mid;
    req.latencyMs = latency;
    msg.pair = reqMid;
    msg.latencyMs = latency;
    if (req.method !== undefined) msg.method = req.method;
    const result = msg.parsed.result;
    if (req.method === 'tools/call' && isObject(result) && result.isError === true)
      msg.flags.push('tool-error');
  }

  private onNotification(msg: Message, p: ParsedMessage): void {
    if (!isObject(p.params)) return;
    if (p.method === 'notifications/progress') {
      const t = p.params.progressToken;
      if (typeof t === 'string' || typeof t === 'number') {
        // Progress flows from the side handling the request back to the requester.
        const reqMid = this.progressTokens.get(`${opposite(msg.dir)}|${idKey(t)}`);
        if (reqMid !== undefined) msg.progressOf = reqMid;
      }
    } else if (p.method === 'notifications/cancelled') {
      const rid = p.params.requestId;
      if (typeof rid === 'string' || typeof rid === 'number') {
        // The requester cancels its own request, so it travels in the request's direction.
        const reqMid = this.requests.get(`${msg.dir}|${idKey(rid)}`);
        if (reqMid !== undefined) {
          msg.cancels = reqMid;
          const req = this.messages[reqMid]!;
          if (!req.flags.includes('cancelled')) req.flags.push('cancelled');
        }
      }
    }
  }
}
