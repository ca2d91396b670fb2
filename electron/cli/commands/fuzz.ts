// mcpscope fuzz: run a recorded fuzz campaign against a stdio or Streamable HTTP server. A
// progress bar and live findings on stderr; the report (or --json) on stdout.

import {
  dryRun,
  FuzzSetupError,
  runCampaign,
  type CampaignOptions,
  type FuzzTarget,
} from '../../engine/fuzz/index.js';
import { defaultCapturePath } from '../../engine/paths.js';
import {
  ARG_MODES,
  FUZZ_FAMILIES,
  type ArgMode,
  type FuzzFamily,
  type FuzzFinding,
  type FuzzProgress,
} from '../../../shared/fuzz/index.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { targetFromArgs } from './inspect.js';
import { paint, safe } from '../format.js';

export const usage = `usage: mcpscope fuzz [--json] [--cases N] [--seed S] [--timeout MS] [--tools A,B] [--include-destructive]
                     [--dry-run] [--rate N] [--modes M,…] [--families F,…] [--out FILE] (-- CMD [ARGS…] | --url URL [--sse])

Fuzzes the server's tools (arguments generated from each inputSchema), its JSON-RPC handling and,
over stdio, its framing. Every finding is minimised and printed with the seed, the exact JSON-RPC
line and a command that reproduces it. The campaign is recorded as a capture. Exit 0 when nothing
was found, 1 when something was, 2 on usage errors or when the server cannot be fuzzed.

  --cases N               how many cases (default 2000)
  --seed S                campaign seed, an integer (default: random; printed so you can replay it)
  --timeout MS            a call unanswered after MS milliseconds is a timeout finding (default 5000)
  --tools A,B             fuzz only these tools
  --include-destructive   also fuzz tools annotated destructiveHint: true (they are skipped by default)
  --dry-run               list the cases that would be sent, send nothing but the handshake and tools/list
  --rate N                at most N cases per second
  --modes M,…             argument modes: ${ARG_MODES.join(', ')} (default: all)
  --families F,…          case families: ${FUZZ_FAMILIES.join(', ')} (default: all; framing is stdio only)
  --concurrency N         tool calls in flight at once (default 32 over stdio, 8 over HTTP)
  --no-minimize           report findings as found, without shrinking them
  --out FILE              where to record the campaign (default: the captures directory)
  --sse                   the --url is a legacy HTTP+SSE server (2024-11-05, e.g. http://127.0.0.1:3001/sse)
  --header "K: V"         HTTP header for --url, repeatable
  --env K=V / --cwd DIR   environment and working directory of a stdio server`;

const OPTIONS = {
  json: { type: 'boolean' },
  cases: { type: 'string' },
  seed: { type: 'string' },
  timeout: { type: 'string' },
  tools: { type: 'string' },
  'include-destructive': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  rate: { type: 'string' },
  modes: { type: 'string' },
  families: { type: 'string' },
  concurrency: { type: 'string' },
  'no-minimize': { type: 'boolean' },
  out: { type: 'string' },
  url: { type: 'string' },
  sse: { type: 'boolean' },
  header: { type: 'string', multiple: true },
  env: { type: 'string', multiple: true },
  cwd: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { type: 'boolean' }
    ? boolean
    : (typeof OPTIONS)[K] extends { multiple: true }
      ? string[]
      : string;
};

function int(v: string | undefined, flag: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${flag} "${v}": expected an integer ≥ ${min}.`);
  return n;
}

function list<T extends string>(
  v: string | undefined,
  flag: string,
  allowed: readonly T[],
): T[] | undefined {
  if (v === undefined) return undefined;
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (bad.length > 0 || items.length === 0)
    throw new UsageError(
      `${flag} "${v}": expected a comma-separated list of ${allowed.join(', ')}.`,
    );
  return items as T[];
}

const KIND_COLOR: Record<string, keyof ReturnType<typeof paint>> = {
  crash: 'red',
  timeout: 'yellow',
  'error-leak': 'yellow',
  'sensitive-output': 'red',
};

function findingLines(f: FuzzFinding, io: Io, full: boolean): string {
  const p = paint(io.color);
  const color = p[KIND_COLOR[f.kind] ?? 'cyan'];
  const where = f.tool !== undefined ? `tool ${safe(f.tool)}` : safe(f.method ?? '');
  const head = `${color(f.kind)} ${where} (case ${f.case}${f.count > 1 ? `, ${f.count} cases` : ''}): ${safe(f.evidence)}`;
  if (!full) return head;
  const lines = [head];
  if (f.minimized !== undefined)
    lines.push(`  minimal input: ${safe(JSON.stringify(f.minimized))}`);
  else lines.push(`  input: ${safe(JSON.stringify(f.input)).slice(0, 400)}`);
  lines.push(`  line: ${safe(f.line)}`, `  reproduce: ${safe(f.reproduce)}`);
  return lines.join('\n');
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values: v, positionals, command } = parseCommandArgs<Values>(argv, OPTIONS, usage);
  if (v.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${positionals[0]}". Put the server command after --.\n\n${usage}`,
    );
  const target: FuzzTarget = targetFromArgs(v, command, usage);
  const seed =
    v.seed === undefined
      ? Math.floor(Math.random() * 2 ** 31)
      : int(v.seed, '--seed', 0, -(2 ** 31));
  if (v.seed !== undefined && (seed < -(2 ** 31) || seed >= 2 ** 31))
    throw new UsageError(`--seed "${v.seed}": expected a 32-bit integer.`);
  const tools = v.tools
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const families = list<FuzzFamily>(v.families, '--families', FUZZ_FAMILIES);
  const modes = list<ArgMode>(v.modes, '--modes', ARG_MODES);
  const rate = v.rate === undefined ? undefined : int(v.rate, '--rate', 0, 1);
  const capturePath =
    v.out ??
    defaultCapturePath(target.transport === 'stdio' ? `fuzz-${target.command}` : 'fuzz-http');
  let live = 0;
  const bar = (p: FuzzProgress): void => {
    if (v.json && !process.stderr.isTTY) return;
    const width = 24;
    const filled = p.total > 0 ? Math.round((p.cases / p.total) * width) : 0;
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.cases}/${p.total} cases  ${Math.round(p.casesPerSecond)}/s  ${p.findings} findings  ${p.restarts} restarts  ${p.phase}`;
    io.err(
      process.stderr.isTTY
        ? `\r${text}\x1b[K`
        : p.phase === 'done' || p.phase === 'minimizing'
          ? `${text}\n`
          : '',
    );
  };
  const opts: CampaignOptions = {
    target,
    seed,
    cases: int(v.cases, '--cases', 2000, 1),
    timeoutMs: int(v.timeout, '--timeout', 5000, 1),
    includeDestructive: v['include-destructive'] ?? false,
    ...(v.concurrency !== undefined
      ? { concurrency: int(v.concurrency, '--concurrency', 32, 1) }
      : {}),
    minimize: !v['no-minimize'],
    capturePath,
    onProgress: bar,
    onFinding: (f) => {
      live++;
      io.err(
        `${process.stderr.isTTY ? '\r\x1b[K' : ''}finding ${live}: ${findingLines(f, io, false)}\n`,
      );
    },
    ...(tools ? { tools } : {}),
    ...(families ? { families } : {}),
    ...(modes ? { modes } : {}),
    ...(rate ? { rate } : {}),
  };
  try {
    if (v['dry-run']) {
      const d = await dryRun(opts);
      if (v.json) io.out(`${JSON.stringify({ seed, ...d }, null, 2)}\n`);
      else {
        for (const s of d.tools.skipped) io.out(`skipped tool ${safe(s.name)}: ${s.reason}\n`);
        for (const c of d.cases)
          io.out(
            `#${c.index} ${c.family} ${safe(c.label)}\n${c.lines.map((l) => `  ${safe(l.length > 300 ? `${l.slice(0, 300)}… (${l.length} chars)` : l)}`).join('\n')}\n`,
          );
        io.out(
          `${d.cases.length} cases for seed ${seed}; nothing was sent beyond initialize and tools/list.\n`,
        );
      }
      return 0;
    }
    io.err(`mcpscope fuzz: seed ${seed}, recording to ${capturePath}\n`);
    const r = await runCampaign(opts);
    if (v.json) io.out(`${JSON.stringify(r, null, 2)}\n`);
    else {
      for (const s of r.tools.skipped) io.out(`skipped tool ${safe(s.name)}: ${s.reason}\n`);
      io.out(
        `${r.cases} cases in ${(r.durationMs / 1000).toFixed(1)} s (seed ${r.seed}, ${r.restarts} restarts), ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}\n`,
      );
      for (const f of r.findings) io.out(`\n${findingLines(f, io, true)}\n`);
      io.out(`\nrecorded: ${capturePath}\n`);
    }
    return r.findings.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof FuzzSetupError) {
      io.err(`mcpscope fuzz: ${safe(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}
