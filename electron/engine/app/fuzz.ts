// startFuzz / stopFuzz of the host API: a campaign against the server of an open connection,
// run with a fresh process (or HTTP session) from the connection's target, recorded into the
// captures folder, with progress and findings pushed as events.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ArgMode, FuzzFamily } from '../../../shared/fuzz/index.js';
import { CAPTURE_EXTENSION } from '../../../shared/capture/index.js';
import {
  HostApiError,
  type EventName,
  type FuzzRunInfo,
  type HostEvents,
  type StartFuzzArgs,
} from '../../../shared/host-api.js';
import type { Connection } from '../client/index.js';
import { requireTransport } from '../../../shared/target.js';
import { FUZZ_TRANSPORTS, runCampaign, type FuzzTarget } from '../fuzz/index.js';

type Emit = <K extends EventName>(name: K, payload: HostEvents[K]) => void;

export class AppFuzz {
  private readonly runs = new Map<string, AbortController>();

  constructor(
    private readonly capturesDir: string,
    private readonly emit: Emit,
    private readonly connection: (id: string) => Connection,
  ) {}

  // async: a bad argument rejects the returned promise like every other command.
  // The argument was checked by its schema (host-api-schemas-features.ts).
  async start(o: StartFuzzArgs): Promise<FuzzRunInfo> {
    const connectionId = o.connectionId;
    const conn = this.connection(connectionId);
    const t = conn.target;
    try {
      requireTransport(t, FUZZ_TRANSPORTS, 'startFuzz: the fuzzer');
    } catch (e) {
      throw new HostApiError('bad-request', (e as Error).message);
    }
    const target: FuzzTarget = t;
    const req: StartFuzzArgs = { connectionId };
    const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
    const families: FuzzFamily[] | undefined = o.families;
    const modes: ArgMode[] | undefined = o.modes;
    const tools = o.tools;
    req.cases = o.cases ?? 2000;
    req.timeoutMs = o.timeoutMs ?? 5000;
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
      includeDestructive: o.includeDestructive ?? false,
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

  async stop({ runId }: { runId: string }): Promise<{ stopped: boolean }> {
    const ctl = this.runs.get(runId);
    ctl?.abort();
    return { stopped: ctl !== undefined };
  }

  dispose(): void {
    for (const c of this.runs.values()) c.abort();
  }
}
