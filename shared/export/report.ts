// The audit-report model the HTML and Markdown exports render: one place decides what a report
// says (summary, handshake, capabilities, findings, data flow, integrity, timeline), the two
// renderers only decide how. Everything here may come from a hostile server: renderers escape it.

import type { ReadCapture } from '../capture/reader.js';
import { buildTimeline } from '../capture/timeline.js';
import type { HeaderRecord } from '../capture/types.js';
import { dataFlow, type DataFlow } from '../detect/dataflow.js';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../detect/types.js';
import type { Handshake, ListKind } from '../protocol/session.js';
import type { LearnedValue } from './redact.js';

export interface Integrity {
  status: 'intact' | 'altered' | 'incomplete';
  /** One sentence: what was checked and what was found. */
  detail: string;
  /** Hash of the last intact record: pin it to detect any later change. */
  finalHash?: string;
  records: number;
  /** Key id of the signer, when the capture is signed. */
  signer?: string;
}

export interface ReportItem {
  name: string;
  title?: string;
  description?: string;
  findings: number;
  worst?: Severity;
}

export interface TimelineRow {
  seq: number;
  /** ms since the capture started. */
  t: number;
  dir: 'c2s' | 's2c' | '—';
  kind: string;
  method?: string;
  id?: string;
  latencyMs?: number;
  error?: string;
  /** The first characters of the frame or event (redacted when the export is). */
  preview: string;
  findings: number;
}

export interface ReportModel {
  generated: string;
  tool: string;
  file: string;
  header: HeaderRecord;
  integrity: Integrity;
  redacted?: { values: number; replacements: number; masked: LearnedValue[] };
  handshake: Handshake;
  lists: Record<ListKind, ReportItem[]>;
  findings: Finding[];
  counts: Record<Severity, number>;
  flows: DataFlow[];
  stats: {
    records: number;
    frames: number;
    requests: number;
    errors: number;
    durationMs: number;
    stderr: number;
  };
  timeline: TimelineRow[];
  /** Rows left out of `timeline` (the report keeps the first `maxRows`). */
  omittedRows: number;
}

export interface ReportInput {
  file: string;
  read: ReadCapture;
  findings: Finding[];
  integrity: Integrity;
  tool: string;
  redacted?: ReportModel['redacted'];
  maxRows?: number;
  now?: Date;
}

const PREVIEW = 240;

export function buildReport(input: ReportInput): ReportModel {
  const { read } = input;
  const header = read.header!;
  const tl = buildTimeline(read);
  const findings = [...input.findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.target.seq ?? 0) - (b.target.seq ?? 0),
  );
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  const bySeq = new Map<number, number>();
  for (const f of findings)
    if (f.target.seq !== undefined) bySeq.set(f.target.seq, (bySeq.get(f.target.seq) ?? 0) + 1);

  const byItem = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.target.kind === 'message' || f.target.name === undefined) continue;
    const k = `${f.target.kind}\u0000${f.target.name}`;
    byItem.set(k, [...(byItem.get(k) ?? []), f]);
  }
  const itemKind: Record<ListKind, string> = {
    tools: 'tool',
    prompts: 'prompt',
    resources: 'resource',
    resourceTemplates: 'resource',
  };
  const lists = {} as Record<ListKind, ReportItem[]>;
  for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) {
    lists[kind] = tl.session.lists[kind].items.map((it) => {
      const key =
        kind === 'resources' ? it.uri : kind === 'resourceTemplates' ? it.uriTemplate : it.name;
      const name = typeof key === 'string' ? key : '?';
      const fs = byItem.get(`${itemKind[kind]}\u0000${name}`) ?? [];
      const item: ReportItem = { name, findings: fs.length };
      if (typeof it.title === 'string') item.title = it.title;
      if (typeof it.description === 'string') item.description = it.description;
      if (fs[0]) item.worst = fs[0].severity;
      return item;
    });
  }

  const start = tl.startTs;
  const rows: TimelineRow[] = [];
  const maxRows = input.maxRows ?? 10_000;
  let total = 0;
  const textOf = new Map<number, string>();
  for (const r of read.records)
    if (r.type === 'frame' && r.text !== undefined) textOf.set(r.seq, r.text);
  const messages = tl.index.messages;
  let mi = 0;
  let ei = 0;
  // Merge messages and lifecycle events in seq order.
  while (mi < messages.length || ei < tl.events.length) {
    const m = messages[mi];
    const e = tl.events[ei];
    if (m && (!e || m.seq <= e.seq)) {
      mi++;
      total++;
      if (rows.length >= maxRows) continue;
      const row: TimelineRow = {
        seq: m.seq,
        t: m.ts - start,
        dir: m.dir,
        kind: m.kind,
        preview: (textOf.get(m.seq) ?? '').slice(0, PREVIEW),
        findings: bySeq.get(m.seq) ?? 0,
      };
      if (m.method !== undefined) row.method = m.method;
      if (m.id !== undefined && m.id !== null) row.id = String(m.id);
      if (m.latencyMs !== undefined) row.latencyMs = m.latencyMs;
      if (m.kind === 'error' && m.parsed.error)
        row.error = `${m.parsed.error.code}: ${m.parsed.error.message}`;
      else if (m.flags.includes('tool-error')) row.error = 'tool reported isError';
      else if (m.kind === 'invalid' && m.reason) row.error = m.reason;
      rows.push(row);
    } else if (e) {
      ei++;
      if (e.type === 'end') continue;
      total++;
      if (rows.length >= maxRows) continue;
      rows.push({
        seq: e.seq,
        t: e.ts - start,
        dir: '—',
        kind: e.type,
        preview: eventText(e).slice(0, PREVIEW),
        findings: bySeq.get(e.seq) ?? 0,
      });
    }
  }

  const last = read.records[read.records.length - 1];
  const out: ReportModel = {
    generated: (input.now ?? new Date()).toISOString(),
    tool: input.tool,
    file: input.file,
    header,
    integrity: input.integrity,
    handshake: tl.session.handshake,
    lists,
    findings,
    counts,
    flows: dataFlow(findings),
    stats: {
      records: read.records.length,
      frames: read.records.filter((r) => r.type === 'frame').length,
      requests: messages.filter((m) => m.kind === 'request').length,
      errors: messages.filter((m) => m.kind === 'error' || m.flags.includes('tool-error')).length,
      durationMs: last ? last.ts - start : 0,
      stderr: tl.events.filter((e) => e.type === 'stderr').length,
    },
    timeline: rows,
    omittedRows: Math.max(0, total - rows.length),
  };
  if (input.redacted) out.redacted = input.redacted;
  return out;
}

function eventText(e: ReturnType<typeof buildTimeline>['events'][number]): string {
  switch (e.type) {
    case 'stderr':
      return e.text ?? '(binary stderr)';
    case 'spawn':
      return [e.command, ...e.args].join(' ');
    case 'exit':
      return e.signal ? `killed by ${e.signal}` : `exit code ${String(e.code)}`;
    case 'http':
      return e.dir === 'c2s' ? `${e.method ?? ''} ${e.path ?? ''}` : `HTTP ${e.status ?? ''}`;
    case 'error':
      return `${e.where}: ${e.message}`;
    case 'note':
      return e.text;
    default:
      return '';
  }
}

/** Where a finding is, in words (shared by the HTML and Markdown reports). */
export function findingPlace(f: Finding): string {
  const t = f.target;
  const parts: string[] = [];
  if (t.server) parts.push(`server ${t.server}`);
  if (t.kind !== 'message' && t.kind !== 'server' && t.name) parts.push(`${t.kind} ${t.name}`);
  if (t.seq !== undefined)
    parts.push(`seq ${t.seq}${t.kind === 'message' && t.name ? ` (${t.name})` : ''}`);
  if (t.pointer) parts.push(`at ${t.pointer}`);
  return parts.join(', ');
}
