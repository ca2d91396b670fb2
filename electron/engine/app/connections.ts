// Client connections of the app: wraps the engine's ConnectionManager (electron/engine/client)
// in host-api terms. Each connection's capture becomes a live session of the library; its
// server → client requests are raised to the UI and answered from there.

import {
  HostApiError,
  type ConnectionInfo,
  type ConnectionProfile,
  type HostEventSink,
  type JsonObject,
  type ServerRequest,
} from '../../../shared/host-api.js';
import { idKey } from '../../../shared/protocol/index.js';
import { describeTarget } from '../../../shared/target.js';
import {
  ConnectionManager,
  ConnectError,
  type Connection,
  type ConnectOptions,
  type ServerTarget,
} from '../client/index.js';
import type { ConnectionState } from '../client/index.js';
import type { SessionRegistry } from './registry.js';
import { AppOAuth } from './oauth.js';
import { isObject } from '../../../shared/json.js';

/** The target part of a profile (a profile is a target plus client options). */
export function toTarget(p: ConnectionProfile): ServerTarget {
  if (p.transport === 'stdio') {
    return {
      transport: 'stdio',
      command: p.command,
      ...(p.args ? { args: p.args } : {}),
      ...(p.env ? { env: p.env } : {}),
      ...(p.cwd ? { cwd: p.cwd } : {}),
    };
  }
  return { transport: p.transport, url: p.url, ...(p.headers ? { headers: p.headers } : {}) };
}

export function toConnectOptions(p: ConnectionProfile): ConnectOptions {
  const caps = p.capabilities ?? { sampling: true, elicitation: true, roots: true };
  const o: ConnectOptions = {
    // Only a name the user gave: it is written into the capture and wins over the server's name in the library.
    ...(p.name ? { name: p.name } : {}),
    capabilities: {
      ...(caps.sampling ? { sampling: {} } : {}),
      // Both elicitation modes of 2025-11-25: forms, and URLs the user opens (a page of the server's).
      ...(caps.elicitation ? { elicitation: { form: {}, url: {} } } : {}),
      ...(caps.roots ? { roots: { listChanged: true } } : {}),
    },
    clientInfo: { name: 'mcpscope', version: '0' },
  };
  if (p.protocolVersion) o.protocolVersion = p.protocolVersion;
  if (p.timeoutMs) o.timeoutMs = p.timeoutMs;
  // roots/list is answered from the profile's roots (none unless given), never by a dialog per connect.
  o.policy = { roots: p.roots ?? [] };
  if (p.transport !== 'stdio' && p.bearerToken) o.bearerToken = p.bearerToken;
  return o;
}

export class AppConnections {
  readonly manager: ConnectionManager;
  /** OAuth flows of connections whose profile says `auth: "oauth"` (oauth.ts). */
  readonly oauth: AppOAuth;
  /** connId → session id (capture header id). */
  private readonly sessionOf = new Map<string, string>();
  private readonly requests = new Map<string, ServerRequest & { key: string }>();
  private readonly offs: (() => void)[] = [];
  /** The profile each connection was opened with (for reconnect). */
  private readonly profiles = new Map<string, ConnectionProfile>();

  constructor(
    private readonly registry: SessionRegistry,
    private readonly emit: HostEventSink,
    private readonly toolVersion: string,
    manager?: ConnectionManager,
  ) {
    this.manager = manager ?? new ConnectionManager();
    this.oauth = new AppOAuth(emit);
    this.offs.push(
      this.manager.on('record', ({ connId, record }) => {
        const sid = this.session(connId);
        if (sid) this.registry.appendLive(sid, [record]);
      }),
      this.manager.on('status', ({ connId, info }) => {
        const sid = this.session(connId);
        if (info.status === 'closed' || info.status === 'failed') {
          if (sid) this.registry.endLive(sid);
          for (const [id, r] of this.requests) {
            if (r.connectionId !== connId) continue;
            this.requests.delete(id);
            this.emit('onServerRequestDone', { id, outcome: 'closed' });
          }
        }
        this.emit('onConnection', this.info(info));
      }),
      this.manager.on('notification', ({ connId, method, params }) => {
        this.emit('onNotification', {
          connectionId: connId,
          sessionId: this.session(connId) ?? '',
          method,
          params: params as JsonObject,
        });
        if (method === 'notifications/cancelled' && isObject(params)) {
          const rid = params.requestId;
          if (typeof rid !== 'string' && typeof rid !== 'number') return;
          for (const [id, r] of this.requests) {
            if (r.connectionId === connId && idKey(r.jsonrpcId) === idKey(rid)) {
              this.requests.delete(id);
              this.emit('onServerRequestDone', { id, outcome: 'cancelled' });
            }
          }
        }
      }),
      this.manager.on('serverRequest', (req) => {
        const sid = this.session(req.connId) ?? '';
        const id = `${req.connId}/${req.key}`;
        const r: ServerRequest & { key: string } = {
          id,
          key: req.key,
          connectionId: req.connId,
          sessionId: sid,
          method: req.method,
          params: req.params as JsonObject,
          jsonrpcId: req.id,
          receivedAt: req.receivedAt,
        };
        this.requests.set(id, r);
        const { key: _key, ...pub } = r;
        this.emit('onServerRequest', pub);
      }),
    );
  }

  /**
   * The session of a connection, created on first sight from its writer's header and preamble
   * in memory (the file is not read back): later records arrive as 'record' events.
   */
  private session(connId: string): string | undefined {
    const known = this.sessionOf.get(connId);
    if (known) return known;
    const conn = this.manager.get(connId);
    if (!conn) return undefined;
    const writer = conn.rec.writer;
    if (writer.error) return undefined; // the writer failed; the connection still works, only unrecorded
    const s = this.registry.startLive(writer.header, 'client', {
      path: writer.path,
      connectionId: connId,
      transport: conn.info.target.transport,
    });
    this.sessionOf.set(connId, s.id);
    if (writer.preamble.length > 0) this.registry.appendLive(s.id, writer.preamble);
    return s.id;
  }

  /** The session recording a connection ('' when it is unknown or unrecorded). */
  sessionOfConnection(connId: string): string {
    return this.session(connId) ?? '';
  }

  info(i: ConnectionState): ConnectionInfo {
    const sid = this.sessionOf.get(i.id) ?? this.session(i.id) ?? '';
    const out: ConnectionInfo = {
      id: i.id,
      sessionId: sid,
      name: i.name,
      transport: i.target.transport,
      target: describeTarget(i.target),
      status: i.status,
    };
    if (i.error) out.error = i.error;
    if (i.protocolVersion || i.serverInfo || i.serverCapabilities || i.instructions) {
      out.handshake = {};
      if (i.protocolVersion) out.handshake.protocolVersion = i.protocolVersion;
      if (i.serverInfo && typeof i.serverInfo.name === 'string') {
        out.handshake.serverInfo = { name: i.serverInfo.name };
        if (typeof i.serverInfo.version === 'string')
          out.handshake.serverInfo.version = i.serverInfo.version;
        if (typeof i.serverInfo.title === 'string')
          out.handshake.serverInfo.title = i.serverInfo.title;
      }
      if (i.serverCapabilities)
        out.handshake.serverCapabilities = i.serverCapabilities as JsonObject;
      if (i.instructions) out.handshake.instructions = i.instructions;
    }
    return out;
  }

  list(): ConnectionInfo[] {
    return this.manager.list().map((i) => this.info(i));
  }

  async connect(
    p: ConnectionProfile,
    extra: { capturePath?: string } = {},
  ): Promise<ConnectionInfo> {
    const before = new Set(this.manager.list().map((i) => i.id));
    try {
      const opts = toConnectOptions(p);
      opts.clientInfo = { name: 'mcpscope', version: this.toolVersion };
      if (extra.capturePath) opts.capturePath = extra.capturePath;
      if (p.transport !== 'stdio' && p.auth === 'oauth') {
        opts.oauth = this.oauth.session();
        delete opts.bearerToken;
      }
      const conn = await this.manager.open(toTarget(p), opts);
      this.profiles.set(conn.id, p);
      return this.info(conn.info);
    } catch (e) {
      this.forgetFailed(before);
      if (e instanceof ConnectError) {
        const tail = e.stderrTail.length
          ? `\nLast lines on the server's stderr:\n${e.stderrTail.join('\n')}`
          : '';
        throw new HostApiError('unavailable', `${e.message}${tail}`);
      }
      throw e;
    }
  }

  /**
   * A connection that never opened is not a session: its capture (a header and the error) would
   * only fill the library. The error itself goes back to the caller.
   */
  private forgetFailed(before: ReadonlySet<string>): void {
    for (const i of this.manager.list()) {
      if (before.has(i.id) || i.status !== 'failed') continue;
      const sid = this.sessionOf.get(i.id);
      this.sessionOf.delete(i.id);
      this.manager.remove(i.id);
      if (!sid) continue;
      try {
        this.registry.endLive(sid);
        this.registry.delete(sid);
      } catch {
        // Still live for some reason: leave it in the library rather than lose a recording.
      }
    }
  }

  get(connectionId: string): Connection {
    const c = this.manager.get(connectionId);
    if (!c)
      throw new HostApiError(
        'not-found',
        `no connection ${JSON.stringify(connectionId)}: it was closed; connect again`,
      );
    return c;
  }

  /** A new connection with the same profile (and the roots in use now). The old one is closed first if still open. */
  async reconnect(connectionId: string): Promise<ConnectionInfo> {
    const p = this.profiles.get(connectionId);
    if (!p)
      throw new HostApiError(
        'not-found',
        `no connection ${JSON.stringify(connectionId)} to reconnect: open it again from the Connect screen`,
      );
    const old = this.manager.get(connectionId);
    const roots = old?.serverRequests.roots;
    if (old && (old.status === 'open' || old.status === 'connecting'))
      await this.manager.close(connectionId);
    return this.connect(roots ? { ...p, roots } : p);
  }

  async disconnect(connectionId: string): Promise<ConnectionInfo> {
    const c = this.get(connectionId);
    await this.manager.close(connectionId);
    return this.info(c.info);
  }

  pendingRequests(): ServerRequest[] {
    return [...this.requests.values()].map(({ key: _key, ...pub }) => pub);
  }

  private request(id: string): ServerRequest & { key: string } {
    const r = this.requests.get(id);
    if (!r)
      throw new HostApiError(
        'not-found',
        `no pending server request ${JSON.stringify(id)}: it was already answered, cancelled, or its connection closed`,
      );
    return r;
  }

  answer(id: string, result: JsonObject): boolean {
    const r = this.request(id);
    const sent = this.get(r.connectionId).answerServerRequest(r.key, result);
    this.requests.delete(id);
    this.emit('onServerRequestDone', { id, outcome: 'answered' });
    return sent;
  }

  reject(id: string, code: number, message: string): boolean {
    const r = this.request(id);
    const sent = this.get(r.connectionId).rejectServerRequest(r.key, { code, message });
    this.requests.delete(id);
    this.emit('onServerRequestDone', { id, outcome: 'rejected' });
    return sent;
  }

  async dispose(): Promise<void> {
    for (const off of this.offs) off();
    this.oauth.dispose();
    await this.manager.closeAll();
  }
}
