// mcpscope replay: replay a recording against a live server (default: the recorded one) with
// a fresh handshake, value binding and a normalised diff. Thin: parse, run the engine, print.

import { buildPlan, describeDifference, pointerProblem } from '../../../shared/replay/index.js';
import { loadCaptureFile } from '../../engine/capture/load.js';
import type { ServerTarget } from '../../engine/client/types.js';
import { DEFAULT_REPLAY_TIMEOUT_MS, runReplay } from '../../engine/replay/run.js';
import { ReplayTargetError, targetFromSource } from '../../engine/replay/target.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { paint, safe } from '../format.js';
import { TARGET_OPTIONS, targetFromArgs, type TargetValues } from './inspect.js';

export const usage = `usage: mcpscope replay FILE [--json] [--ignore POINTER…] [--only SEQ,…] [-- CMD [ARGS…] | --url URL]

Replays a recording against a live server: a fresh handshake with the recorded client info,
capabilities and protocol version, then every recorded request in order. Values the server
generated and the client sent back (cursors, ids, URIs, task ids) are bound recorded → live.
Server → client requests (sampling, elicitation, roots) are answered from the recording.
  FILE                 the recording (.mcpscope.jsonl)
  -- CMD [ARGS…]       replay against this stdio server instead of the recorded one
  --url URL            replay against this Streamable HTTP server (--sse: legacy HTTP+SSE; --header "K: V")
options:
  --json               {exchanges, same, differences:[{seq, method, pointer, recorded, replayed}]} on stdout
  --ignore POINTER     a JSON pointer whose differences do not count, repeatable
                       (e.g. /result/content/0/text; * matches one segment: /result/tools/*/description)
  --only SEQ,…         replay only these recorded requests (their seq, as \`mcpscope show\` prints)
  --timeout MS         wait this long for each answer (default ${DEFAULT_REPLAY_TIMEOUT_MS})
  --out FILE           where the replay's own capture goes (default: the captures folder)
Timestamps in text are normalised before comparing. The replay is recorded as a new capture that
names the original; its path is printed on stderr.
Exit: 0 same, 1 differences (or the target died, hung or answered garbage), 2 usage.`;

interface ReplayFlags extends TargetValues {
  ignore?: string[];
  only?: string;
}

function parseOnly(s: string | undefined): Set<number> | undefined {
  if (s === undefined) return undefined;
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const t = part.trim();
    if (!/^\d+$/.test(t))
      throw new UsageError(
        `--only "${s}": expected request seq numbers separated by commas, e.g. --only 7,12`,
      );
    out.add(Number(t));
  }
  return out;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals, command } = parseCommandArgs<ReplayFlags>(
    argv,
    { ...TARGET_OPTIONS, ignore: { type: 'string', multiple: true }, only: { type: 'string' } },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`give exactly one recording to replay.\n\n${usage}`);
  const file = positionals[0]!;
  for (const p of values.ignore ?? []) {
    const problem = pointerProblem(p);
    if (problem) throw new UsageError(`--ignore ${problem}`);
  }
  const only = parseOnly(values.only);
  let timeoutMs = DEFAULT_REPLAY_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new UsageError(
        `--timeout "${values.timeout}": expected a positive number of milliseconds.`,
      );
  }
  const plan = buildPlan(await loadCaptureFile(file));
  if (only) {
    const known = new Set(plan.steps.filter((s) => s.kind === 'request').map((s) => s.seq));
    const missing = [...only].filter((s) => !known.has(s));
    if (missing.length) {
      const list = [...known].slice(0, 20).join(',');
      throw new UsageError(
        `--only: ${missing.join(', ')} ${missing.length === 1 ? 'is not the seq of a recorded request' : 'are not seqs of recorded requests'}. Requests in ${file}: ${list}${known.size > 20 ? ',…' : ''}`,
      );
    }
  }
  let target: ServerTarget;
  const explicit = (command !== undefined && command.length > 0) || values.url !== undefined;
  try {
    target = explicit ? targetFromArgs(values, command, usage) : targetFromSource(plan.source);
  } catch (e) {
    if (e instanceof ReplayTargetError) throw new UsageError(e.message);
    throw e;
  }
  if (!plan.initialize && plan.steps.length === 0)
    throw new UsageError(`${file} has no client messages to replay.`);

  const r = await runReplay(plan, {
    target,
    timeoutMs,
    originalPath: file,
    ...(values.ignore ? { ignore: values.ignore } : {}),
    ...(only ? { only } : {}),
    ...(values.out !== undefined ? { out: values.out } : {}),
  });
  io.err(`mcpscope: replay recorded to ${r.capturePath}\n`);
  if (values.json) {
    io.out(`${JSON.stringify(r.json)}\n`);
  } else {
    const p = paint(io.color);
    for (const x of r.results) {
      const what = x.subject !== undefined ? `${x.method} ${safe(x.subject)}` : x.method;
      if (x.differences.length === 0) {
        io.out(`${p.green('same')}  seq ${x.seq} ${what}\n`);
        continue;
      }
      io.out(`${p.red('diff')}  seq ${x.seq} ${what}\n`);
      for (const d of x.differences.slice(0, 10)) io.out(`        ${describeDifference(d)}\n`);
      if (x.differences.length > 10) io.out(`        … ${x.differences.length - 10} more\n`);
    }
    io.out(r.summary);
  }
  return r.json.differences.length === 0 ? 0 : 1;
}
