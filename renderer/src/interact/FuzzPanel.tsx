// The Fuzz tab of a connection: pick tools, families and modes, start a campaign (run by the
// engine against a fresh instance of this connection's server), watch progress and live
// findings grouped by kind and tool, each with its minimal input and Resend.

import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import {
  ARG_MODES,
  FINDING_KINDS,
  FUZZ_FAMILIES,
  type ArgMode,
  type FuzzFamily,
  type FuzzFinding,
  type FuzzProgress,
} from '../../../shared/fuzz/types.js';
import type { HostApi, McpTool } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useApp, useAppStore } from '../store/hooks.js';

const JsonViewer = lazy(() => import('../monaco/JsonViewer.js'));

interface Run {
  runId: string;
  seed: number;
  progress?: FuzzProgress;
  /** Keyed by kind + target + evidence class; the final report replaces the live list. */
  findings: FuzzFinding[];
  done: boolean;
  error?: string;
}

/** What the engine's selection also uses: destructiveHint true and not read-only. */
function isDestructive(t: McpTool): boolean {
  const a = t.annotations as unknown;
  if (typeof a !== 'object' || a === null) return false;
  const { destructiveHint, readOnlyHint } = a as {
    destructiveHint?: unknown;
    readOnlyHint?: unknown;
  };
  return destructiveHint === true && readOnlyHint !== true;
}

const toggle = <T,>(list: T[], v: T): T[] =>
  list.includes(v) ? list.filter((x) => x !== v) : [...list, v];

export function FuzzPanel({ host, connectionId }: { host: HostApi; connectionId: string }) {
  const store = useAppStore();
  const resend = useApp((s) => s.fuzzResend);
  const [tools, setTools] = useState<McpTool[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [families, setFamilies] = useState<FuzzFamily[]>([...FUZZ_FAMILIES]);
  const [modes, setModes] = useState<ArgMode[]>([...ARG_MODES]);
  const [cases, setCases] = useState('500');
  const [seed, setSeed] = useState('');
  const [run, setRun] = useState<Run>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    host.listTools({ connectionId }).then(
      (r) => {
        if (!live) return;
        setTools(r.tools);
        // Destructive tools start unchecked; the user may opt in.
        setPicked(r.tools.filter((t) => !isDestructive(t)).map((t) => t.name));
      },
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [host, connectionId]);

  useEffect(() => {
    if (!run || run.done) return;
    const id = run.runId;
    const offs = [
      host.onFuzzProgress(
        (p) => p.runId === id && setRun((r) => (r && r.runId === id ? { ...r, progress: p } : r)),
      ),
      host.onFuzzFinding(
        (f) =>
          f.runId === id &&
          setRun((r) => (r && r.runId === id ? { ...r, findings: [...r.findings, f.finding] } : r)),
      ),
      host.onFuzzDone(
        (d) =>
          d.runId === id &&
          setRun((r) =>
            r && r.runId === id
              ? {
                  ...r,
                  done: true,
                  findings: d.report?.findings ?? r.findings,
                  ...(d.error ? { error: d.error } : {}),
                }
              : r,
          ),
      ),
    ];
    return () => offs.forEach((off) => off());
  }, [host, run?.runId, run?.done]);

  const start = async (): Promise<void> => {
    setError(undefined);
    const n = Number(cases);
    if (!Number.isInteger(n) || n < 1)
      return setError('Cases must be a whole number of at least 1.');
    if (seed !== '' && !Number.isSafeInteger(Number(seed)))
      return setError('Seed must be an integer (or empty for a random one).');
    if (picked.length === 0 && families.includes('tools'))
      return setError('Pick at least one tool, or untick the "tools" family.');
    const destructive = tools.some((t) => picked.includes(t.name) && isDestructive(t));
    try {
      const info = await host.startFuzz({
        connectionId,
        cases: n,
        tools: picked,
        families,
        modes,
        includeDestructive: destructive,
        ...(seed !== '' ? { seed: Number(seed) } : {}),
      });
      setRun({ runId: info.runId, seed: info.seed, findings: [], done: false });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const groups = useMemo(() => {
    const m = new Map<string, FuzzFinding[]>();
    for (const f of run?.findings ?? []) {
      const k = `${f.kind}\u0000${f.tool ?? f.method ?? ''}`;
      m.set(k, [...(m.get(k) ?? []), f]);
    }
    return [...m.entries()].sort(
      ([a], [b]) =>
        FINDING_KINDS.indexOf(a.split('\u0000')[0] as FuzzFinding['kind']) -
        FINDING_KINDS.indexOf(b.split('\u0000')[0] as FuzzFinding['kind']),
    );
  }, [run?.findings]);

  const p = run?.progress;
  return (
    <div className="fuzz" data-testid="fuzz-panel">
      <fieldset disabled={run !== undefined && !run.done}>
        <div className="row">
          {tools.map((t) => (
            <label key={t.name}>
              <input
                type="checkbox"
                checked={picked.includes(t.name)}
                onChange={() => setPicked(toggle(picked, t.name))}
                data-testid={`fuzz-tool-${t.name}`}
              />
              <SafeText text={t.name} max={80} />
              {isDestructive(t) ? <span className="err"> (destructive)</span> : null}
            </label>
          ))}
        </div>
        <div className="row">
          {FUZZ_FAMILIES.map((f) => (
            <label key={f}>
              <input
                type="checkbox"
                checked={families.includes(f)}
                onChange={() => setFamilies(toggle(families, f))}
                data-testid={`fuzz-family-${f}`}
              />{' '}
              {f}
            </label>
          ))}
          {ARG_MODES.map((m) => (
            <label key={m}>
              <input
                type="checkbox"
                checked={modes.includes(m)}
                onChange={() => setModes(toggle(modes, m))}
                data-testid={`fuzz-mode-${m}`}
              />{' '}
              {m}
            </label>
          ))}
        </div>
        <div className="row">
          <label>
            cases{' '}
            <input
              value={cases}
              onChange={(e) => setCases(e.target.value)}
              size={7}
              data-testid="fuzz-cases"
            />
          </label>
          <label>
            seed{' '}
            <input
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
              size={11}
              placeholder="random"
              data-testid="fuzz-seed"
            />
          </label>
          <button type="button" onClick={() => void start()} data-testid="fuzz-start">
            Start
          </button>
        </div>
      </fieldset>
      {run && !run.done && (
        <button type="button" onClick={() => void host.stopFuzz({ runId: run.runId })}>
          Stop
        </button>
      )}
      {error && <p className="err">{error}</p>}
      {run && (
        <p data-testid="fuzz-progress" data-phase={run.done ? 'done' : (p?.phase ?? 'starting')}>
          seed {run.seed} ·{' '}
          {p
            ? `${p.cases}/${p.total} cases · ${Math.round(p.casesPerSecond)}/s · ${p.restarts} restarts · ${p.phase}`
            : 'starting…'}{' '}
          · {run.findings.length} findings
          {run.error ? (
            <span className="err">
              {' '}
              · <SafeText text={run.error} max={500} />
            </span>
          ) : null}
          <progress max={p?.total || 1} value={p?.cases ?? 0} />
        </p>
      )}
      {groups.map(([key, list]) => (
        <section
          key={key}
          className="fuzz-group"
          data-testid="fuzz-group"
          data-kind={list[0]!.kind}
          data-target={list[0]!.tool ?? list[0]!.method ?? ''}
        >
          <h4>
            {list[0]!.kind} · <SafeText text={list[0]!.tool ?? list[0]!.method ?? ''} max={120} />
          </h4>
          {list.map((f) => (
            <div
              key={`${f.case}-${f.evidence}`}
              className="fuzz-finding"
              data-testid="fuzz-finding"
            >
              <SafeText text={f.evidence} max={400} />
              <pre>
                <SafeText
                  text={`minimal input: ${JSON.stringify(f.minimized ?? f.input)}`}
                  max={2000}
                />
              </pre>
              <button
                type="button"
                onClick={() => void store.getState().resendFuzzFinding(f)}
                data-testid="fuzz-resend"
              >
                Resend
              </button>
            </div>
          ))}
        </section>
      ))}
      {resend && (
        <section data-testid="fuzz-resend-view">
          <p className="dim">
            {resend.copied ? 'Copied to the clipboard' : 'To send again'}: the {resend.kind} line
            for <SafeText text={resend.target} max={120} />.{' '}
            <button type="button" onClick={() => store.getState().clearFuzzResend()}>
              close
            </button>
          </p>
          <Suspense fallback={<pre>{resend.line.slice(0, 2000)}</pre>}>
            <JsonViewer raw={resend.line} shown={resend.line} pretty={false} findings={[]} />
          </Suspense>
        </section>
      )}
    </div>
  );
}
