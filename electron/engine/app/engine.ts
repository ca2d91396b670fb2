// The one implementation of HostApi: the session library, client connections, the live feed and
// recorder instructions behind the commands of shared/host-api.ts. Adapters (WebSocket server,
// Electron IPC) call `commands` and forward what `subscribe` delivers.

import { SchemaValidator } from '../schema/validate.js';
import { ensurePrivateDir } from '../fsperm.js';
import { platform } from 'node:process';
import {
  COMMAND_NAMES,
  HostApiError,
  type AppInfo,
  type CommandName,
  type EventName,
  type HostCommandsApi,
  type HostEvents,
  type OperationOptions,
} from '../../../shared/host-api.js';
import { checkCommandArgs } from '../../../shared/host-api-schemas.js';
import { capturesDir as defaultCapturesDir, dataDir as defaultDataDir } from '../paths.js';
import { TOOL_VERSION } from '../version.js';
import { LiveFeedServer } from '../live/server.js';
import { AppConnections } from './connections.js';
import { hostsCommands } from './hosts.js';
import { retentionCommands } from './retention.js';
import { AppFuzz } from './fuzz.js';
import { recorderInstructions } from './instructions.js';
import { ProfileStore } from './profiles.js';
import { UiStateStore } from './ui-state.js';
import { StoreSources, type SecretBox } from './store-sources.js';
import { readCaptureBytes } from './capture-bytes.js';
import { SessionRegistry } from './registry.js';
import { AgeIdentityStore } from './age-identity.js';
import { Uploads } from './upload.js';
import { exportAs, exportProgress } from './export.js';
import { ExportFiles } from './export-files.js';
import { taskCommands } from './interact.js';
import { AppReplay } from './replay.js';
import { SessionFindingsCache } from './findings.js';
import { SubscriptionRegistry } from './subscriptions.js';
import { scanCaptureText } from '../scan/scan.js';
import { PinStore } from '../scan/pins.js';
import type { Connection } from '../client/index.js';
import type { ReadOptions } from '../capture/lines.js';

export type EngineListener = <K extends EventName>(name: K, payload: HostEvents[K]) => void;

/** One UI attached to the engine: its own commands (with its subscriptions) and a way out. */
export interface AttachedUi {
  commands: HostCommandsApi;
  detach(): void;
}

export interface AppEngineOptions {
  mode: AppInfo['mode'];
  /** Defaults to dataDir() (MCPSCOPE_HOME or the platform folder). */
  dataDir?: string;
  /** Accept live recorder feeds (default true). */
  liveFeed?: boolean;
  /** Load the captures folder at start (default true). */
  scan?: boolean;
  /** Memory bound for closed sessions' records (see SessionRegistry). */
  maxResidentRecords?: number;
  /** Encrypts team-store connection strings to remember them (Electron: safeStorage). */
  secretBox?: SecretBox;
}

const READ_DEFAULT = 5000;

export class AppEngine {
  readonly dataDir: string;
  readonly capturesDir: string;
  readonly registry: SessionRegistry;
  readonly commands: HostCommandsApi;
  private readonly listeners = new Set<EngineListener>();
  private readonly findings: SessionFindingsCache;
  /** The rug-pull pins of this data directory: sessions are compared with them as `scan` does. */
  private readonly pins: PinStore;
  /** Attached UIs and the sessions each one shows (see attach). */
  readonly subscriptions = new SubscriptionRegistry();
  private connectionsImpl: AppConnections | undefined;
  private readonly replays = new AppReplay((id) => {
    const path = this.registry.get(id).path;
    if (!path)
      throw new HostApiError(
        'unavailable',
        'this session has no capture file to replay or serve; import it or record it again',
      );
    return path;
  });
  private connectionsError: string | undefined;
  private live: LiveFeedServer | undefined;
  /** Why live feeds are not accepted, if they are not. */
  liveFeedError: string | undefined;
  demoConnectionId: string | undefined;
  /** Tool-argument validation off the UI thread, with a time budget. */
  private readonly validator = new SchemaValidator();
  /** Sessions of the files the app was started with (see openFiles). */
  openSessions: string[] = [];
  readonly profiles: ProfileStore;
  private readonly uiState: UiStateStore;
  private readonly fuzz: AppFuzz;
  private readonly stores: StoreSources;
  private readonly ageIdentity: AgeIdentityStore;
  private readonly uploads: Uploads;
  /** The Export menu's files and their download tickets (the UI server redeems them). */
  readonly exportFiles: ExportFiles;

  constructor(private readonly opts: AppEngineOptions) {
    this.dataDir = opts.dataDir ?? defaultDataDir();
    this.capturesDir = opts.dataDir ? `${opts.dataDir}/captures` : defaultCapturesDir();
    this.registry = new SessionRegistry({
      capturesDir: this.capturesDir,
      emit: (n, p) => this.emit(n, p),
      ...(opts.maxResidentRecords !== undefined
        ? { maxResidentRecords: opts.maxResidentRecords }
        : {}),
    });
    this.profiles = new ProfileStore(this.dataDir);
    this.uiState = new UiStateStore(this.dataDir);
    this.pins = new PinStore({ MCPSCOPE_HOME: this.dataDir });
    this.findings = new SessionFindingsCache({ pins: this.pins });
    this.stores = new StoreSources(this.dataDir, this.registry, opts.secretBox);
    this.ageIdentity = new AgeIdentityStore(this.dataDir, this.capturesDir, this.registry);
    this.uploads = new Uploads(this.capturesDir, this.registry);
    this.exportFiles = new ExportFiles(`${this.dataDir}/exports`, this.dataDir);
    this.fuzz = new AppFuzz(
      this.capturesDir,
      (n, p) => this.emit(n, p),
      (id) => this.connections.get(id),
    );
    this.commands = this.buildCommands();
  }

  /** Open capture files given on the command line; the UI opens one, or filters the library to several. Throws on the first bad file. */
  async openFiles(paths: readonly string[], opts: ReadOptions = {}): Promise<void> {
    for (const f of paths) {
      const s = await this.registry.openFile(f, 'imported', opts);
      if (!this.openSessions.includes(s.id)) this.openSessions.push(s.id);
    }
  }

  /** Every event of the engine, unfiltered (in-process callers: the CLI, tests). */
  subscribe(l: EngineListener): () => void {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }

  /**
   * A UI (WebSocket, Electron window) attaches here: `deliver` receives the library-wide events
   * and the events of the sessions it subscribed to with its own `commands.subscribeSessions`.
   */
  attach(deliver: EngineListener): AttachedUi {
    const id = this.subscriptions.attach(deliver);
    const commands = Object.create(this.commands) as Record<string, unknown>;
    commands.subscribeSessions = async (args: unknown) => ({
      sessionIds: this.subscriptions.subscribe(
        id,
        checkCommandArgs('subscribeSessions', args).sessionIds,
      ),
    });
    commands.unsubscribeSessions = async (args: unknown) => ({
      sessionIds: this.subscriptions.unsubscribe(
        id,
        checkCommandArgs('unsubscribeSessions', args).sessionIds,
      ),
    });
    return {
      commands: commands as unknown as HostCommandsApi,
      detach: () => this.subscriptions.detach(id),
    };
  }

  private emit<K extends EventName>(name: K, payload: HostEvents[K]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // One broken adapter must not starve the others.
      }
    }
    this.subscriptions.route(name, payload);
  }

  async start(): Promise<void> {
    try {
      ensurePrivateDir(this.capturesDir, this.dataDir);
    } catch {
      // A read-only or foreign data folder: the app still opens files; recorders report their own errors.
    }
    // Remembered team stores (decrypted through the SecretBox; nothing without one).
    await this.stores.load();
    if (this.opts.scan !== false) {
      await this.registry.scan();
      // Encrypted captures in the folder, with the identity chosen in Settings (if any).
      this.ageIdentity.load();
      await this.ageIdentity.scan();
    }
    if (this.opts.liveFeed !== false) {
      const live = new LiveFeedServer({
        dataDir: this.dataDir,
        callbacks: {
          onStart: (header, hello) =>
            this.registry.startLive(header, 'recorder', hello.path ? { path: hello.path } : {}).id,
          onRecords: (id, records) => this.registry.appendLive(id, records),
          onEnd: (id) => this.registry.endLive(id),
        },
      });
      try {
        await live.start();
        this.live = live;
      } catch (e) {
        this.liveFeedError = (e as Error).message;
      }
    }
  }

  /** Client connections, created on first use (the client engine spawns nothing until asked). */
  get connections(): AppConnections {
    if (this.connectionsImpl) return this.connectionsImpl;
    if (this.connectionsError) throw new HostApiError('unavailable', this.connectionsError);
    try {
      this.connectionsImpl = new AppConnections(
        this.registry,
        (n, p) => this.emit(n, p),
        TOOL_VERSION,
      );
      return this.connectionsImpl;
    } catch (e) {
      this.connectionsError = `client connections are not available in this build: ${(e as Error).message}`;
      throw new HostApiError('unavailable', this.connectionsError);
    }
  }

  private conn(args: { connectionId: string }): Connection {
    return this.connections.get(args.connectionId);
  }

  /** Every command checks its argument against its zod schema first: adapters deliver whatever the peer sent. */
  private buildCommands(): HostCommandsApi {
    const impl = this.implementCommands();
    const checked = Object.create(null) as Record<CommandName, (args: unknown) => Promise<unknown>>;
    for (const name of COMMAND_NAMES) {
      const run = impl[name] as (args: unknown) => Promise<unknown>;
      checked[name] = async (args) => run(checkCommandArgs(name, args));
    }
    return checked as HostCommandsApi;
  }

  private implementCommands(): HostCommandsApi {
    // With an opId and `progress`, notifications/progress reach the UI as onProgress for that opId.
    const req = (o: OperationOptions & { connectionId: string }) => {
      const { opId, connectionId } = o;
      return {
        ...(opId ? { opId } : {}),
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
        ...(o.progress
          ? {
              onProgress: (p: { progress: number; total?: number; message?: string }) => {
                if (!opId) return;
                const sessionId = this.connections.sessionOfConnection(connectionId);
                this.emit('onProgress', { connectionId, sessionId, opId, ...p });
              },
            }
          : {}),
      };
    };
    return {
      appInfo: async () => {
        const info: AppInfo = {
          version: TOOL_VERSION,
          mode: this.opts.mode,
          dataDir: this.dataDir,
          capturesDir: this.capturesDir,
          platform,
        };
        if (this.live) info.liveFeed = { endpoint: this.live.endpoint };
        if (this.demoConnectionId) info.demoConnectionId = this.demoConnectionId;
        if (this.openSessions.length) info.openSessions = [...this.openSessions];
        return info;
      },
      validateToolArgs: async (a) => this.validator.validate(a.schema, a.arguments),
      // Subscriptions belong to one UI: attach() gives each UI commands that implement these.
      subscribeSessions: async () => {
        throw new HostApiError(
          'unavailable',
          'subscriptions belong to a UI connection, and this caller has none (adapters use engine.attach)',
        );
      },
      unsubscribeSessions: async () => {
        throw new HostApiError(
          'unavailable',
          'subscriptions belong to a UI connection, and this caller has none (adapters use engine.attach)',
        );
      },
      listSessions: async () => this.registry.list().map((s) => s.summary()),
      getSession: async ({ sessionId }) => this.registry.get(sessionId).summary(),
      readRecords: async ({ sessionId, fromSeq = 1, limit = READ_DEFAULT }) => {
        const s = await this.registry.loaded(sessionId);
        const records = s.slice(fromSeq, limit);
        const last = records[records.length - 1];
        const nextSeq = last ? last.seq + 1 : Math.max(fromSeq, 1);
        return { header: s.header, records, nextSeq, done: nextSeq >= s.recordCount };
      },
      readCaptureBytes: (a) => readCaptureBytes(this.registry, a),
      importCapture: async ({ name, text }) => this.registry.importText(name, text).summary(),
      exportCapture: async ({ sessionId }) => this.registry.exportText(sessionId),
      exportAs: (args) => exportAs(this.registry, this.exportFiles, args),
      exportProgress: async ({ jobId }) => exportProgress(jobId),
      exportDownload: async ({ downloadId }) => this.exportFiles.ticket(downloadId),
      exportDiscard: async ({ downloadId }) => ({ deleted: this.exportFiles.discard(downloadId) }),
      rescanCaptures: async () => {
        const added = await this.registry.scan();
        const before = this.registry.list().length;
        await this.ageIdentity.scan();
        return { added: added + this.registry.list().length - before };
      },
      verifySession: async ({ sessionId }) => this.registry.verify(sessionId),
      deleteSession: async ({ sessionId }) => ({ deleted: this.registry.delete(sessionId) }),

      listProfiles: async () => this.profiles.list(),
      saveProfile: async ({ name, profile }) => this.profiles.save(name, profile),
      deleteProfile: async ({ name }) => ({ deleted: this.profiles.delete(name) }),
      addStoreSource: (a) => this.stores.add(a),
      listStoreSources: async () => this.stores.list(),
      removeStoreSource: async ({ sourceId }) => ({
        removed: await this.stores.remove(sourceId),
      }),
      listStoreSessions: (a) => this.stores.sessions(a),
      openStoreSession: ({ sourceId, sessionId }) => this.stores.openSession(sourceId, sessionId),
      getUiState: async ({ key }) => ({ value: this.uiState.get(key) }),
      setUiState: async ({ key, value }) => {
        this.uiState.set(key, value);
        return { saved: true };
      },

      getRoots: async (a) => ({ roots: this.conn(a).serverRequests.roots ?? [] }),
      setRoots: async (a) => {
        const roots = a.roots.map((r) => ({
          uri: r.uri,
          ...(r.name !== undefined ? { name: r.name } : {}),
        }));
        return { roots, notified: await this.conn(a).setRoots(roots) };
      },
      reconnect: async ({ connectionId }) => this.connections.reconnect(connectionId),
      listOAuthFlows: async () => this.connections.oauth.list(),
      cancelOAuth: async ({ connectionId }) => ({
        cancelled: this.connections.oauth.cancel(connectionId),
      }),
      ...taskCommands((a) => this.conn(a)),

      listConnections: async () => this.connections.list(),
      connect: async (profile) => this.connections.connect(profile),
      disconnect: async ({ connectionId }) => this.connections.disconnect(connectionId),
      listTools: async (a) => ({ tools: await this.conn(a).listTools() }),
      listResources: async (a) => ({ resources: await this.conn(a).listResources() }),
      listResourceTemplates: async (a) => ({
        resourceTemplates: await this.conn(a).listResourceTemplates(),
      }),
      listPrompts: async (a) => ({ prompts: await this.conn(a).listPrompts() }),
      callTool: async (a) => {
        const result = await this.conn(a).callTool(a.name, a.arguments ?? {}, req(a));
        return { result };
      },
      readResource: async (a) => ({ result: await this.conn(a).readResource(a.uri, req(a)) }),
      subscribeResource: async (a) => {
        await this.conn(a).subscribe(a.uri);
        return { ok: true };
      },
      unsubscribeResource: async (a) => {
        await this.conn(a).unsubscribe(a.uri);
        return { ok: true };
      },
      getPrompt: async (a) => ({
        result: await this.conn(a).getPrompt(a.name, a.arguments ?? {}, req(a)),
      }),
      complete: async (a) => ({
        result: await this.conn(a).complete(a.ref, a.argument, a.context),
      }),
      setLoggingLevel: async (a) => {
        await this.conn(a).setLevel(a.level);
        return { ok: true };
      },
      ping: async (a) => ({ ok: true, latencyMs: await this.conn(a).ping() }),
      sendRaw: async (a) =>
        this.conn(a).sendRaw(a.text, a.timeoutMs ? { timeoutMs: a.timeoutMs } : {}),
      cancel: async (a) => ({ sent: this.conn(a).cancel(a.opId, a.reason) }),

      listServerRequests: async () =>
        this.connectionsImpl ? this.connectionsImpl.pendingRequests() : [],
      answerServerRequest: async ({ id, result }) => ({
        sent: this.connections.answer(id, result),
      }),
      rejectServerRequest: async ({ id, code = -1, message }) => ({
        sent: this.connections.reject(id, code, message),
      }),

      recorderInstructions: async (a) => recorderInstructions(a),
      ...hostsCommands(this.dataDir),
      ...retentionCommands(this.dataDir, this.registry),
      ...this.ageIdentity.commands(),
      ...this.uploads.commands(),
      replaySession: async (a) => this.replays.replay(a),
      serveMock: async (a) =>
        this.replays.serveMock({ sessionId: a.sessionId, strict: a.strict === true }),
      stopMock: async ({ sessionId }) => this.replays.stopMock(sessionId),
      getFindings: async ({ sessionId }) => {
        const s = this.registry.get(sessionId);
        return this.findings.get(
          sessionId,
          s.path,
          s.path ? undefined : { header: s.header, records: s.records },
          this.registry.readOptions(sessionId),
        );
      },
      scanCapture: async ({ text }) => {
        const scan = await scanCaptureText(text, { pins: this.pins }, 'imported capture');
        return { findings: scan.findings, records: scan.records };
      },
      startFuzz: (args) => this.fuzz.start(args),
      stopFuzz: (args) => this.fuzz.stop(args),
    };
  }

  async dispose(): Promise<void> {
    await this.validator.close();
    this.fuzz.dispose();
    this.uploads.dispose();
    this.exportFiles.dispose();
    this.registry.flush();
    this.registry.dispose();
    this.stores.dispose();
    await this.live?.stop();
    this.live = undefined;
    await this.connectionsImpl?.dispose();
    await this.replays.dispose();
  }
}
