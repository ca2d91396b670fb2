// The campaign's findings: one per (kind, tool or method, oracle sub-type), with a count of the
// cases that hit it, the first case's input, and later its minimised input and reproducers.

import {
  bytesCommand,
  callCommand,
  caseText,
  escapeBytes,
  rawCommand,
  toolCallLine,
  type FuzzCase,
  type FuzzFinding,
  type ReproTarget,
  type Verdict,
} from '../../../shared/fuzz/index.js';
import type { FuzzTarget } from './link.js';

export interface Entry {
  verdict: Verdict;
  case: FuzzCase;
  count: number;
  minimized?: unknown;
  /** Set when a pipelined crash or stray could not be reproduced with the case alone. */
  unconfirmed?: boolean;
}

const MAX_INPUT_BYTES = 4096;

export const targetOf = (c: FuzzCase): { tool?: string; method?: string } =>
  c.family === 'tools' ? { tool: c.tool } : { method: `${c.family}:${c.mutation}` };

export function entryKey(v: Verdict, c: FuzzCase): string {
  const t = targetOf(c);
  return `${v.kind}\u0000${t.tool ?? t.method ?? ''}\u0000${v.sig}`;
}

export function reproTarget(t: FuzzTarget): ReproTarget {
  return t.transport === 'stdio'
    ? { kind: 'stdio', command: [t.command, ...(t.args ?? [])] }
    : { kind: 'http', url: t.url, ...(t.transport === 'sse' ? { sse: true } : {}) };
}

function inputOf(c: FuzzCase): unknown {
  if (c.family === 'tools') return c.args;
  if (c.family === 'protocol') return c.lines;
  const size = c.chunks.join('').length;
  const text = caseText(c);
  if (size <= MAX_INPUT_BYTES) return text;
  return { bytes: size, head: text.join('').slice(0, 200) };
}

export function toFinding(e: Entry, seed: number, target: FuzzTarget): FuzzFinding {
  const c = e.case;
  const repro = reproTarget(target);
  let line: string;
  let reproduce: string;
  if (c.family === 'tools') {
    const args = e.minimized ?? c.args;
    line = toolCallLine(1, c.tool, args);
    reproduce = callCommand(c.tool, args, repro);
  } else if (c.family === 'protocol') {
    const lines = (e.minimized as string[] | undefined) ?? c.lines;
    line = lines.join('\n');
    reproduce = rawCommand(lines, repro);
  } else {
    const chunks = (e.minimized as string[] | undefined) ?? c.chunks;
    // The exact bytes, escaped (\xHH for anything not printable ASCII).
    line = escapeBytes(chunks.join(''));
    const size = chunks.join('').length;
    reproduce =
      repro.kind === 'stdio' && size <= MAX_INPUT_BYTES
        ? bytesCommand(chunks, repro.command)
        : `mcpscope fuzz --seed ${seed} (case ${c.index}: ${size} bytes; the exact bytes are in the capture)`;
  }
  if (line.length > MAX_INPUT_BYTES)
    line = `${line.slice(0, MAX_INPUT_BYTES)}… (${line.length} chars)`;
  const f: FuzzFinding = {
    kind: e.verdict.kind,
    ...targetOf(c),
    input: inputOf(c),
    evidence: e.unconfirmed
      ? `${e.verdict.evidence} (seen while several cases were in flight; not reproduced with this case alone)`
      : e.verdict.evidence,
    seed,
    case: c.index,
    line,
    reproduce,
    count: e.count,
  };
  if (c.family === 'tools') f.mode = c.mode;
  // As it travels in JSON (-0 becomes 0), so the report and the line agree. Framing: escaped bytes.
  if (e.minimized !== undefined)
    f.minimized =
      c.family === 'framing' ? line : (JSON.parse(JSON.stringify(e.minimized)) as unknown);
  return f;
}
