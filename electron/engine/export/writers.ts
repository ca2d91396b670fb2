// One writer per export format, fed the (redacted) records of the export's last pass one at a
// time. jsonl writes each record as it comes; sarif keeps only the text and line of the records
// its findings name; html/md keep the report model (session, first 10,000 timeline rows,
// counters). har, vitest and otlp (streamed.ts) write each exchange once it is answered, holding
// only what is in flight.

import type { EventRecord, HeaderRecord } from '../../../shared/capture/index.js';
import type { Finding } from '../../../shared/detect/types.js';
import { renderHtml } from '../../../shared/export/html.js';
import { renderMarkdown } from '../../../shared/export/markdown.js';
import type { RedactionSummary } from '../../../shared/export/redact.js';
import { ReportBuilder, type Integrity } from '../../../shared/export/report.js';
import { TOOL_VERSION } from '../version.js';
import type { ExportFormat } from './export.js';
import { Rechainer } from './rechain.js';
import { sarifExport } from './sarif.js';
import type { OutputSink } from './sink.js';
import { harWriter, otlpWriter, vitestWriter } from './streamed.js';

export interface FormatWriter {
  /** The header of the output (redacted when the export is). */
  header(h: HeaderRecord): void;
  /** A promise when the writer must wait (otlp sending a batch to the collector). */
  record(original: EventRecord, r: EventRecord, line: number, text: string): void | Promise<void>;
  /** Writes what comes after the records (or the whole output, for a format built at the end). */
  finish(findings: Finding[], redaction: RedactionSummary | undefined): void | Promise<void>;
  /** After a failure: let go of what the writer holds (temporary files). */
  abort?(): void;
  /** otlp with an endpoint: the URL the traces were sent to (after finish). */
  sent?(): string | undefined;
}

export interface WriterContext {
  file: string;
  /** The capture's own header (the report names a redaction only when its input had one). */
  header: HeaderRecord;
  fileVersion: number;
  integrity: Integrity;
  /** The findings (redacted when the export is; their seqs say which records sarif must keep). */
  findings: readonly Finding[];
  /** otlp: also send the spans to this OTLP/HTTP collector. */
  endpoint?: string;
  /** false: nothing is written (otlp sent to an endpoint without --out). */
  output?: boolean;
}

const TOOL = `mcpscope ${TOOL_VERSION}`;
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export function writerFor(
  format: ExportFormat,
  sink: OutputSink,
  ctx: WriterContext,
): FormatWriter {
  switch (format) {
    case 'jsonl': {
      const chain = new Rechainer(sink, ctx.fileVersion);
      return {
        header: (h) => chain.header(h),
        record: (o, r, _n, text) => chain.record(o, r, text),
        finish: () => undefined,
      };
    }
    case 'sarif': {
      const wanted = new Set<number>();
      for (const f of ctx.findings) if (f.target.seq !== undefined) wanted.add(f.target.seq);
      const textOf = new Map<number, string>();
      const lineOf = new Map<number, number>();
      if (wanted.has(0)) lineOf.set(0, 1);
      return {
        header: () => undefined,
        record: (_o, r, line) => {
          if (!wanted.has(r.seq)) return;
          lineOf.set(r.seq, line);
          if ((r.type === 'frame' || r.type === 'stderr') && r.text !== undefined)
            textOf.set(r.seq, r.text);
        },
        finish: (findings) => sink.write(json(sarifExport(ctx.file, findings, textOf, lineOf))),
      };
    }
    case 'html':
    case 'md': {
      const report = new ReportBuilder(ctx.header.ts);
      let outHeader = ctx.header;
      return {
        header: (h) => (outHeader = h),
        record: (_o, r) => report.add(r),
        finish: (findings, redaction) => {
          // The report names a redaction only when its input was itself a redacted copy.
          const reportHeader: HeaderRecord = { ...outHeader };
          if (ctx.header.redaction) reportHeader.redaction = ctx.header.redaction;
          else delete reportHeader.redaction;
          const model = report.finish({
            file: ctx.file,
            header: reportHeader,
            findings,
            integrity: ctx.integrity,
            tool: TOOL,
            ...(redaction
              ? {
                  redacted: {
                    values: redaction.values,
                    replacements: redaction.replacements,
                    masked: redaction.masked,
                  },
                }
              : {}),
          });
          sink.write(format === 'html' ? renderHtml(model) : renderMarkdown(model));
        },
      };
    }
    case 'har':
      return harWriter(sink);
    case 'vitest':
      return vitestWriter(sink, ctx);
    case 'otlp':
      return otlpWriter(sink, ctx);
  }
}
