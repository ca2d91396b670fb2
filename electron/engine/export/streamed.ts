// The streamed writers of the formats whose builders need the whole session (har, vitest, otlp):
// each record goes to the format's incremental builder in shared/export/, which hands back each
// piece of output as soon as it is known. What must come first in the file but is known only at
// the end (the OTLP session span, the vitest header and SERVER_ANSWERS) is written last and the
// pieces that belong after it wait in a temporary file (Spool), not in memory.

import type { HeaderRecord } from '../../../shared/capture/index.js';
import { HarBuilder } from '../../../shared/export/har.js';
import { OtlpBuilder, type OtlpSpan } from '../../../shared/export/otlp.js';
import { VitestBuilder } from '../../../shared/export/vitest.js';
import { TOOL_VERSION } from '../version.js';
import { OtlpSender, otlpPieces } from './otlp.js';
import type { OutputSink } from './sink.js';
import { Spool } from './spool.js';
import type { FormatWriter, WriterContext } from './writers.js';

const TOOL = `mcpscope ${TOOL_VERSION}`;

export function harWriter(sink: OutputSink): FormatWriter {
  let b: HarBuilder | undefined;
  return {
    header: (h) => (b = new HarBuilder(h, TOOL_VERSION, (t) => sink.write(t))),
    record: (_o, r) => b!.add(r),
    finish: () => {
      b!.finish();
      sink.write('\n');
    },
  };
}

export function vitestWriter(sink: OutputSink, ctx: WriterContext): FormatWriter {
  let b: VitestBuilder | undefined;
  const cases = new Spool();
  const answers = new Spool();
  const close = () => {
    cases.close();
    answers.close();
  };
  return {
    header: (h: HeaderRecord) =>
      (b = new VitestBuilder(
        { file: ctx.file, header: h, tool: TOOL },
        (t) => cases.write(t),
        (t) => answers.write(t),
      )),
    record: (_o, r) => b!.add(r),
    finish: () => {
      try {
        const f = b!.finish();
        sink.write(f.head);
        if (b!.serverAnswers > 0) {
          sink.write('[\n');
          answers.drainTo((t) => sink.write(t));
          sink.write('\n]');
        } else sink.write('[]');
        sink.write(f.middle);
        cases.drainTo((t) => sink.write(t));
        sink.write(f.tail);
      } finally {
        close();
      }
    },
    abort: close,
  };
}

/** Spans serialized (and sent to a collector) per batch of this many. */
export const OTLP_BATCH = 256;

/**
 * OTLP: one ExportTraceServiceRequest in the file (the session span first, as the whole-capture
 * exporter wrote it), and with an endpoint one export request per batch of spans, sent as the
 * batch fills (the export waits for the collector, so unsent batches do not pile up).
 */
export function otlpWriter(sink: OutputSink, ctx: WriterContext): FormatWriter {
  const spool = ctx.output === false ? undefined : new Spool();
  const sender = ctx.endpoint !== undefined ? new OtlpSender(ctx.endpoint, TOOL) : undefined;
  let b: OtlpBuilder | undefined;
  let ready: OtlpSpan[] = [];
  const batch = async () => {
    const spans = ready;
    ready = [];
    const trace = { resource: b!.resource(), spans };
    if (spool) for (const s of otlpPieces(trace, TOOL).spans) spool.write(`,${s}`);
    if (sender) await sender.send(trace);
  };
  const close = () => {
    spool?.close();
    void sender?.close();
  };
  return {
    header: (h) => (b = new OtlpBuilder(h, ctx.findings, { tool: TOOL }, (s) => ready.push(s))),
    record: (_o, r) => {
      b!.add(r);
      if (ready.length >= OTLP_BATCH) return batch();
    },
    finish: async () => {
      try {
        const session = b!.finish();
        const rest = [session, ...ready];
        ready = [];
        const resource = b!.resource();
        if (spool) {
          const p = otlpPieces({ resource, spans: rest }, TOOL);
          sink.write(p.head);
          sink.write(p.spans[0]!);
          spool.drainTo((t) => sink.write(t));
          for (const s of p.spans.slice(1)) sink.write(`,${s}`);
          sink.write(p.tail);
        }
        if (sender)
          for (let i = 0; i < rest.length; i += OTLP_BATCH)
            await sender.send({ resource, spans: rest.slice(i, i + OTLP_BATCH) });
      } finally {
        spool?.close();
        await sender?.close();
      }
    },
    abort: close,
    sent: () => sender?.url,
  };
}
