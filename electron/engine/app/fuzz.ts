// startFuzz / stopFuzz of the host API: a campaign against the server of an open connection,
// run with a fresh process (or HTTP session) from the connection's target, recorded into the
// captures folder, with progress and findings pushed as events.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  ARG_MODES,
  FUZZ_FAMILIES,
  type ArgMode,
  type FuzzFamily,
} from '../../../shared/fuzz/index.js';
import { CAPTURE_EXTENSION } from '../../../shared/capture/index.js';
import {
  HostApiError,
  type EventName,
  type FuzzRunInfo,
  type HostEvents,
  type StartFuzzArgs,
} from '../../../shared/host-api.js';
import type { Connection } from '../client/index.js';
import { runCampaign, type FuzzTarget } from '../fuzz/index.js';
import * as A from './args.js';

type Emit = <K extends EventName>(name: K, payload: HostEvents[K]) => void;

function pickList<T extends string>(
  o: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
): T[] | undefined {
  const v = A.strArray('startFuzz', o, key);
  if (v === undefined) return undefined;
  const bad = v.filter((x) => !allowed.includes(x as T));
  if (bad.length > 0)
    throw new HostApiError(
      'bad-request',
      `startFuzz: ${key} has unknown values ${JSON.stringify(bad)}; use ${allowed.join(', ')}`,
    );
  return v as T[];
}

export class AppFuzz {
  private readonly runs = new Map<string, AbortController>();

  constructor(
    private readonly capturesDir: string,
    private readonly emit: Emit,
    private readonly connection: (id: string) => Connection,
  ) {}

  // async: a bad argument rejects the returned promise like every other command.
  async start(args: unknown): Promise<FuzzRunInfo> {
    const o = A.obj('startFuzz', args);
    const connectionId = A.str('startFuzz', o, 'connectionId');
    const conn = this.connection(connectionId);
    const t = conn.target;
    if (t.kind === 'http' && t.sse)
      throw new HostApiError(
        'bad-request',
        'startFuzz: legacy HTTP+SSE servers cannot be fuzzed yet; use a stdio or Streamable HTTP connection',
      );
    const target: FuzzTarget =
      t.kind === 'stdio'
        ? {
            kind: 'stdio',
            command: t.command,
            args: t.args ?? [],
            ...(t.env ? { env: t.env } : {}),
            ...(t.cwd ? { cwd: t.cwd } : {}),
          }
        : { kind: 'http', url: t.url, ...(t.headers ? { headers: t.headers } : {}) };
    const req: StartFuzzArgs = { connectionId };
    const seed =
      A.optInt('startFuzz', o, 'seed', -(2 ** 31), 2 ** 31 - 1) ??
      Math.floor(Math.random() * 2 ** 31);
    const families: FuzzFamily[] | undefined = pickList(o, 'families', FUZZ_FAMILIES);
    const modes: ArgMode[] | undefined = pickList(o, 'modes', ARG_MODES);
    const tools = A.strArray('startFuzz', o, 'tools');
    req.cases = A.optInt('startFuzz', o, 'cases', 1, 1_000_000) ?? 2000;
    req.timeoutMs = A.optInt('startFuzz', o, 'timeoutMs', 1, 600_000) ?? 5000;
    const runId = `fuzz-${randomBytes(6).toString('hex')}`;
    const capture = join(
      this.capturesDir,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${runId}${CAPTURE_EXTENSION}`,
    );
    const ctl = new AbortController();
    this.runs.set(runId, ctl);
    void runCampaign({
      target,
      seed,
      cases: req.cases,
      timeoutMs: req.timeoutMs,
      capturePath: capture,
      includeDestructive: A.optBool('startFuzz', o, 'includeDestructive') ?? false,
      signal: ctl.signal,
      onProgress: (p) => this.emit('onFuzzProgress', { runId, ...p }),
      onFinding: (finding) => this.emit('onFuzzFinding', { runId, finding }),
      ...(tools ? { tools } : {}),
      ...(families ? { families } : {}),
      ...(modes ? { modes } : {}),
    }).then(
      (report) => {
        this.runs.delete(runId);
        this.emit('onFuzzDone', { runId, report });
      },
      (e: unknown) => {
        this.runs.delete(runId);
        this.emit('onFuzzDone', { runId, error: (e as Error).message });
      },
    );
    return { runId, connectionId, seed, capture };
  }

  async stop(args: unknown): Promise<{ stopped: boolean }> {
    const runId = A.str('stopFuzz', A.obj('stopFuzz', args), 'runId');
    const ctl = this.runs.get(runId);
    ctl?.abort();
    return { stopped: ctl !== undefined };
  }

  dispose(): void {
    for (const c of this.runs.values()) c.abort();
  }
}
