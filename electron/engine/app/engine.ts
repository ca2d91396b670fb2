// The one implementation of HostApi: the session library, client connections, the live feed and
// recorder instructions behind the commands of shared/host-api.ts. Adapters (WebSocket server,
// Electron IPC) call `commands` and forward what `subscribe` delivers.

import { SchemaValidator } from '../schema/validate.js';
import { ensurePrivateDir } from '../fsperm.js';
import { platform } from 'node:process';
import {
  HostApiError,
  type AppInfo,
  type EventName,
  type HostCommandsApi,
  type HostEvents,
  type JsonObject,
} from '../../../shared/host-api.js';
import { capturesDir as defaultCapturesDir, dataDir as defaultDataDir } from '../paths.js';
import { TOOL_VERSION } from '../version.js';
import { LiveFeedServer } from '../live/server.js';
import * as A from './args.js';
import { AppConnections } from './connections.js';
import { hostsCommands } from './hosts.js';
import { AppFuzz } from './fuzz.js';
import { recorderInstructions } from './instructions.js';
import { ProfileStore } from './profiles.js';
import { SessionRegistry } from './registry.js';
import { exportAs } from './export.js';
import { AppReplay } from './replay.js';
import { SessionFindingsCache } from './findings.js';
import { scanCaptureText } from '../scan/scan.js';
import type { Connection } from '../client/index.js';

export type EngineListener = <K extends EventName>(name: K, payload: HostEvents[K]) => void;

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
}

const READ_DEFAULT = 5000;
const READ_MAX = 50_000;

export class AppEngine {
  readonly dataDir: string;
  readonly capturesDir: string;
  readonly registry: SessionRegistry;
  readonly commands: HostCommandsApi;
  private readonly listeners = new Set<EngineListener>();
  private readonly findings = new SessionFindingsCache();
  private connectionsImpl: AppConnections | undefined;
  private readonly replays = new AppReplay((id) => {
    const path = this.registry.get(id).path;
    if (!path) throw new HostApiError('unavailable', 'this session has no capture file to replay or serve; import it or record it again');
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
  private readonly fuzz: AppFuzz;

  constructor(private readonly opts: AppEngineOptions) {
    this.dataDir = opts.dataDir ?? defaultDataDir();
    this.capturesDir = opts.dataDir ? `${opts.dataDir}/captures` : defaultCapturesDir();
    this.registry = new SessionRegistry({
      capturesDir: this.capturesDir,
      emit: (n, p) => this.emit(n, p),
      ...(opts.maxResidentRecords !== undefined ? { maxResidentRecords: opts.maxResidentRecords } : {}),
    });
    this.profiles = new ProfileStore(this.dataDir);
    this.fuzz = new AppFuzz(this.capturesDir, (n, p) => this.emit(n, p), (id) => this.connections.get(id));
    this.commands = this.buildCommands();
  }

  /** Open capture files given on the command line; the UI opens one, or filters the library to several. Throws on the first bad file. */
  openFiles(paths: readonly string[]): void {
    for (const f of paths) {
      const s = this.registry.openFile(f, 'imported');
      if (!this.openSessions.includes(s.id)) this.openSessions.push(s.id);
    }
  }

  /** Every event of the engine, for the adapters to fan out. */
  subscribe(l: EngineListener): () => void {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }

  private emit<K extends EventName>(name: K, payload: HostEvents[K]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // One broken adapter must not starve the others.
      }
    }
  }

  async start(): Promise<void> {
    try {
      ensurePrivateDir(this.capturesDir, this.dataDir);
    } catch {
      // A read-only or foreign data folder: the app still opens files; recorders report their own errors.
    }
    if (this.opts.scan !== false) await this.registry.scan();
    if (this.opts.liveFeed !== false) {
      const live = new LiveFeedServer({
        dataDir: this.dataDir,
        callbacks: {
          onStart: (header, hello) => this.registry.startLive(header, 'recorder', hello.path ? { path: hello.path } : {}).id,
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
      this.connectionsImpl = new AppConnections(this.registry, (n, p) => this.emit(n, p), TOOL_VERSION);
      return this.connectionsImpl;
    } catch (e) {
      this.connectionsError = `client connections are not available in this build: ${(e as Error).message}`;
      throw new HostApiError('unavailable', this.connectionsError);
    }
  }

  private conn(args: unknown, command: string): { o: Record<string, unknown>; c: Connection } {
    const o = A.obj(command, args);
    return { o, c: this.connections.get(A.str(command, o, 'connectionId')) };
  }

  private buildCommands(): HostCommandsApi {
    // Each command checks its own argument: adapters deliver whatever the peer sent.
    const req = (o: Record<string, unknown>, command: string) => {
      const opId = A.optStr(command, o, 'opId', 200);
      const timeoutMs = A.optInt(command, o, 'timeoutMs', 1, 86_400_000);
      return { ...(opId ? { opId } : {}), ...(timeoutMs ? { timeoutMs } : {}) };
    };
    return {
      appInfo: async () => {
        const info: AppInfo = { version: TOOL_VERSION, mode: this.opts.mode, dataDir: this.dataDir, capturesDir: this.capturesDir, platform };
        if (this.live) info.liveFeed = { endpoint: this.live.endpoint };
        if (this.demoConnectionId) info.demoConnectionId = this.demoConnectionId;
        if (this.openSessions.length) info.openSessions = [...this.openSessions];
        return info;
      },
      validateToolArgs: async (args) => {
        const o = A.obj('validateToolArgs', args);
        return this.validator.validate(o.schema, o.arguments);
      },
      listSessions: async () => this.registry.list().map((s) => s.summary()),
      getSession: async (args) => this.registry.get(A.str('getSession', A.obj('getSession', args), 'sessionId')).summary(),
      readRecords: async (args) => {
        const o = A.obj('readRecords', args);
        const sessionId = A.str('readRecords', o, 'sessionId');
        const fromSeq = A.optInt('readRecords', o, 'fromSeq', 0, Number.MAX_SAFE_INTEGER) ?? 1;
        const limit = A.optInt('readRecords', o, 'limit', 1, READ_MAX) ?? READ_DEFAULT;
        const s = this.registry.loaded(sessionId);
        const records = s.slice(fromSeq, limit);
        const last = records[records.length - 1];
        const nextSeq = last ? last.seq + 1 : Math.max(fromSeq, 1);
        return { header: s.header, records, nextSeq, done: nextSeq >= s.recordCount };
      },
      importCapture: async (args) => {
        const o = A.obj('importCapture', args);
        return this.registry.importText(A.str('importCapture', o, 'name', { max: 500 }), A.str('importCapture', o, 'text', { max: 1024 * 1024 * 1024 })).summary();
      },
      exportCapture: async (args) => this.registry.exportText(A.str('exportCapture', A.obj('exportCapture', args), 'sessionId')),
      exportAs: (args) => exportAs(this.registry, args),
      rescanCaptures: async () => ({ added: await this.registry.scan() }),
      verifySession: async (args) => this.registry.verify(A.str('verifySession', A.obj('verifySession', args), 'sessionId')),
      deleteSession: async (args) => ({ deleted: this.registry.delete(A.str('deleteSession', A.obj('deleteSession', args), 'sessionId')) }),

      listProfiles: async () => this.profiles.list(),
      saveProfile: async (args) => {
        const o = A.obj('saveProfile', args);
        return this.profiles.save(A.str('saveProfile', o, 'name', { max: 200 }), A.profile(o.profile));
      },
      deleteProfile: async (args) => ({ deleted: this.profiles.delete(A.str('deleteProfile', A.obj('deleteProfile', args), 'name', { max: 200 })) }),

      getRoots: async (args) => ({ roots: this.conn(args, 'getRoots').c.serverRequests.roots ?? [] }),
      setRoots: async (args) => {
        const { o, c } = this.conn(args, 'setRoots');
        if (!Array.isArray(o.roots) || o.roots.length > 1000) throw new HostApiError('bad-request', 'setRoots: "roots" must be an array (at most 1000) of {uri, name?}');
        const roots = o.roots.map((r) => {
          const ro = A.obj('setRoots: roots[]', r);
          const name = A.optStr('setRoots', ro, 'name', 500);
          return { uri: A.str('setRoots', ro, 'uri', { max: 4000 }), ...(name !== undefined ? { name } : {}) };
        });
        return { roots, notified: await c.setRoots(roots) };
      },
      reconnect: async (args) => this.connections.reconnect(A.str('reconnect', A.obj('reconnect', args), 'connectionId')),

      listConnections: async () => this.connections.list(),
      connect: async (args) => this.connections.connect(A.profile(args)),
      disconnect: async (args) => this.connections.disconnect(A.str('disconnect', A.obj('disconnect', args), 'connectionId')),
      listTools: async (args) => ({ tools: (await this.conn(args, 'listTools').c.listTools()) as never }),
      listResources: async (args) => ({ resources: (await this.conn(args, 'listResources').c.listResources()) as never }),
      listResourceTemplates: async (args) => ({ resourceTemplates: (await this.conn(args, 'listResourceTemplates').c.listResourceTemplates()) as never }),
      listPrompts: async (args) => ({ prompts: (await this.conn(args, 'listPrompts').c.listPrompts()) as never }),
      callTool: async (args) => {
        const { o, c } = this.conn(args, 'callTool');
        const progress = A.optBool('callTool', o, 'progress');
        const result = await c.callTool(A.str('callTool', o, 'name'), A.jsonObj('callTool', o, 'arguments', true) ?? {}, {
          ...req(o, 'callTool'),
          // Progress reaches the UI as onNotification; asking for it only needs a callback here.
          ...(progress ? { onProgress: () => undefined } : {}),
        });
        return { result: result as JsonObject };
      },
      readResource: async (args) => {
        const { o, c } = this.conn(args, 'readResource');
        return { result: (await c.readResource(A.str('readResource', o, 'uri'), req(o, 'readResource'))) as JsonObject };
      },
      subscribeResource: async (args) => {
        const { o, c } = this.conn(args, 'subscribeResource');
        await c.subscribe(A.str('subscribeResource', o, 'uri'));
        return { ok: true };
      },
      unsubscribeResource: async (args) => {
        const { o, c } = this.conn(args, 'unsubscribeResource');
        await c.unsubscribe(A.str('unsubscribeResource', o, 'uri'));
        return { ok: true };
      },
      getPrompt: async (args) => {
        const { o, c } = this.conn(args, 'getPrompt');
        return { result: (await c.getPrompt(A.str('getPrompt', o, 'name'), A.strMap('getPrompt', o, 'arguments') ?? {}, req(o, 'getPrompt'))) as JsonObject };
      },
      complete: async (args) => {
        const { o, c } = this.conn(args, 'complete');
        const argument = A.obj('complete: argument', o.argument);
        const result = await c.complete(
          A.jsonObj('complete', o, 'ref')!,
          { name: A.str('complete', argument, 'name'), value: A.str('complete', argument, 'value', { optional: true }) ?? '' },
          A.jsonObj('complete', o, 'context', true),
        );
        return { result: result as JsonObject };
      },
      setLoggingLevel: async (args) => {
        const { o, c } = this.conn(args, 'setLoggingLevel');
        await c.setLevel(A.str('setLoggingLevel', o, 'level', { max: 20 }));
        return { ok: true };
      },
      ping: async (args) => ({ ok: true, latencyMs: await this.conn(args, 'ping').c.ping() }),
      sendRaw: async (args) => {
        const { o, c } = this.conn(args, 'sendRaw');
        const timeoutMs = A.optInt('sendRaw', o, 'timeoutMs', 1, 600_000);
        const r = await c.sendRaw(A.str('sendRaw', o, 'text', { max: 64 * 1024 * 1024 }), timeoutMs ? { timeoutMs } : {});
        return r as never;
      },
      cancel: async (args) => {
        const { o, c } = this.conn(args, 'cancel');
        return { sent: c.cancel(A.str('cancel', o, 'opId'), A.optStr('cancel', o, 'reason')) };
      },

      listServerRequests: async () => (this.connectionsImpl ? this.connectionsImpl.pendingRequests() : []),
      answerServerRequest: async (args) => {
        const o = A.obj('answerServerRequest', args);
        return { sent: this.connections.answer(A.str('answerServerRequest', o, 'id'), A.jsonObj('answerServerRequest', o, 'result')!) };
      },
      rejectServerRequest: async (args) => {
        const o = A.obj('rejectServerRequest', args);
        const code = A.optInt('rejectServerRequest', o, 'code', -2_147_483_648, 2_147_483_647) ?? -1;
        return { sent: this.connections.reject(A.str('rejectServerRequest', o, 'id'), code, A.str('rejectServerRequest', o, 'message')) };
      },

      recorderInstructions: async (args) => recorderInstructions(A.recorderRequest(args)),
      ...hostsCommands(this.dataDir),
      replaySession: async (args) => {
        const o = A.obj('replaySession', args);
        const ignore = A.strArray('replaySession', o, 'ignore');
        const timeoutMs = A.optInt('replaySession', o, 'timeoutMs', 1, 600_000);
        return this.replays.replay({ sessionId: A.str('replaySession', o, 'sessionId'), ...(ignore ? { ignore } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
      },
      serveMock: async (args) => {
        const o = A.obj('serveMock', args);
        return this.replays.serveMock({ sessionId: A.str('serveMock', o, 'sessionId'), strict: A.optBool('serveMock', o, 'strict') === true });
      },
      stopMock: async (args) => this.replays.stopMock(A.str('stopMock', A.obj('stopMock', args), 'sessionId')),
      getFindings: async (args) => {
        const id = A.str('getFindings', A.obj('getFindings', args), 'sessionId');
        const s = this.registry.get(id);
        return this.findings.get(id, s.path, s.path ? undefined : { header: s.header, records: s.records });
      },
      scanCapture: async (args) => {
        const scan = await scanCaptureText(A.str('scanCapture', A.obj('scanCapture', args), 'text', { max: 1024 * 1024 * 1024 }), {}, 'imported capture');
        return { findings: scan.findings, records: scan.records };
      },
      startFuzz: (args) => this.fuzz.start(args),
      stopFuzz: (args) => this.fuzz.stop(args),
    };
  }

  async dispose(): Promise<void> {
    await this.validator.close();
    this.fuzz.dispose();
    this.registry.flush();
    this.registry.dispose();
    await this.live?.stop();
    this.live = undefined;
    await this.connectionsImpl?.dispose();
    await this.replays.dispose();
  }
}
