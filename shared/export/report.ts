// The audit-report model the HTML and Markdown exports render: one place decides what a report
// says (summary, handshake, capabilities, findings, data flow, integrity, timeline), the two
// renderers only decide how. Everything here may come from a hostile server: renderers escape it.

import { frameInput } from '../capture/frames.js';
import type { ReadCapture } from '../capture/reader.js';
import type { EventRecord, FrameRecord, HeaderRecord } from '../capture/types.js';
import { dataFlow, type DataFlow } from '../detect/dataflow.js';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../detect/types.js';
import { MessageIndex, type Message } from '../protocol/messages.js';
import { SessionModel, type Handshake, type ListKind } from '../protocol/session.js';
import { detach, slimMessages } from './slim.js';
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

type RowRef =
  | { m: Message; preview: string }
  | { e: { seq: number; ts: number; type: string }; preview: string };

/**
 * The report, fed one record at a time (a streamed export): it keeps the session model, the
 * first `maxRows` timeline rows (each with a 240-character preview) and counters, not the
 * records. Message bodies are dropped once read (slimMessages), so memory does not grow with the
 * frames' size.
 */
export class ReportBuilder {
  private readonly index = new MessageIndex();
  private readonly session = new SessionModel((mid) => this.index.get(mid));
  private readonly rows: RowRef[] = [];
  private total = 0;
  private records = 0;
  private frames = 0;
  private stderr = 0;
  private lastTs: number | undefined;

  constructor(
    private readonly startTs: number,
    private readonly maxRows = 10_000,
  ) {}

  add(r: EventRecord): void {
    this.records++;
    this.lastTs = r.ts;
    if (r.type !== 'frame') {
      if (r.type === 'stderr') this.stderr++;
      if (r.type === 'end') return;
      this.total++;
      if (this.rows.length < this.maxRows)
        this.rows.push({
          e: { seq: r.seq, ts: r.ts, type: r.type },
          preview: detach(eventText(r).slice(0, PREVIEW)),
        });
      return;
    }
    this.frames++;
    const from = this.index.messages.length;
    const messages = this.index.add(frameInput(r));
    for (const m of messages) this.session.add(m);
    for (const m of messages) {
      this.total++;
      if (this.rows.length < this.maxRows)
        this.rows.push({ m, preview: detach((r.text ?? '').slice(0, PREVIEW)) });
    }
    slimMessages(this.index, from);
  }

  finish(input: Omit<ReportInput, 'read' | 'maxRows'> & { header: HeaderRecord }): ReportModel {
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
      lists[kind] = this.session.lists[kind].items.map((it) => {
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

    const start = this.startTs;
    const rows = this.rows.map((ref): TimelineRow => {
      if ('e' in ref) {
        const e = ref.e;
        return {
          seq: e.seq,
          t: e.ts - start,
          dir: '—',
          kind: e.type,
          preview: ref.preview,
          findings: bySeq.get(e.seq) ?? 0,
        };
      }
      const m = ref.m;
      const row: TimelineRow = {
        seq: m.seq,
        t: m.ts - start,
        dir: m.dir,
        kind: m.kind,
        preview: ref.preview,
        findings: bySeq.get(m.seq) ?? 0,
      };
      if (m.method !== undefined) row.method = m.method;
      if (m.id !== undefined && m.id !== null) row.id = String(m.id);
      if (m.latencyMs !== undefined) row.latencyMs = m.latencyMs;
      if (m.kind === 'error' && m.parsed.error)
        row.error = `${m.parsed.error.code}: ${m.parsed.error.message}`;
      else if (m.flags.includes('tool-error')) row.error = 'tool reported isError';
      else if (m.kind === 'invalid' && m.reason) row.error = m.reason;
      return row;
    });

    let requests = 0;
    let errors = 0;
    for (const m of this.index.messages) {
      if (m.kind === 'request') requests++;
      if (m.kind === 'error' || m.flags.includes('tool-error')) errors++;
    }
    const out: ReportModel = {
      generated: (input.now ?? new Date()).toISOString(),
      tool: input.tool,
      file: input.file,
      header: input.header,
      integrity: input.integrity,
      handshake: this.session.handshake,
      lists,
      findings,
      counts,
      flows: dataFlow(findings),
      stats: {
        records: this.records,
        frames: this.frames,
        requests,
        errors,
        durationMs: this.lastTs !== undefined ? this.lastTs - start : 0,
        stderr: this.stderr,
      },
      timeline: rows,
      omittedRows: Math.max(0, this.total - rows.length),
    };
    if (input.redacted) out.redacted = input.redacted;
    return out;
  }
}

/** The report of a capture held in memory (the streamed export feeds a ReportBuilder itself). */
export function buildReport(input: ReportInput): ReportModel {
  const { read } = input;
  const header = read.header!;
  const b = new ReportBuilder(header.ts ?? read.records[0]?.ts ?? 0, input.maxRows);
  for (const r of read.records) b.add(r);
  return b.finish({ ...input, header });
}

function eventText(e: Exclude<EventRecord, FrameRecord>): string {
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
