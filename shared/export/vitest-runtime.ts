// The runtime pasted into every exported Vitest file. It must run in the user's project with only
// `vitest` and `@modelcontextprotocol/sdk` installed, so it is source text, not an import. It
// speaks JSON-RPC on the SDK's transports directly (the recorded messages go out as recorded,
// with fresh ids), answers the server's requests from the recording, binds server-generated
// values (a cursor, an id, a URI the server made up) recorded→live as it goes, and reconciles
// only what is allowed to differ (bound values, redaction placeholders, timestamps, IGNORE
// pointers) before `toEqual`, so a real drift shows as Vitest's ordinary diff.
// No backtick and no "${" in here: it is embedded in a template literal.

export const VITEST_RUNTIME = String.raw`
type Json = any;
type Target = { kind: 'stdio'; command: string[]; cwd?: string } | { kind: 'http'; url: string; sse?: boolean };

function liveTarget(): Target {
  const env = process.env.MCPSCOPE_TARGET;
  if (env && env.trim().startsWith('[')) return { kind: 'stdio', command: JSON.parse(env) };
  if (env) return { kind: 'http', url: env };
  return RECORDED_TARGET as Target;
}

const PLACEHOLDER = /\[REDACTED:[^\]]+\]/;
const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?/g;
const BIND_KEY = /^(?:id|cursor|nextCursor|uri|uriTemplate|taskId|sessionId|requestId|elicitationId|progressToken|token|[a-z]+(?:Id|Uri|Token))$/;
const bound = new Map<string, string>();

function looksGenerated(s: string): boolean {
  if (s.length < 6 || /\s/.test(s)) return false;
  return (/\d/.test(s) && /[A-Za-z]/.test(s)) || /^[0-9a-f-]{8,}$/i.test(s) || /^[A-Za-z0-9+\/=_-]{16,}$/.test(s);
}

/** Learn recorded→live bindings by walking the recorded and live values side by side. */
function learn(rec: Json, live: Json, key = ''): void {
  if (typeof rec === 'string' && typeof live === 'string') {
    if (rec !== live && !PLACEHOLDER.test(rec) && (BIND_KEY.test(key) || looksGenerated(rec))) bound.set(rec, live);
    return;
  }
  if (Array.isArray(rec) && Array.isArray(live)) {
    for (let i = 0; i < Math.min(rec.length, live.length); i++) learn(rec[i], live[i], key);
    return;
  }
  if (rec && live && typeof rec === 'object' && typeof live === 'object') {
    for (const k of Object.keys(rec)) if (Object.prototype.hasOwnProperty.call(live, k)) learn(rec[k], live[k], k);
  }
}

/** Replace recorded server-generated values with their live counterparts (whole or inside text). */
function bind(v: Json): Json {
  if (typeof v === 'string') {
    const whole = bound.get(v);
    if (whole !== undefined) return whole;
    let s = v;
    for (const [rec, live] of bound) if (rec.length >= 6 && s.includes(rec)) s = s.split(rec).join(live);
    return s;
  }
  if (Array.isArray(v)) return v.map(bind);
  if (v && typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v)) out[k] = bind(v[k]);
    return out;
  }
  return v;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
}

/** The expected value, with what may legitimately differ taken from the live value. */
function reconcile(expected: Json, live: Json, pointer = ''): Json {
  if (IGNORE.some((p: string) => pointer === p || pointer.startsWith(p + '/'))) return live;
  if (typeof expected === 'string' && typeof live === 'string') {
    if (expected === live) return expected;
    if (expected.replace(TIMESTAMP, '<ts>') === live.replace(TIMESTAMP, '<ts>')) return live;
    if (PLACEHOLDER.test(expected)) {
      const re = new RegExp('^' + expected.split(/\[REDACTED:[^\]]+\]/).map(escapeRe).join('[\\s\\S]+?') + '$');
      if (re.test(live)) return live;
    }
    return expected;
  }
  if (Array.isArray(expected) && Array.isArray(live)) return expected.map((x, i) => reconcile(x, live[i], pointer + '/' + i));
  if (expected && live && typeof expected === 'object' && typeof live === 'object' && !Array.isArray(live)) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(expected)) out[k] = reconcile(expected[k], live[k], pointer + '/' + k.replace(/~/g, '~0').replace(/\//g, '~1'));
    return out;
  }
  return expected;
}

class Session {
  private transport: any;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Json) => void; reject: (e: Error) => void }>();
  private readonly answers = new Map<string, Json[]>();
  stderr = '';

  async open(): Promise<void> {
    for (const a of SERVER_ANSWERS) {
      const q = this.answers.get(a.method) ?? [];
      q.push(a.response);
      this.answers.set(a.method, q);
    }
    const t = liveTarget();
    if (t.kind === 'stdio') {
      this.transport = new StdioClientTransport({ command: t.command[0]!, args: t.command.slice(1), cwd: t.cwd, stderr: 'pipe' });
    } else {
      this.transport = t.sse ? new SSEClientTransport(new URL(t.url)) : new StreamableHTTPClientTransport(new URL(t.url));
    }
    this.transport.onmessage = (m: Json) => this.onMessage(m);
    this.transport.onclose = () => this.failAll(new Error('the server closed the connection' + (this.stderr ? '; its stderr ended with: ' + this.stderr.slice(-500) : '')));
    this.transport.onerror = () => undefined;
    await this.transport.start();
    this.transport.stderr?.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private onMessage(m: Json): void {
    if (m && m.id !== undefined && (m.result !== undefined || m.error !== undefined)) {
      const p = this.pending.get(m.id);
      if (p) {
        this.pending.delete(m.id);
        p.resolve(m);
      }
      return;
    }
    if (m && m.id !== undefined && typeof m.method === 'string') {
      const queue = this.answers.get(m.method);
      const recorded = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      const reply = recorded === undefined
        ? { jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'the recording has no answer to ' + m.method } }
        : { jsonrpc: '2.0', id: m.id, ...bind(recorded) };
      void this.transport.send(reply);
    }
  }

  request(method: string, params: Json, timeoutMs = 30_000): Promise<Json> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(method + ': no answer within ' + timeoutMs + ' ms'));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      const msg: Json = { jsonrpc: '2.0', id, method };
      if (params !== undefined) msg.params = params;
      this.transport.send(msg).catch((e: Error) => { clearTimeout(timer); this.pending.delete(id); reject(e); });
    });
  }

  notify(method: string, params: Json): Promise<void> {
    const msg: Json = { jsonrpc: '2.0', method };
    if (params !== undefined) msg.params = params;
    return this.transport.send(msg);
  }

  async close(): Promise<void> {
    await this.transport?.close().catch(() => undefined);
  }
}

/** Only the answer: a result or an error object, as recorded (ids are renumbered). */
function answerOf(m: Json): Json {
  return m.error !== undefined ? { error: m.error } : { result: m.result };
}
`;
