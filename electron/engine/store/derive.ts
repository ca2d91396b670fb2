// Derived data stored beside a session's lines: its messages (the one MessageIndex: method,
// direction, request id, pairing, latency), its findings (the one scan pipeline, scan.ts) with
// the tool each concerns, and its data-flow summary (the one dataFlow).

import { frameInput, type EventRecord } from '../../../shared/capture/index.js';
import { dataFlow, type DataFlow } from '../../../shared/detect/dataflow.js';
import type { Finding } from '../../../shared/detect/types.js';
import { isObject } from '../../../shared/json.js';
import { detach, slimMessages } from '../../../shared/export/slim.js';
import { MessageIndex } from '../../../shared/protocol/index.js';
import { forEachLine } from '../capture/lines.js';
import { scanCaptureFile } from '../scan/scan.js';

export interface MessageRow {
  mid: number;
  seq: number;
  batchIndex: number | null;
  ts: number;
  direction: string;
  kind: string;
  method: string | null;
  requestId: string | null;
  pairMid: number | null;
  latencyMs: number | null;
  errorCode: number | null;
  size: number;
}

export interface FindingRow {
  rule: string;
  severity: string;
  seq: number | null;
  tool: string | null;
  message: string;
}

export interface Derived {
  server: string | null;
  messages: MessageRow[];
  findings: FindingRow[];
  flows: DataFlow[];
}

/** Longest stored text of a finding message or method (bounded: everything a server sends is hostile). */
const MAX_TEXT = 2000;

export async function deriveCapture(path: string): Promise<Derived> {
  const index = new MessageIndex();
  /** The tool a tools/call request (and its answer) concerns, by record seq. */
  const toolBySeq = new Map<number, string>();
  await forEachLine(path, (line) => {
    // Only frame records feed the message timeline; other lines are skipped without parsing.
    if (!line.includes('"type":"frame"')) return;
    let rec: EventRecord;
    try {
      rec = JSON.parse(line) as EventRecord;
    } catch {
      return; // the chain was verified before; an unparsable line cannot be a frame
    }
    if (rec.type !== 'frame') return;
    const from = index.messages.length;
    for (const m of index.add(frameInput(rec))) {
      if (m.kind === 'request' && m.method === 'tools/call' && isObject(m.parsed.params)) {
        const name = m.parsed.params.name;
        if (typeof name === 'string') toolBySeq.set(m.seq, detach(name.slice(0, MAX_TEXT)));
      }
    }
    // Only the envelopes are stored: bodies are dropped once seen (memory bounded by the count
    // of messages, not the file's bytes).
    slimMessages(index, from);
  });
  for (const m of index.messages) {
    if (m.pair === undefined || m.kind === 'request') continue;
    const req = index.messages[m.pair];
    const tool = req ? toolBySeq.get(req.seq) : undefined;
    if (tool !== undefined && !toolBySeq.has(m.seq)) toolBySeq.set(m.seq, tool);
  }
  const scan = await scanCaptureFile(path);
  const findings: Finding[] = scan.findings;
  return {
    server: scan.servers[0]?.name ?? null,
    messages: index.messages.map((m) => ({
      mid: m.mid,
      seq: m.seq,
      batchIndex: m.index ?? null,
      ts: m.ts,
      direction: m.dir,
      kind: m.kind,
      method: m.method?.slice(0, MAX_TEXT) ?? null,
      requestId: m.id === undefined || m.id === null ? null : JSON.stringify(m.id).slice(0, 200),
      pairMid: m.pair ?? null,
      latencyMs: m.latencyMs ?? null,
      errorCode:
        m.errorCode !== undefined &&
        Number.isInteger(m.errorCode) &&
        Math.abs(m.errorCode) < 2 ** 31
          ? m.errorCode
          : null,
      size: m.size,
    })),
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      seq: f.target.seq ?? null,
      tool:
        f.target.kind === 'tool' && f.target.name !== undefined
          ? f.target.name.slice(0, MAX_TEXT)
          : f.target.seq !== undefined
            ? (toolBySeq.get(f.target.seq) ?? null)
            : null,
      message: f.message.slice(0, MAX_TEXT),
    })),
    flows: dataFlow(findings),
  };
}
