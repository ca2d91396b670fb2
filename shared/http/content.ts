// What kind of body an HTTP message carries, from its Content-Type, and how to name it.

export type BodyKind = 'sse' | 'json' | 'other';

export function bodyKind(contentType: string | undefined): BodyKind {
  if (!contentType) return 'other';
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  if (mime === 'text/event-stream') return 'sse';
  if (mime === 'application/json' || mime.endsWith('+json')) return 'json';
  return 'other';
}

/** A JSON-RPC error body the proxy sends when it must answer for an unreachable target. */
export function proxyErrorBody(message: string, code = -32000): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
}
