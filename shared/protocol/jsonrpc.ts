// JSON-RPC 2.0 frame parsing and classification. Pure: takes text, returns plain data.
// Everything here treats input as hostile: no assumption about shape survives without a check.

import { isObject } from '../json.js';

export type JsonRpcId = string | number;
export type FrameKind = 'request' | 'notification' | 'response' | 'error' | 'invalid';

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** One JSON-RPC message (a batch element or a whole non-batch frame), classified. */
export interface ParsedMessage {
  kind: FrameKind;
  /** Present on requests, responses and errors; `null` only on error responses that could not name a request. */
  id?: JsonRpcId | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: JsonRpcErrorObject;
  /** Why the message is `invalid`. */
  reason?: string;
  /** The decoded JSON value, when the text was JSON at all. */
  value?: unknown;
}

export interface ParsedFrame {
  batch: boolean;
  /** One entry for a plain frame, one per element for a batch (an empty or unparsable batch yields one invalid entry). */
  messages: ParsedMessage[];
}

function invalid(reason: string, value?: unknown): ParsedMessage {
  return value === undefined ? { kind: 'invalid', reason } : { kind: 'invalid', reason, value };
}

function validId(id: unknown): id is JsonRpcId {
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

/** Classify one decoded JSON value as a JSON-RPC 2.0 message. */
export function classifyMessage(value: unknown): ParsedMessage {
  if (!isObject(value)) return invalid('a JSON-RPC message must be a JSON object', value);
  if (value.jsonrpc !== '2.0') return invalid('"jsonrpc" must be exactly "2.0"', value);
  const hasMethod = 'method' in value;
  const hasResult = 'result' in value;
  const hasError = 'error' in value;
  const hasId = 'id' in value;

  if (hasMethod) {
    if (typeof value.method !== 'string') return invalid('"method" must be a string', value);
    if (hasResult || hasError)
      return invalid('a message cannot have both "method" and "result"/"error"', value);
    if ('params' in value && !isObject(value.params) && !Array.isArray(value.params)) {
      return invalid('"params" must be an object or an array', value);
    }
    const base = { method: value.method, params: value.params, value };
    if (!hasId) return { kind: 'notification', ...base };
    // MCP forbids null ids on requests (JSON-RPC allows them but discourages them).
    if (!validId(value.id))
      return invalid('request "id" must be a string or a number (not null)', value);
    return { kind: 'request', id: value.id, ...base };
  }

  if (hasResult && hasError)
    return invalid('a response cannot have both "result" and "error"', value);
  if (hasResult) {
    if (!hasId || !validId(value.id))
      return invalid('a response "id" must be a string or a number', value);
    return { kind: 'response', id: value.id, result: value.result, value };
  }
  if (hasError) {
    const err = value.error;
    if (!isObject(err)) return invalid('"error" must be an object', value);
    if (typeof err.code !== 'number' || !Number.isInteger(err.code)) {
      return invalid('"error.code" must be an integer', value);
    }
    if (typeof err.message !== 'string') return invalid('"error.message" must be a string', value);
    if (!hasId || (value.id !== null && !validId(value.id))) {
      return invalid('an error response "id" must be a string, a number or null', value);
    }
    const error: JsonRpcErrorObject = { code: err.code, message: err.message };
    if ('data' in err) error.data = err.data;
    return { kind: 'error', id: value.id as JsonRpcId | null, error, value };
  }
  return invalid(
    'not a request, notification or response: it has no "method", "result" or "error"',
    value,
  );
}

/** Parse and classify one frame of text (a line on stdio, a POST body, an SSE event's data). */
export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { batch: false, messages: [invalid(`not valid JSON: ${detail}`)] };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { batch: true, messages: [invalid('empty batch', value)] };
    return { batch: true, messages: value.map(classifyMessage) };
  }
  return { batch: false, messages: [classifyMessage(value)] };
}

/** A stable key for an id: `1` and `"1"` are different ids. */
export function idKey(id: JsonRpcId | null | undefined): string {
  if (id === undefined) return 'u';
  if (id === null) return 'null';
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}
