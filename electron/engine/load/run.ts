// A whole load probe: connect (handshake, and for a tool: check it is read-only), sample the
// server process, run the generator, record the capture, build the summary and the findings.

import { redactArgs, redactUrl, type CaptureSource } from '../../../shared/capture/index.js';
import { isLoopback } from '../../../shared/detect/transport.js';
import type { Finding } from '../../../shared/detect/types.js';
import { loadFindings, rampKnee, type FindingOptions } from '../../../shared/load/findings.js';
import type { LoadSummary } from '../../../shared/load/types.js';
import { requireTransport, type ServerTarget } from '../../../shared/target.js';
import { LoadCapture } from './capture.js';
import { requestLine, SetupError, type LoadDriver } from './driver.js';
import { runLoad, type LoadMode, type Progress, type RampPlan } from './generator.js';
import { HttpLoadDriver } from './http.js';
import { procAvailable, ProcessSampler } from './procstat.js';
import { listTools } from './setup.js';
import { StdioLoadDriver } from './stdio.js';

/** The shared target model (shared/target.ts); load runs take stdio and Streamable HTTP. */
export type LoadTarget = ServerTarget;
export const LOAD_TRANSPORTS = ['stdio', 'streamable-http'] as const;

/** Methods that only read: anything else is refused without --include-destructive. */
export const READ_ONLY_METHODS: ReadonlySet<string> = new Set([
  'ping',
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'tools/call',
]);

export interface LoadOptions {
  target: LoadTarget;
  method?: string;
  tool?: string;
  args?: Record<string, unknown>;
  mode: LoadMode;
  durationMs: number;
  requests: number;
  timeoutMs: number;
  ramp?: RampPlan;
  includeDestructive?: boolean;
  /** Where to record the run; undefined: not recorded. */
  capturePath?: string;
  /** Exchanges recorded per second at most (default 100). */
  samplePerSecond?: number;
  maxInFlight?: number;
  /**
   * Tests only: judge a loopback target as if it were remote (for transport.no-rate-limit).
   * Never set by the CLI.
   */
  treatAsRemote?: boolean;
  findings?: FindingOptions;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Unmeasured requests sent first, 4 at a time (JIT, connections; default 20, 0 for none). */
  warmup?: number;
  /** How often the server process is sampled (ms, default 250). */
  processEveryMs?: number;
}

export interface LoadResult {
  summary: LoadSummary;
  findings: Finding[];
  capture?: string;
}

/** A safety rule refused the run (a destructive tool, a non-read-only method). */
export class LoadRefused extends Error {}

export function isRemoteTarget(t: LoadTarget): boolean {
  if (t.transport === 'stdio') return false;
  try {
    return !isLoopback(new URL(t.url).hostname);
  } catch {
    return false;
  }
}

function label(t: LoadTarget): string {
  return t.transport === 'stdio'
    ? [t.command, ...redactArgs(t.args ?? [])].join(' ').slice(0, 200)
    : redactUrl(t.url);
}

/**
 * A few unmeasured requests before the clock starts, so the first interval measures the server,
 * not a cold JIT or connections being opened. Their failures (a 429 already) are not the run's.
 */
async function warmUp(
  driver: LoadDriver,
  method: string,
  params: Record<string, unknown> | undefined,
  n: number,
  timeoutMs: number,
): Promise<void> {
  let left = n;
  const worker = async () => {
    while (left-- > 0) await driver.call(method, params, timeoutMs).catch(() => undefined);
  };
  await Promise.all(Array.from({ length: Math.min(4, n) }, worker));
}

export async function probeLoad(o: LoadOptions): Promise<LoadResult> {
  requireTransport(o.target, LOAD_TRANSPORTS, 'a load run');
  const method = o.tool !== undefined ? 'tools/call' : (o.method ?? 'ping');
  if (!READ_ONLY_METHODS.has(method) && !o.includeDestructive) {
    throw new LoadRefused(
      `--method ${method}: not a read-only method, so a load run could change the server's state thousands of times. Use ping or a read-only tool, or add --include-destructive if you really mean it.`,
    );
  }
  if (method === 'tools/call' && o.tool === undefined)
    throw new LoadRefused('--method tools/call needs --tool NAME (and --args JSON).');
  const driver: LoadDriver =
    o.target.transport === 'stdio'
      ? new StdioLoadDriver(o.target)
      : new HttpLoadDriver({
          url: o.target.url,
          ...(o.target.headers ? { headers: o.target.headers } : {}),
          sockets: o.mode.kind === 'concurrency' ? Math.min(512, o.mode.concurrency) : 64,
        });
  const source: CaptureSource =
    o.target.transport === 'stdio'
      ? {
          transport: 'stdio',
          command: [o.target.command, ...redactArgs(o.target.args ?? [])],
          name: 'load',
        }
      : { transport: 'streamable-http', url: redactUrl(o.target.url), name: 'load' };
  const capture =
    o.capturePath !== undefined
      ? new LoadCapture(o.capturePath, source, o.samplePerSecond ?? 100)
      : undefined;
  if (capture) {
    driver.sink.http = (s, h) => capture.http(s, h);
    driver.sink.stderr = (l) => capture.stderr(l);
  }
  const startedAt = new Date().toISOString();
  let sampler: ProcessSampler | undefined;
  try {
    // The handshake may be slow (a server starting up) even when load answers must be fast.
    const setupMs = Math.max(o.timeoutMs, 10_000);
    await driver.open(capture?.setupFrame ?? (() => undefined), setupMs);
    if (capture && o.target.transport === 'stdio')
      capture.spawn(o.target.command, redactArgs(o.target.args ?? []), driver.pid);
    let params: Record<string, unknown> | undefined;
    if (o.tool !== undefined) {
      const tools = await listTools(driver, setupMs);
      const tool = tools.find((t) => t.name === o.tool);
      if (!tool)
        throw new LoadRefused(
          `the server has no tool "${o.tool}". Its tools: ${
            tools
              .map((t) => t.name)
              .slice(0, 30)
              .join(', ') || '(none)'
          }.`,
        );
      if (tool.annotations?.readOnlyHint !== true && !o.includeDestructive) {
        throw new LoadRefused(
          `tool "${o.tool}" is not marked read-only (annotations.readOnlyHint is not true), so calling it thousands of times could change or destroy data. Load a read-only tool or ping, or add --include-destructive if you own the server and its data.`,
        );
      }
      params = { name: o.tool, arguments: o.args ?? {} };
    }
    await warmUp(driver, method, params, o.warmup ?? 20, setupMs);
    if (driver.pid !== undefined && procAvailable()) {
      sampler = new ProcessSampler(driver.pid, performance.now(), o.processEveryMs ?? 250);
      sampler.start();
    }
    const stats = await runLoad(
      driver,
      requestLine(method, params),
      {
        mode: o.mode,
        durationMs: o.durationMs,
        requests: o.requests,
        timeoutMs: o.timeoutMs,
        ...(o.ramp ? { ramp: o.ramp } : {}),
        ...(o.maxInFlight ? { maxInFlight: o.maxInFlight } : {}),
      },
      {
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        ...(capture ? { recorder: capture } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      },
    );
    sampler?.sample();
    sampler?.stop();
    await driver.close();
    const secs = Math.max(stats.durationMs, 1) / 1000;
    const summary: LoadSummary = {
      target: {
        transport: driver.transport,
        label: label(o.target),
        remote: o.treatAsRemote === true || isRemoteTarget(o.target),
      },
      operation: { method, ...(o.tool !== undefined ? { tool: o.tool } : {}) },
      mode: o.mode,
      bounds: { durationMs: o.durationMs, requests: o.requests, timeoutMs: o.timeoutMs },
      stopped: stats.stopped,
      startedAt,
      durationMs: stats.durationMs,
      sent: stats.sent,
      ok: stats.ok,
      errorCount: stats.errorCount,
      throughput: Math.round((stats.ok / secs) * 10) / 10,
      sendRate: Math.round((stats.sent / (Math.max(stats.sendMs, 1) / 1000)) * 10) / 10,
      latency: stats.latency,
      errors: stats.errors,
      rateLimit: stats.rateLimit,
      intervals: stats.intervals,
      recorded: capture?.recorded ?? 0,
    };
    if (stats.died) summary.died = stats.died;
    if (driver instanceof StdioLoadDriver && driver.pid !== undefined) {
      summary.process = { pid: driver.pid, samples: sampler?.samples ?? [] };
      if (driver.exitStatus) summary.process.exit = driver.exitStatus;
    }
    if (stats.ramp && o.ramp) {
      summary.ramp = {
        steps: stats.ramp,
        thresholds: { p99Ms: o.ramp.p99Ms, errorRate: o.ramp.errorRate },
      };
      const knee = rampKnee(stats.ramp);
      if (knee !== undefined) summary.ramp.knee = Math.round(knee * 10) / 10;
    }
    const findings = loadFindings(summary, o.findings);
    if (driver instanceof StdioLoadDriver && driver.exitStatus)
      capture?.exit(driver.exitStatus.code, driver.exitStatus.signal);
    capture?.finish(summary);
    return { summary, findings, ...(capture ? { capture: capture.writer.path } : {}) };
  } catch (e) {
    if (capture) {
      capture.writer.append({
        type: 'error',
        where: 'client',
        message: (e as Error).message.slice(0, 2000),
      });
      capture.writer.close('load run failed');
    }
    throw e;
  } finally {
    sampler?.stop();
    await driver.close();
  }
}

export { SetupError };
