// mcpscope load: how a server holds up under load, and whether it limits abuse. Thin: parse the
// flags (load-args.ts), run the engine's probe, print progress on stderr and the report on stdout.

import { toSarif } from '../../../shared/detect/sarif.js';
import { atLeast, type Finding } from '../../../shared/detect/types.js';
import type { LoadSummary } from '../../../shared/load/types.js';
import { SetupError } from '../../engine/load/driver.js';
import type { Progress } from '../../engine/load/generator.js';
import { LoadRefused, probeLoad } from '../../engine/load/run.js';
import { defaultCapturePath } from '../../engine/paths.js';
import { TOOL_VERSION } from '../../engine/version.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { paint, safe } from '../format.js';
import { DEFAULTS, LIMITS, LOAD_OPTIONS, parseLoad, type LoadValues } from './load-args.js';

export const usage = `usage: mcpscope load [--json|--sarif] [--rate N | --concurrency N] [--duration S | --requests N]
                     [--method M] [--tool NAME --args JSON] [--ramp] [--include-destructive]
                     [--i-own-this-server] (-- CMD [ARGS…] | --url URL)

Drives one operation (default: ping) against a server and measures how it holds up.
  --rate N             open model: N requests a second whatever the server does (default ${DEFAULTS.rate});
                       latency counts from each request's intended send time (coordinated omission corrected)
  --concurrency N      closed model: N requests in flight, each answer sends the next (max ${LIMITS.concurrency})
  --duration S         stop after S seconds (default ${DEFAULTS.durationS}, with --ramp ${DEFAULTS.rampDurationS}; max ${LIMITS.durationS})
  --requests N         stop after N requests (default ${DEFAULTS.requests.toLocaleString('en-US')}); whichever bound comes first ends the run
  --method M           the request to send (default ping); only read-only methods without --include-destructive
  --tool NAME          call this tool (tools/call) with --args JSON; it must be annotated readOnlyHint
  --ramp               step the rate up ×1.5 every --ramp-step S (default ${DEFAULTS.rampStepS}) from --rate until p99 passes
                       --ramp-p99 MS (default ${DEFAULTS.rampP99Ms}) or the error rate passes --ramp-errors R
                       (default ${DEFAULTS.rampErrors}); reports the knee: the highest rate that stayed under both
  --timeout MS         per-request timeout (default ${DEFAULTS.timeoutMs}); late answers count as timeouts
  --out FILE           record the run there (default: the data directory); --no-record: do not record
  --fail-on SEVERITY   exit 1 when a finding is at or above it (default high)
  --json               {load:{…summary}, findings:[…], capture} on stdout;  --sarif: findings as SARIF 2.1.0
  --header "K: V", --env K=V, --cwd DIR   as for inspect
Safety: tools not marked read-only are refused unless --include-destructive; a target that is not
this machine (not loopback) is refused unless --i-own-this-server (load-testing a server you do
not own can be an attack); every run is bounded in time and requests.
Findings: transport.no-rate-limit (remote server, no 429 under sustained load), server.memory-growth
(stdio server RSS keeps growing), server.crash-under-load (the server died).
Exit: 0 nothing at/above --fail-on, 1 findings at/above it or the server could not be reached, 2 usage or refused.`;

function progressLine(p: Progress): string {
  const lat =
    p.p50 !== undefined
      ? `p50 ${p.p50.toFixed(2)} ms  p99 ${(p.p99 ?? 0).toFixed(2)} ms`
      : 'no answers yet';
  return `load ${(p.elapsedMs / 1000).toFixed(1).padStart(6)}s  sent ${p.sent}  ${p.rate.toFixed(0)}/s  ${lat}  errors ${p.errors}  in flight ${p.inFlight}`;
}

const MiB = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

export function textReport(
  s: LoadSummary,
  findings: Finding[],
  capture: string | undefined,
  color: boolean,
): string {
  const p = paint(color);
  const L: string[] = [];
  const mode =
    s.mode.kind === 'rate'
      ? `rate ${s.mode.rate}/s${s.ramp ? ' (ramp start)' : ''}`
      : `concurrency ${s.mode.concurrency}`;
  const op =
    s.operation.tool !== undefined
      ? `tools/call ${safe(s.operation.tool)}`
      : safe(s.operation.method);
  L.push(
    `${p.bold('mcpscope load')}: ${op} → ${safe(s.target.label)} (${s.target.transport}), ${mode}, stopped by ${s.stopped} after ${(s.durationMs / 1000).toFixed(1)} s`,
  );
  L.push(
    `  sent ${s.sent}  ok ${s.ok}  errors ${s.errorCount}  throughput ${s.throughput}/s  (send rate ${s.sendRate}/s)`,
  );
  const l = s.latency;
  L.push(
    `  latency ms  p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  p99.9 ${l.p999}  max ${l.max}  ${p.dim(s.mode.kind === 'rate' ? '(from the intended send time)' : '(from the send time)')}`,
  );
  const errs = Object.entries(s.errors).sort((a, b) => b[1] - a[1]);
  if (errs.length) L.push(`  errors by class: ${errs.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  const rl = s.rateLimit;
  if (rl.count > 0)
    L.push(
      `  ${p.green('rate limited')}: ${rl.count} × 429 (${rl.withRetryAfter} with Retry-After${rl.retryAfter.length ? `: ${rl.retryAfter.map((x) => safe(x)).join(', ')}` : ''}), first at request ${rl.firstAt ?? '?'}`,
    );
  else if (s.target.transport !== 'stdio') L.push(`  ${p.dim('no 429 answer during the run')}`);
  const samples = s.process?.samples ?? [];
  if (samples.length) {
    const cpu = samples.slice(1).map((x) => x.cpu);
    const avg = cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : 0;
    L.push(
      `  server process ${s.process!.pid}: rss ${MiB(samples[0]!.rss)} → ${MiB(samples[samples.length - 1]!.rss)} (max ${MiB(Math.max(...samples.map((x) => x.rss)))}), cpu avg ${avg.toFixed(0)}% max ${Math.max(0, ...cpu).toFixed(0)}% of a core`,
    );
  } else if (s.process)
    L.push(`  ${p.dim('server process: no /proc here, CPU and memory not measured')}`);
  if (s.process?.exit)
    L.push(
      `  server exit: ${s.process.exit.signal ? `signal ${s.process.exit.signal}` : `code ${s.process.exit.code}`}`,
    );
  if (s.ramp) {
    for (const st of s.ramp.steps)
      L.push(
        `  ramp ${String(st.rate.toFixed(1)).padStart(9)}/s  achieved ${st.achieved}/s  p99 ${st.p99 ?? '–'} ms  errors ${(st.errorRate * 100).toFixed(2)}%${st.over ? p.red('  over') : ''}`,
      );
    L.push(
      `  ${p.bold('knee')}: ${s.ramp.knee !== undefined ? `${s.ramp.knee}/s (the highest rate with p99 ≤ ${s.ramp.thresholds.p99Ms} ms and errors ≤ ${s.ramp.thresholds.errorRate * 100}%)` : 'not reached: even the first step crossed a threshold'}${s.stopped === 'ramp-done' ? ' — the bound ended the ramp before any threshold was crossed' : ''}`,
    );
  }
  if (findings.length) {
    L.push('', p.bold('findings'));
    for (const f of findings)
      L.push(`  ${f.severity.toUpperCase().padEnd(8)} ${p.cyan(f.rule)}  ${safe(f.message)}`);
  } else L.push('', p.green('no findings'));
  if (capture)
    L.push(
      '',
      p.dim(`recorded to ${capture} (${s.recorded} sampled exchanges; counts above are exact)`),
    );
  return `${L.join('\n')}\n`;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, command } = parseCommandArgs<LoadValues>(argv, LOAD_OPTIONS, usage);
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  const { options, failOn, remote } = parseLoad(values, command, usage);
  if (remote) {
    if (!values['i-own-this-server']) {
      throw new UsageError(
        `refusing to load-test ${safe(new URL((options.target as { url: string }).url).host)}: it is not this machine. Sending thousands of requests to a server you do not own can be an attack (and against its terms). If you own it, add --i-own-this-server.`,
      );
    }
    io.err(
      `mcpscope load: WARNING: load-testing a remote server (${safe(new URL((options.target as { url: string }).url).host)}). You said you own it; the run is bounded to ${options.durationMs / 1000} s and ${options.requests} requests.\n`,
    );
  }
  if (!values['no-record'])
    options.capturePath =
      values.out ??
      defaultCapturePath(
        `load-${options.target.transport === 'stdio' ? options.target.command : new URL(options.target.url).host}`,
      );
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const tty = process.stderr.isTTY === true;
  let result;
  try {
    result = await probeLoad({
      ...options,
      signal: abort.signal,
      onProgress: (p) => io.err(tty ? `\r${progressLine(p)}\x1b[K` : `${progressLine(p)}\n`),
    });
  } catch (e) {
    if (e instanceof LoadRefused) throw new UsageError(e.message);
    if (e instanceof SetupError) {
      io.err(`${tty ? '\n' : ''}mcpscope load: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (tty) io.err('\n');
  const { summary, findings, capture } = result;
  if (values.sarif) {
    const origin =
      options.target.transport !== 'stdio' ? options.target.url.replace(/[?#].*$/, '') : undefined;
    io.out(
      `${JSON.stringify(toSarif(findings, { toolVersion: TOOL_VERSION, ...(origin ? { origin } : {}) }), null, 2)}\n`,
    );
  } else if (values.json) {
    io.out(
      `${JSON.stringify({ load: summary, findings: findings.map(({ rule, severity, title, message, target, evidence }) => ({ rule, severity, title, message, target, ...(evidence !== undefined ? { evidence } : {}) })), ...(capture ? { capture } : {}) }, null, 2)}\n`,
    );
  } else io.out(textReport(summary, findings, capture, io.color));
  return findings.some((f) => atLeast(f.severity, failOn)) ? 1 : 0;
}
