// mcpscope scan: findings for captures, host configs, a stdio command or a URL. Thin: parse the
// arguments, run the engine's scanner, print text / JSON / SARIF, exit by --fail-on.

import { basename } from 'node:path';
import { dataFlow } from '../../../shared/detect/dataflow.js';
import { toSarif } from '../../../shared/detect/sarif.js';
import {
  atLeast,
  isSeverity,
  SEVERITIES,
  severityRank,
  type Finding,
  type Severity,
} from '../../../shared/detect/types.js';
import { readIdentityFile } from '../../engine/capture/age.js';
import { ConfigError, readConfig, type ConfiguredServer } from '../../engine/scan/config.js';
import { PinStore } from '../../engine/scan/pins.js';
import { scanCaptureFiles, scanLiveTargets, type ScanReport } from '../../engine/scan/scan.js';
import { TOOL_VERSION } from '../../engine/version.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { paint, safe, safeBlock, type Paint } from '../format.js';
import { targetFromArgs, TARGET_OPTIONS, type TargetValues } from './inspect.js';
import { withStoreSessions } from './store-open.js';

/** Scans sessions of the team store; findings name them `store:ID` instead of a temporary file. */
async function scanStoreSessions(
  url: string,
  ids: string[],
  io: Io,
  pins: PinStore | null,
): Promise<ScanReport | undefined> {
  return withStoreSessions(url, ids, 'scan', io, async (files) => {
    const report = await scanCaptureFiles([...files.values()], { pins });
    const name = new Map([...files].map(([id, path]) => [path, `store:${id}`]));
    const rename = (p: string): string => name.get(p) ?? p;
    for (const f of report.findings)
      if (f.target.capture) f.target.capture = rename(f.target.capture);
    for (const s of report.servers) s.source = rename(s.source);
    report.lines = Object.fromEntries(Object.entries(report.lines).map(([k, v]) => [rename(k), v]));
    return report;
  });
}

export const usage = `usage: mcpscope scan [--json|--sarif] [--fail-on SEVERITY] (FILE… | --from postgres://… SESSION… | --config PATH | -- CMD [ARGS…] | --url URL)

Looks for secrets, personal data, poisoned tool metadata, hidden text, shadowing, rug pulls,
prompt injection, exfiltration links, transport weaknesses and protocol violations.
  FILE…               capture files (.mcpscope.jsonl): every frame, stderr line and HTTP record
  --from URL SESSION… sessions in the team store (ids as \`mcpscope sessions\` lists them), the same way
  --config PATH       a host config ({"mcpServers": {…}}): connects to each server, scans its metadata
  -- CMD [ARGS…]      a stdio server to start and scan
  --url URL           an HTTP server (Streamable HTTP; --sse for legacy HTTP+SSE; --header "K: V")
options:
  --json              {servers:[…], findings:[…]} on stdout
  --sarif             SARIF 2.1.0 on stdout (for code-scanning uploads)
  --fail-on SEVERITY  exit 1 when a finding is at or above it: ${SEVERITIES.join('|')} (default high)
  --no-pins           do not compare with rug-pull pins (nor write them, for live targets)
  --update-pins       live targets: accept the current definitions as the new pins
  --timeout MS        live targets: per-request timeout (default 30000)
  --identity FILE     age identity for FILEs encrypted with \`export --encrypt-to\` (decrypted in
                      memory, never written to disk; may be given several times)
Pins live in <data dir>/pins (MCPSCOPE_HOME/pins when set): a live scan writes them the first
time; captures of the same server (command line or URL) are compared with them, never pinned.
A server that cannot be scanned is listed with status "error" and makes the exit code 1.
Exit: 0 below the threshold, 1 at or above it (or a server could not be scanned), 2 usage.`;

interface ScanFlags extends TargetValues {
  sarif?: boolean;
  'fail-on'?: string;
  config?: string;
  'no-pins'?: boolean;
  'update-pins'?: boolean;
  identity?: string[];
  from?: string;
}

const ORDER = (a: Finding, b: Finding) =>
  severityRank(b.severity) - severityRank(a.severity) ||
  a.rule.localeCompare(b.rule) ||
  (a.target.seq ?? 0) - (b.target.seq ?? 0);

function label(s: Severity, p: Paint): string {
  const t = s.toUpperCase().padEnd(8);
  return s === 'critical' || s === 'high'
    ? p.red(p.bold(t))
    : s === 'medium'
      ? p.yellow(t)
      : p.dim(t);
}

function where(f: Finding): string {
  const t = f.target;
  const parts: string[] = [];
  if (t.server) parts.push(`server ${safe(t.server)}`);
  if (t.kind !== 'message' && t.kind !== 'server' && t.name)
    parts.push(`${t.kind} "${safe(t.name)}"`);
  if (t.capture) parts.push(basename(t.capture));
  if (t.seq !== undefined)
    parts.push(`seq ${t.seq}${t.kind === 'message' && t.name ? ` (${safe(t.name)})` : ''}`);
  if (t.pointer)
    parts.push(`at ${safe(t.pointer)}${t.range ? ` [${t.range[0]}–${t.range[1]}]` : ''}`);
  return parts.join(', ');
}

function text(report: ScanReport, failOn: Severity, io: Io): string {
  const p = paint(io.color);
  const counts = SEVERITIES.slice()
    .reverse()
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0);
  const lines: string[] = [];
  lines.push(
    `${p.bold('mcpscope scan')}: ${report.servers.length} server${report.servers.length === 1 ? '' : 's'}, ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}${counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`,
  );
  lines.push('', p.bold('servers'));
  for (const s of report.servers) {
    if (s.status === 'ok')
      lines.push(
        `  ${p.green('ok   ')}  ${safe(s.name)}  ${s.tools} tools, ${s.prompts} prompts, ${s.resources} resources  ${p.dim(safe(s.source))}`,
      );
    else
      lines.push(`  ${p.red('error')}  ${safe(s.name)}  ${safeBlock(s.error ?? '', '         ')}`);
  }
  if (report.findings.length > 0) lines.push('', p.bold('findings'));
  for (const f of [...report.findings].sort(ORDER)) {
    lines.push(`  ${label(f.severity, p)} ${p.cyan(f.rule)}  ${where(f)}`);
    for (const l of f.message.split('\n').slice(0, 12)) lines.push(`      ${safe(l)}`);
    if (f.evidence !== undefined && !f.message.includes(f.evidence))
      lines.push(`      ${p.dim('evidence:')} ${safe(f.evidence.split('\n')[0] ?? '')}`);
  }
  const flows = dataFlow(report.findings);
  if (flows.length > 0) {
    lines.push('', p.bold('data flow') + p.dim(' (sensitive data classes per server)'));
    for (const f of flows) {
      const arrow = f.direction === 'to-server' ? 'sent to' : 'came from';
      lines.push(
        `  ${f.dataClass} ${arrow} ${safe(f.server)}: ${f.count}× (seq ${f.seqs.slice(0, 8).join(', ')}${f.seqs.length > 8 ? ', …' : ''})`,
      );
    }
  }
  if (report.pinned.length)
    lines.push(
      '',
      p.dim(
        `pinned ${report.pinned.length} server definition${report.pinned.length === 1 ? '' : 's'} for rug-pull checks: ${report.pinned.map((x) => safe(x)).join(', ')}`,
      ),
    );
  const failing = report.findings.filter((f) => atLeast(f.severity, failOn)).length;
  lines.push(
    '',
    failing > 0
      ? p.red(`${failing} finding${failing === 1 ? '' : 's'} at or above ${failOn}`)
      : p.green(`nothing at or above ${failOn}`),
  );
  return `${lines.join('\n')}\n`;
}

export function jsonReport(report: ScanReport): unknown {
  return {
    servers: report.servers.map((s) => ({
      name: s.name,
      status: s.status,
      ...(s.error !== undefined ? { error: s.error } : {}),
      tools: s.tools,
      prompts: s.prompts,
      resources: s.resources,
    })),
    findings: [...report.findings].sort(ORDER).map((f) => {
      const { rule, severity, title, message, target, evidence, related, dataClass, dir } = f;
      return {
        rule,
        severity,
        title,
        message,
        target,
        ...(evidence !== undefined ? { evidence } : {}),
        ...(related ? { related } : {}),
        ...(dataClass ? { dataClass } : {}),
        ...(dir ? { dir } : {}),
      };
    }),
  };
}

export async function run(argv: string[], io: Io): Promise<number> {
  const options = {
    ...TARGET_OPTIONS,
    sarif: { type: 'boolean' },
    'fail-on': { type: 'string' },
    config: { type: 'string' },
    'no-pins': { type: 'boolean' },
    'update-pins': { type: 'boolean' },
    identity: { type: 'string', multiple: true },
    from: { type: 'string' },
  } as const;
  const { values, positionals, command } = parseCommandArgs<ScanFlags>(argv, options, usage);
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (values.json && values.sarif)
    throw new UsageError(`give --json or --sarif, not both.\n\n${usage}`);
  const failOn = values['fail-on'] ?? 'high';
  if (!isSeverity(failOn))
    throw new UsageError(`--fail-on "${failOn}": expected one of ${SEVERITIES.join(', ')}.`);
  if (values.out !== undefined || values['protocol-version'] !== undefined)
    throw new UsageError(
      '--out and --protocol-version are inspect options; scan does not take them.',
    );
  if (values.from !== undefined && positionals.length === 0)
    throw new UsageError(`--from needs the session ids to scan.\n\n${usage}`);
  const sources = [
    positionals.length > 0,
    values.config !== undefined,
    command !== undefined && command.length > 0,
    values.url !== undefined,
  ].filter(Boolean).length;
  if (sources !== 1)
    throw new UsageError(
      `${sources === 0 ? 'what to scan?' : 'give one kind of target:'} FILE…, --config PATH, -- CMD … or --url URL.\n\n${usage}`,
    );
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new UsageError(
        `--timeout "${values.timeout}": expected a positive number of milliseconds.`,
      );
  }

  let report: ScanReport;
  let origin: string | undefined;
  if (values.from !== undefined) {
    if (positionals.length === 0)
      throw new UsageError(`--from needs the session ids to scan.\n\n${usage}`);
    const r = await scanStoreSessions(
      values.from,
      positionals,
      io,
      values['no-pins'] ? null : new PinStore(),
    );
    if (!r) return 1;
    report = r;
  } else if (positionals.length > 0) {
    const identities = (values.identity ?? []).flatMap((p) => readIdentityFile(p));
    report = await scanCaptureFiles(positionals, {
      identities,
      pins: values['no-pins'] ? null : new PinStore(),
    });
  } else {
    let targets: ConfiguredServer[];
    if (values.config !== undefined) {
      try {
        targets = readConfig(values.config);
      } catch (e) {
        if (e instanceof ConfigError) throw new UsageError(e.message);
        throw e;
      }
      origin = values.config;
      if (targets.length === 0)
        io.err(`mcpscope scan: ${values.config} lists no enabled servers.\n`);
    } else {
      const target = targetFromArgs(values, command, usage);
      const name =
        target.transport === 'stdio' ? basename(target.command) : new URL(target.url).host;
      targets = [{ name, target, nameFromServer: true }];
      origin = target.transport !== 'stdio' ? target.url.replace(/[?#].*$/, '') : undefined;
    }
    const liveOpts: Parameters<typeof scanLiveTargets>[1] = {
      pins: values['no-pins'] ? null : new PinStore(),
      updatePins: values['update-pins'] === true,
    };
    if (timeoutMs !== undefined) liveOpts.timeoutMs = timeoutMs;
    report = await scanLiveTargets(targets, liveOpts);
  }

  if (values.sarif) {
    const sarifOpts: Parameters<typeof toSarif>[1] = {
      toolVersion: TOOL_VERSION,
      lineOf: (file, seq) => report.lines[file]?.[seq],
    };
    if (origin !== undefined) sarifOpts.origin = origin;
    io.out(`${JSON.stringify(toSarif(report.findings, sarifOpts), null, 2)}\n`);
  } else if (values.json) io.out(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
  else io.out(text(report, failOn, io));
  const failed = report.servers.some((s) => s.status === 'error');
  return failed || report.findings.some((f) => atLeast(f.severity, failOn)) ? 1 : 0;
}
