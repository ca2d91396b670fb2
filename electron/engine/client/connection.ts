// One recorded client session with one server: the SDK Client over a recorded transport, its
// lifecycle (handshake, notifications, list refreshes, close) and the session's state. The
// operations themselves (tools/call, resources/read, tasks…) are in operations.ts.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  type ClientCapabilities,
  ListRootsRequestSchema,
  PingRequestSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import type { EventRecord } from '../../../shared/capture/index.js';
import { idKey } from '../../../shared/protocol/jsonrpc.js';
import type { ListKind } from '../../../shared/protocol/session.js';
import { nowMs } from '../clock.js';
import { TOOL_VERSION } from '../version.js';
import { ConnectError } from './errors.js';
import { LIST_METHOD } from './lists.js';
import { ConnectionOperations, DEFAULT_TIMEOUT_MS, type ConnectionHost } from './operations.js';
import { RawChannel } from './raw.js';
import type { ConnRecorder } from './recorder.js';
import { ServerRequests } from './server-requests.js';
import {
  buildTransport,
  describeConnectFailure,
  maskTarget,
  NOISE_GRACE_MS,
  settleStdioExit,
  stdoutNoiseError,
  type BuiltTransport,
} from './transports.js';
import type {
  ConnectOptions,
  ConnectionState,
  ConnectionStatus,
  JsonObject,
  PendingServerRequest,
  SendRawResult,
  ServerTarget,
} from './types.js';
import { WireShim } from './wire.js';

const LIST_CHANGED: Record<string, ListKind[]> = {
  'notifications/tools/list_changed': ['tools'],
  'notifications/resources/list_changed': ['resources', 'resourceTemplates'],
  'notifications/prompts/list_changed': ['prompts'],
};

export class Connection extends ConnectionOperations {
  readonly target: ServerTarget;
  readonly name: string;
  private built: BuiltTransport | undefined;
  private shim: WireShim | undefined;
  private raw: RawChannel | undefined;
  readonly serverRequests: ServerRequests;

  constructor(
    id: string,
    target: ServerTarget,
    opts: ConnectOptions,
    rec: ConnRecorder,
    host: ConnectionHost,
  ) {
    super(id, opts, rec, host);
    this.target = target;
    this.name = opts.name ?? (target.transport === 'stdio' ? target.command : target.url);
    this.serverRequests = new ServerRequests(
      id,
      opts.policy,
      opts.serverRequestWaitMs,
      () => host.hasListener('serverRequest'),
      (req) => host.emit('serverRequest', req),
    );
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get info(): ConnectionState {
    const info: ConnectionState = {
      id: this.id,
      name: this.name,
      target: maskTarget(this.target),
      status: this.statusValue,
      capturePath: this.rec.writer.path,
    };
    if (this.errorText !== undefined) info.error = this.errorText;
    const c = this.client;
    if (c && this.shim?.negotiatedVersion) {
      info.protocolVersion = this.shim.negotiatedVersion;
      const si = c.getServerVersion();
      if (si) info.serverInfo = si as JsonObject;
      const caps = c.getServerCapabilities();
      if (caps) info.serverCapabilities = caps as JsonObject;
      const ins = c.getInstructions();
      if (ins !== undefined) info.instructions = ins;
    }
    return info;
  }

  /** Called by the recorder for every record of this connection. */
  onRecord(r: EventRecord): void {
    this.raw?.observeRecord(r);
    this.host.emit('record', { connId: this.id, record: r });
  }

  private setStatus(s: ConnectionStatus, error?: string): void {
    this.statusValue = s;
    if (error !== undefined) this.errorText = error;
    this.host.emit('status', { connId: this.id, info: this.info });
  }

  /** Spawn/connect and run the handshake. Throws ConnectError with a clear message when it cannot. */
  async open(): Promise<void> {
    const o = this.opts;
    const timeout = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.setStatus('connecting');
    const caps = o.capabilities ?? {};
    const client = new Client(o.clientInfo ?? { name: 'mcpscope', version: TOOL_VERSION }, {
      capabilities: caps as ClientCapabilities,
    });
    this.client = client;
    this.registerServerRequests(client);
    // While closing, the SDK reports the streams we are tearing down; that is not news.
    client.onerror = (e) => {
      if (!this.closing) this.rec.error('client', e.message);
    };
    client.onclose = () => this.ended();
    try {
      if (o.oauth && this.target.transport !== 'stdio')
        await o.oauth.authorize(this.target.url, this.rec, this.id);
      this.built = buildTransport(this.target, this.rec, {
        ...(o.oauth ? { authProvider: o.oauth.provider, authFetch: o.oauth.fetch } : {}),
        ...(o.bearerToken !== undefined ? { bearerToken: o.bearerToken } : {}),
        ...(o.stderrTail !== undefined ? { stderrTail: o.stderrTail } : {}),
        onStreamBroken: (message) => this.lost(message),
      });
      const shim = new WireShim(this.built.transport, {
        ...(o.protocolVersion !== undefined ? { requestedVersion: o.protocolVersion } : {}),
        claim: (m) => this.raw?.claim(m) ?? false,
        observe: (m) => this.observe(m),
      });
      this.shim = shim;
      this.raw = new RawChannel(this.built, shim);
      await this.handshake(client, shim, timeout);
    } catch (e) {
      // A timeout means the server is alive but silent; anything else may be a death in progress.
      if (!/timed out/i.test(String((e as Error)?.message))) await settleStdioExit(this.built);
      const err = describeConnectFailure(this.target, this.built, e, timeout);
      this.rec.error('connect', err.message);
      this.setStatus('failed', err.message);
      // A server that failed the handshake gets no polite grace period.
      await (
        this.built?.stdio ? this.built.stdio.close(100) : this.built?.transport.close()
      )?.catch(() => undefined);
      this.host.onEnd?.(this, `could not connect: ${err.message.split('\n')[0]}`);
      throw err;
    }
    this.setStatus('open');
    if (this.deferredRefresh.size)
      this.refreshLists('a list_changed notification during the handshake');
  }

  /**
   * client.connect, but a stdio server that writes non-JSON to stdout (logs on the wrong stream)
   * fails NOISE_GRACE_MS after its first such line unless it answers by then, instead of at the timeout.
   */
  private async handshake(client: Client, shim: WireShim, timeout: number): Promise<void> {
    const stdio = this.built?.stdio;
    const target = this.target;
    if (!stdio || target.transport !== 'stdio') return client.connect(shim, { timeout });
    let timer: NodeJS.Timeout | undefined;
    const noisy = new Promise<never>((_, reject) => {
      stdio.onNoise = () => {
        timer ??= setTimeout(
          () =>
            reject(stdoutNoiseError(target, stdio.stdoutNoise, stdio.noiseCount, stdio.stderrTail)),
          NOISE_GRACE_MS,
        );
      };
    });
    noisy.catch(() => undefined);
    try {
      await Promise.race([client.connect(shim, { timeout }), noisy]);
    } finally {
      clearTimeout(timer);
      stdio.onNoise = undefined;
    }
  }

  private registerServerRequests(client: Client): void {
    const caps = this.opts.capabilities ?? {};
    const handle =
      (method: string) =>
      (req: { params?: unknown }, extra: { requestId: string | number; signal: AbortSignal }) =>
        this.serverRequests.handle(method, extra.requestId, req.params, extra.signal);
    // The SDK refuses handlers for capabilities not declared; undeclared ones get its "method not found".
    if (caps.sampling)
      client.setRequestHandler(
        CreateMessageRequestSchema,
        handle('sampling/createMessage') as never,
      );
    if (caps.elicitation)
      client.setRequestHandler(ElicitRequestSchema, handle('elicitation/create') as never);
    if (caps.roots) client.setRequestHandler(ListRootsRequestSchema, handle('roots/list') as never);
    // Ping is answered at once (a UI round-trip would make the server think we are dead), but raised too.
    client.setRequestHandler(PingRequestSchema, (_req, extra) => {
      this.host.emit('serverRequest', {
        connId: this.id,
        key: idKey(extra.requestId),
        id: extra.requestId,
        method: 'ping',
        params: {},
        receivedAt: nowMs(),
      });
      return {};
    });
  }

  private observe(m: JSONRPCMessage): void {
    if (!('method' in m) || 'id' in m) return;
    const params = (m.params ?? {}) as JsonObject;
    this.host.emit('notification', { connId: this.id, method: m.method, params });
    const kinds = Object.hasOwn(LIST_CHANGED, m.method) ? LIST_CHANGED[m.method] : undefined;
    if (!kinds || this.opts.refreshOnListChanged === false) return;
    for (const k of kinds) this.deferredRefresh.add(k);
    // Servers often announce changes right after `initialized`, before open() has returned.
    if (this.statusValue === 'open') this.refreshLists(m.method);
  }

  private readonly deferredRefresh = new Set<ListKind>();

  /** Kinds being refreshed now, and whether another list_changed came in meanwhile. */
  private readonly refreshing = new Map<ListKind, { again: boolean }>();

  private refreshLists(why: string): void {
    const kinds = [...this.deferredRefresh];
    this.deferredRefresh.clear();
    for (const k of kinds) {
      // At most one refresh per list at a time: a server spamming list_changed gets one more
      // listing after the current one, not one per notification.
      const running = this.refreshing.get(k);
      if (running) {
        running.again = true;
        continue;
      }
      const state = { again: false };
      this.refreshing.set(k, state);
      const run = (): void => {
        state.again = false;
        this.list(k)
          .catch((e: Error) =>
            this.rec.error(
              'client',
              `refreshing ${LIST_METHOD[k]} after ${why} failed: ${e.message}`,
            ),
          )
          .finally(() => {
            if (state.again && this.statusValue === 'open') run();
            else this.refreshing.delete(k);
          });
      };
      run();
    }
  }

  private lostReason: string | undefined;

  /**
   * An HTTP stream broke with an error (the server died or reset us): requests waiting on it would
   * only end at their timeout, so the session is over: close it now and say why.
   */
  private lost(message: string): void {
    if (this.closing || this.statusValue !== 'open' || this.lostReason !== undefined) return;
    this.lostReason = `connection lost: ${message}`;
    this.client?.close().catch(() => undefined);
  }

  /** The transport closed under us (server exited, stream dropped) or close() finished. */
  private ended(): void {
    if (this.statusValue === 'closed' || this.statusValue === 'failed') return;
    const wasConnecting = this.statusValue === 'connecting';
    const exit = this.built?.stdio?.exit;
    let reason = 'connection closed';
    if (exit)
      reason = exit.signal
        ? `server killed by ${exit.signal}`
        : `server exited with code ${exit.code}`;
    if (this.lostReason !== undefined) reason = this.lostReason;
    if (this.closing) reason = 'closed by mcpscope';
    this.serverRequests.rejectAll(`connection closed (${reason})`);
    for (const c of this.ops.values()) c.abort(new Error(reason));
    if (wasConnecting) return; // open() reports the failure itself.
    const tail = this.built?.stdio?.stderrTail ?? [];
    const detail =
      !this.closing && tail.length
        ? `${reason}; last stderr: ${tail.slice(-3).join(' | ')}`
        : reason;
    this.setStatus('closed', this.closing ? undefined : detail);
    this.host.onEnd?.(this, reason);
  }

  async close(): Promise<void> {
    if (this.statusValue === 'closed' || this.statusValue === 'failed') return;
    this.closing = true;
    const t = this.built?.transport as { terminateSession?: () => Promise<void> } | undefined;
    // Streamable HTTP: end the server-side session politely (DELETE); servers may refuse (405).
    if (this.target.transport === 'streamable-http' && t?.terminateSession && this.shim?.sessionId)
      await t.terminateSession().catch(() => undefined);
    await this.client?.close().catch(() => undefined);
    this.ended();
  }

  /** Replace the roots answered to roots/list; tells the server when roots were declared. Resolves with whether it was told. */
  async setRoots(roots: { uri: string; name?: string }[]): Promise<boolean> {
    this.serverRequests.setRoots(roots);
    if (
      this.statusValue !== 'open' ||
      !(this.opts.capabilities as { roots?: unknown } | undefined)?.roots
    )
      return false;
    await this.notifyRootsChanged();
    return true;
  }

  /** Tell the server the roots changed (it may then ask roots/list again). */
  async notifyRootsChanged(): Promise<void> {
    await this.requireClient('notifications/roots/list_changed').sendRootsListChanged();
  }

  /** Send text exactly as typed; see SendRawResult. */
  sendRaw(text: string, o: { timeoutMs?: number } = {}): Promise<SendRawResult> {
    if (!this.raw || this.statusValue !== 'open') {
      return Promise.reject(
        new Error(
          `cannot send: the connection is ${this.statusValue}${this.errorText ? ` (${this.errorText})` : ''}`,
        ),
      );
    }
    return this.raw.send(text, o.timeoutMs);
  }

  pendingServerRequests(): PendingServerRequest[] {
    return this.serverRequests.list();
  }

  answerServerRequest(key: string, result: JsonObject): boolean {
    return this.serverRequests.answer(key, result);
  }

  rejectServerRequest(
    key: string,
    error: { code: number; message: string; data?: unknown },
  ): boolean {
    return this.serverRequests.reject(key, error);
  }

  /** The stdio server's last stderr lines (empty for HTTP). */
  stderrTail(): string[] {
    return this.built?.stdio?.stderrTail ?? [];
  }
}

export { ConnectError, DEFAULT_TIMEOUT_MS, type ConnectionHost };
