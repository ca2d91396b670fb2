// Bridge routing: a stdio server does not say which client request a notification or a
// server→client request belongs to, but Streamable HTTP delivers those on the POST stream of the
// related request (or on the GET stream when unrelated). We infer the relation: progress by its
// token, anything else by the only request in flight, if there is exactly one.

type Id = string | number;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is Id {
  return typeof v === 'string' || typeof v === 'number';
}

export class RequestRouter {
  private readonly inflight = new Set<Id>();
  private readonly progress = new Map<Id, Id>();

  /** A message from the HTTP client on its way to the server. */
  fromClient(msg: unknown): void {
    for (const m of Array.isArray(msg) ? msg : [msg]) {
      if (!isObj(m) || typeof m.method !== 'string' || !isId(m.id)) continue;
      this.inflight.add(m.id);
      const meta = isObj(m.params) && isObj(m.params._meta) ? m.params._meta : undefined;
      if (meta && isId(meta.progressToken)) this.progress.set(meta.progressToken, m.id);
    }
  }

  /** A message from the server; returns the client request it relates to, if any. */
  fromServer(msg: unknown): Id | undefined {
    if (!isObj(msg)) return undefined;
    if (typeof msg.method !== 'string' && isId(msg.id)) {
      // A response: the request is answered.
      this.inflight.delete(msg.id);
      for (const [token, id] of this.progress) if (id === msg.id) this.progress.delete(token);
      return undefined; // the transport routes responses by id itself
    }
    if (
      msg.method === 'notifications/progress' &&
      isObj(msg.params) &&
      isId(msg.params.progressToken)
    ) {
      const id = this.progress.get(msg.params.progressToken);
      if (id !== undefined && this.inflight.has(id)) return id;
    }
    if (this.inflight.size === 1) return this.inflight.values().next().value;
    return undefined;
  }
}
