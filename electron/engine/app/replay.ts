// The app's replay and mock commands: replay a library session against its recorded server, and
// serve a session as a Streamable HTTP mock on 127.0.0.1 (one per session, stopped on dispose).

import type { JsonValue } from '../../../shared/host-api.js';
import { HostApiError } from '../../../shared/host-api.js';
import type {
  MockInfo,
  ReplaySessionArgs,
  ReplaySessionResult,
  ServeMockArgs,
} from '../../../shared/host-api-replay.js';
import { buildPlan, pointerProblem } from '../../../shared/replay/index.js';
import { loadCaptureFile } from '../capture/load.js';
import { serveHttp, type HttpMock } from '../mock/http.js';
import { runReplay } from '../replay/run.js';
import { ReplayTargetError, targetFromSource } from '../replay/target.js';
import { defaultMcpscopeCommand, shellQuote } from './instructions.js';

export class AppReplay {
  private readonly mocks = new Map<string, { mock: HttpMock; info: MockInfo }>();

  /** `pathOf(sessionId)`: the session's capture file (throws a HostApiError when it has none). */
  constructor(private readonly pathOf: (sessionId: string) => string) {}

  async replay(args: ReplaySessionArgs): Promise<ReplaySessionResult> {
    for (const p of args.ignore ?? []) {
      const problem = pointerProblem(p);
      if (problem) throw new HostApiError('bad-request', `replaySession: ignore ${problem}`);
    }
    const path = this.pathOf(args.sessionId);
    const plan = buildPlan(await loadCaptureFile(path));
    let target;
    try {
      target = targetFromSource(plan.source);
    } catch (e) {
      if (e instanceof ReplayTargetError) throw new HostApiError('unavailable', e.message);
      throw e;
    }
    const r = await runReplay(plan, {
      target,
      originalPath: path,
      ...(args.ignore ? { ignore: args.ignore } : {}),
      ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
    });
    return {
      exchanges: r.json.exchanges,
      same: r.json.same,
      summary: r.summary,
      capturePath: r.capturePath,
      exchangesDetail: r.results.map((x) => ({
        seq: x.seq,
        method: x.method,
        ...(x.subject !== undefined ? { subject: x.subject } : {}),
        ...(x.recorded !== undefined ? { recorded: x.recorded as JsonValue } : {}),
        ...(x.replayed !== undefined ? { replayed: x.replayed as JsonValue } : {}),
        differences: x.differences.map((d) => ({
          pointer: d.pointer,
          ...('recorded' in d ? { recorded: (d.recorded ?? null) as JsonValue } : {}),
          ...('replayed' in d ? { replayed: (d.replayed ?? null) as JsonValue } : {}),
        })),
      })),
    };
  }

  async serveMock(args: ServeMockArgs): Promise<MockInfo> {
    const running = this.mocks.get(args.sessionId);
    if (running) return running.info;
    const path = this.pathOf(args.sessionId);
    const plan = buildPlan(await loadCaptureFile(path), { binding: false });
    if (!plan.initialize)
      throw new HostApiError(
        'unavailable',
        'this recording has no initialize, so no client can connect to its mock; record a session that includes the handshake',
      );
    const mock = await serveHttp(plan, '127.0.0.1:0', { strict: args.strict === true });
    const argv = [...defaultMcpscopeCommand(), 'mock', path, ...(args.strict ? ['--strict'] : [])];
    const info: MockInfo = {
      sessionId: args.sessionId,
      url: mock.url,
      argv,
      commandLine: argv.map((a) => shellQuote(a)).join(' '),
    };
    this.mocks.set(args.sessionId, { mock, info });
    return info;
  }

  async stopMock(sessionId: string): Promise<{ stopped: boolean }> {
    const m = this.mocks.get(sessionId);
    if (!m) return { stopped: false };
    this.mocks.delete(sessionId);
    await m.mock.close();
    return { stopped: true };
  }

  async dispose(): Promise<void> {
    for (const id of [...this.mocks.keys()]) await this.stopMock(id);
  }
}
