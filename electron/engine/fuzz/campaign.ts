// A fuzz campaign: connect, list and select tools, plan the cases for the seed, run them
// (tool calls pipelined, protocol and framing cases one at a time), restart the server after a
// crash and go on, confirm ambiguous faults case by case, minimise every finding, and record the
// whole campaign as one capture (one `conn` per server process).

import {
  FUZZ_FAMILIES,
  chunkVariants,
  lineVariants,
  minimizeJson,
  minimizeWith,
  withChunks,
  withLines,
  planCampaign,
  selectTools,
  caseText,
  type ArgMode,
  type FuzzCase,
  type FuzzFamily,
  type FuzzFinding,
  type FuzzProgress,
  type FuzzReport,
  type FuzzTool,
  type ProtocolCase,
  type Verdict,
} from '../../../shared/fuzz/index.js';
import { CaptureWriter } from '../capture/writer.js';
import { nowMs } from '../clock.js';
import { Executor } from './executor.js';
import { entryKey, toFinding, type Entry } from './findings.js';
import { requireTransport } from '../../../shared/target.js';
import { describeTarget, FUZZ_TRANSPORTS, type FuzzTarget } from './link.js';
import { makeSchemaCheck } from './validate.js';

export interface CampaignOptions {
  target: FuzzTarget;
  seed: number;
  cases: number;
  timeoutMs: number;
  tools?: string[];
  includeDestructive?: boolean;
  families?: readonly FuzzFamily[];
  modes?: readonly ArgMode[];
  /** Most cases per second (default: unlimited). */
  rate?: number;
  /** Tool calls in flight at once. */
  concurrency?: number;
  capturePath?: string;
  minimize?: boolean;
  /** Time budget for minimising all findings. */
  minimizeMs?: number;
  maxRestarts?: number;
  onProgress?: (p: FuzzProgress) => void;
  onFinding?: (f: FuzzFinding) => void;
  signal?: AbortSignal;
}

export interface DryRun {
  tools: { fuzzed: string[]; skipped: { name: string; reason: string }[] };
  cases: { index: number; family: FuzzFamily; label: string; lines: string[] }[];
}

export class FuzzSetupError extends Error {}

const BEFORE_INIT: ProtocolCase = {
  family: 'protocol',
  index: -1,
  mutation: 'before-initialize',
  lines: ['{"jsonrpc":"2.0","id":"before-init","method":"tools/list"}'],
  mustAnswer: [],
  mayAnswer: ['s:before-init'],
};

export async function runCampaign(o: CampaignOptions): Promise<FuzzReport> {
  return (await campaign(o, false)) as FuzzReport;
}

export async function dryRun(o: CampaignOptions): Promise<DryRun> {
  return (await campaign(o, true)) as DryRun;
}

async function campaign(o: CampaignOptions, dry: boolean): Promise<FuzzReport | DryRun> {
  requireTransport(o.target, FUZZ_TRANSPORTS, 'the fuzzer');
  const t0 = nowMs();
  const writer =
    dry || !o.capturePath
      ? undefined
      : new CaptureWriter({
          path: o.capturePath,
          source: { ...describeTarget(o.target), name: `mcpscope fuzz --seed ${o.seed}` },
        });
  const check = makeSchemaCheck((why) =>
    writer?.append({
      type: 'note',
      text: `fuzz: a schema could not be compiled (${why}); its values are not judged`,
    }),
  );
  const ex = new Executor({ target: o.target, writer, timeoutMs: o.timeoutMs, check });
  const entries = new Map<string, Entry>();
  let done = 0;
  let total = 0;
  let phase: FuzzProgress['phase'] = 'starting';
  const report = (): void =>
    o.onProgress?.({
      cases: done,
      total,
      findings: entries.size,
      casesPerSecond: done / Math.max(0.001, (nowMs() - t0) / 1000),
      restarts: ex.restarts,
      phase,
    });

  const add = (v: Verdict, c: FuzzCase, unconfirmed = false): void => {
    const key = entryKey(v, c);
    const e = entries.get(key);
    if (e) {
      e.count++;
      return;
    }
    const entry: Entry = { verdict: v, case: c, count: 1, ...(unconfirmed ? { unconfirmed } : {}) };
    entries.set(key, entry);
    writer?.append({
      type: 'note',
      text: `fuzz finding: ${v.kind} (${c.family === 'tools' ? c.tool : c.mutation}, case ${c.index}): ${v.evidence}`,
    });
    o.onFinding?.(toFinding(entry, o.seed, o.target));
  };

  // Cases in flight, by the id key of their request; suspects for anything without an owner.
  const inflight = new Map<string, FuzzCase>();
  /** Which case an id belongs to (protocol cases keep theirs: late answers are still theirs). */
  const owners = new Map<string, FuzzCase>();
  const suspects: {
    verdict?: Verdict;
    cases: FuzzCase[];
    dropUnconfirmed?: boolean;
    /** Cases a crash cut short: they finish (and count as done) when run alone. */
    cutShort?: Set<FuzzCase>;
  }[] = [];
  /**
   * The last raw (protocol/framing) cases sent: one that expects no answer is done the moment it
   * is written, so when a stray or a crash follows, it is a suspect too. Cleared once the wire has
   * been synced and everything before has been blamed.
   */
  const recent: FuzzCase[] = [];
  const noteRecent = (c: FuzzCase): void => {
    if (c.family === 'tools') return;
    recent.push(c);
    if (recent.length > 32) recent.shift();
  };
  const suspectsOf = (extra: Iterable<FuzzCase>): FuzzCase[] => [...new Set([...recent, ...extra])];
  ex.onStray = (v, _text, key) => {
    const owner = key === undefined ? undefined : owners.get(key);
    if (owner) return add(v, owner);
    if ([...entries.values()].some((e) => e.verdict.kind === v.kind && e.verdict.sig === v.sig)) {
      const known = [...entries.values()].find(
        (e) => e.verdict.kind === v.kind && e.verdict.sig === v.sig,
      )!;
      known.count++;
      return;
    }
    if (suspects.length < 16)
      suspects.push({ verdict: v, cases: suspectsOf([...inflight.values()].slice(0, 64)) });
  };

  /** Run each suspect alone; a verdict of the same kind confirms it. Unconfirmed ones are still reported. */
  const confirm = async (): Promise<void> => {
    while (suspects.length > 0) {
      const s = suspects.shift()!;
      const known =
        s.verdict && s.cases.length === 1
          ? entries.get(entryKey(s.verdict, s.cases[0]!))
          : undefined;
      if (known && s.dropUnconfirmed) {
        known.count++;
        continue;
      }
      let confirmed = false;
      for (const c of s.cases) {
        const vs = await ex.alone(c);
        // Cases cut short by a crash finish here.
        if (s.cutShort?.has(c)) done++;
        for (const v of vs) add(v, c);
        if (
          vs.some((v) =>
            s.verdict ? v.kind === s.verdict.kind && v.sig === s.verdict.sig : v.kind === 'crash',
          )
        )
          confirmed = true;
        if (ex.restarts > (o.maxRestarts ?? 100)) return;
      }
      const blame = s.cutShort?.values().next().value ?? s.cases[0];
      if (!confirmed && blame && !s.dropUnconfirmed)
        add(
          s.verdict ?? {
            kind: 'crash',
            sig: 'exit',
            evidence: ex.wire.downWhy ?? 'the server went away',
          },
          blame,
          true,
        );
    }
  };

  try {
    try {
      await ex.open();
    } catch (e) {
      throw new FuzzSetupError((e as Error).message);
    }
    // Before the handshake: a request a server should refuse (or ignore) until initialized.
    if (!dry && o.target.transport === 'stdio') {
      const vs = await ex.alone(BEFORE_INIT);
      for (const v of vs) if (v.kind !== 'timeout') add(v, BEFORE_INIT);
    }
    try {
      await ex.handshake();
    } catch (e) {
      throw new FuzzSetupError((e as Error).message);
    }
    const all = await ex.listTools();
    const unknown = (o.tools ?? []).filter((n) => !all.some((t) => t.name === n));
    if (unknown.length > 0)
      throw new FuzzSetupError(
        `no tool named ${unknown.map((n) => `"${n}"`).join(', ')} on this server; it has: ${all.map((t) => t.name).join(', ') || '(none)'}`,
      );
    const sel = selectTools(all, {
      ...(o.tools ? { only: o.tools } : {}),
      includeDestructive: o.includeDestructive ?? false,
    });
    const families = (o.families ?? FUZZ_FAMILIES).filter((f) => f !== 'framing' || ex.framing);
    const plan = planCampaign(sel.fuzzed, {
      seed: o.seed,
      cases: o.cases,
      families,
      ...(o.modes ? { modes: o.modes } : {}),
    });
    const tools = { fuzzed: sel.fuzzed.map((t) => t.name), skipped: sel.skipped };
    if (dry)
      return {
        tools,
        cases: plan.map((c) => ({
          index: c.index,
          family: c.family,
          label: c.family === 'tools' ? `${c.tool} (${c.mode})` : c.mutation,
          lines: caseText(c),
        })),
      };
    total = plan.length;
    phase = 'fuzzing';
    const progress = setInterval(report, 100);
    progress.unref();
    try {
      await execute(plan, sel.fuzzed);
    } finally {
      clearInterval(progress);
    }
    if (o.minimize !== false) {
      phase = 'minimizing';
      report();
      await minimizeAll();
    }
    phase = 'done';
    report();
    const findings = [...entries.values()]
      .sort((a, b) => a.case.index - b.case.index)
      .map((e) => toFinding(e, o.seed, o.target));
    return {
      cases: done,
      durationMs: Math.round(nowMs() - t0),
      seed: o.seed,
      findings,
      tools,
      restarts: ex.restarts,
      ...(o.capturePath && !dry ? { capture: o.capturePath } : {}),
    };
  } finally {
    await ex.close();
    writer?.close('fuzz campaign ended');
  }

  async function execute(plan: FuzzCase[], _tools: FuzzTool[]): Promise<void> {
    // HTTP servers get fewer parallel POSTs than a stdio pipe gets lines.
    const width = Math.max(1, o.concurrency ?? (o.target.transport === 'stdio' ? 32 : 8));
    let waiting: (() => void) | undefined;
    const settled = (): void => {
      const w = waiting;
      waiting = undefined;
      w?.();
    };
    const drain = async (): Promise<void> => {
      while (inflight.size > 0) await new Promise<void>((r) => (waiting = r));
    };
    const crashed: FuzzCase[] = [];
    const recover = async (): Promise<void> => {
      await drain();
      // Everything written so far has been read and answered: late strays find their suspects now.
      if (!ex.down) await ex.sync();
      if (crashed.length > 0 || ex.down) {
        const cut = crashed.splice(0);
        suspects.unshift({ cases: suspectsOf(cut), cutShort: new Set(cut) });
      }
      if (ex.down) await ex.recover();
      await confirm();
      recent.length = 0;
    };
    for (const c of plan) {
      if (o.signal?.aborted || ex.restarts > (o.maxRestarts ?? 100)) break;
      if (o.rate && o.rate > 0) {
        const due = t0 + (done / o.rate) * 1000;
        const wait = due - nowMs();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      // Framing cases written in several chunks need the wire to themselves; everything else is pipelined.
      if (c.family !== 'framing' || c.chunks.length === 1) {
        while (inflight.size >= width) await new Promise<void>((r) => (waiting = r));
        if (ex.down || crashed.length > 0) await recover();
        const keys =
          c.family === 'tools'
            ? [`n:${c.index + 1}`]
            : [...c.mustAnswer, ...c.mayAnswer].filter((k) => k !== 'null');
        const key = keys[0] ?? `case:${c.index}`;
        inflight.set(key, c);
        noteRecent(c);
        for (const k of keys) owners.set(k, c);
        void (c.family === 'tools' ? ex.callTool(c) : ex.protocol(c)).then((r) => {
          inflight.delete(key);
          if (c.family === 'tools') owners.delete(key);
          if (r === 'down') crashed.push(c);
          else {
            done++;
            for (const v of r) {
              // A pipelined timeout may be the load, not the server: it counts once the case hangs alone too.
              if (v.kind !== 'timeout') add(v, c);
              else if (entries.has(entryKey(v, c))) entries.get(entryKey(v, c))!.count++;
              else if (suspects.length < 64)
                suspects.push({ verdict: v, cases: [c], dropUnconfirmed: true });
            }
          }
          settled();
        });
      } else {
        await recover();
        const vs = await ex.alone(c);
        done++;
        for (const v of vs) add(v, c);
      }
    }
    await recover();
  }

  async function minimizeAll(): Promise<void> {
    const deadline = nowMs() + (o.minimizeMs ?? 60_000);
    // Tool findings first, timeouts last: each run of a timeout that still hangs costs a whole timeout.
    const cost = (e: Entry): number =>
      (e.verdict.kind === 'timeout' ? 2 : 0) + (e.case.family === 'tools' ? 0 : 1);
    const order = [...entries.values()].sort((a, b) => cost(a) - cost(b));
    for (const e of order) {
      const c = e.case;
      if (e.unconfirmed || c.index < 0 || nowMs() > deadline) continue;
      const own = nowMs() + Math.min(20_000, Math.max(0, deadline - nowMs()));
      const maxRuns =
        e.verdict.kind === 'timeout' ? Math.max(3, Math.floor(8000 / o.timeoutMs)) : 200;
      const budget = {
        maxRuns,
        expired: () => nowMs() > own || ex.restarts > (o.maxRestarts ?? 100) + 50,
      };
      const same = async (variant: FuzzCase): Promise<boolean> =>
        (await ex.alone(variant)).some((v) => v.kind === e.verdict.kind && v.sig === e.verdict.sig);
      if (c.family === 'tools')
        e.minimized = (await minimizeJson(c.args, (args) => same({ ...c, args }), budget)).value;
      else if (c.family === 'protocol')
        e.minimized = (
          await minimizeWith(c.lines, lineVariants, (l) => same(withLines(c, l)), budget)
        ).value;
      else
        e.minimized = (
          await minimizeWith(c.chunks, chunkVariants, (ch) => same(withChunks(c, ch)), budget)
        ).value;
    }
  }
}
