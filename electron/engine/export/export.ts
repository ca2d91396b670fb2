// `mcpscope export` and the app's Export menu: one pipeline for every format. Read the capture,
// check its chain, run the same detection as `scan` (detectors + secretlint), redact (on by
// default) with what the detectors found, then hand the (redacted) records to a renderer.

import { chmodSync, copyFileSync, createReadStream, statSync } from 'node:fs';
import { ageKind } from '../capture/age.js';
import { basename, dirname, join } from 'node:path';
import {
  judge,
  keyId,
  type ChainReport,
  type HeaderRecord,
} from '../../../shared/capture/index.js';
import { redactHeader, redactRecord } from '../../../shared/export/capture.js';
import { Redactor, type RedactionSummary } from '../../../shared/export/redact.js';
import type { Integrity } from '../../../shared/export/report.js';
import type { Finding } from '../../../shared/detect/types.js';
import { installPublicKey } from '../capture/key.js';
import { forEachLine } from '../capture/lines.js';
import {
  detectPass,
  forEachRecord,
  locateMissing,
  type CaptureSource,
  type OnProgress,
} from './passes.js';
import { writerFor } from './writers.js';
import { ExportError, OutputSink } from './sink.js';

export { ExportError } from './sink.js';

export const EXPORT_FORMATS = ['jsonl', 'vitest', 'har', 'sarif', 'html', 'md', 'otlp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXTENSION: Record<ExportFormat, string> = {
  jsonl: '.redacted.mcpscope.jsonl',
  vitest: '.replay.test.ts',
  har: '.har',
  sarif: '.sarif',
  html: '.report.html',
  md: '.report.md',
  otlp: '.otlp.json',
};

export interface ExportOptions {
  /** The capture file (read unless `text` is given; then only its name is used). */
  file: string;
  /** The capture's text, when the caller holds it already (the app's browser library). */
  text?: string;
  format: ExportFormat;
  /** Default: beside the capture, named by EXTENSION. '-' writes to stdout (returned as `text`). */
  out?: string;
  /** Default true. */
  redact?: boolean;
  /** otlp only: also POST the traces to this OTLP/HTTP collector (written to a file only with `out`). */
  endpoint?: string;
  /** With out '-': each piece of output as it is produced (else it is returned as `text`). */
  write?: (chunk: string) => void;
  /** age identities, when the capture file is age-encrypted (decrypted in memory as it streams). */
  identities?: readonly string[];
  /** Called as the passes go (the app's progress bar). */
  progress?: OnProgress;
  /**
   * age recipients (age1…): the output is encrypted as it streams into the file (`out`, default
   * beside the capture + `.age`); the plaintext is never written. Not with out '-'.
   */
  encryptTo?: readonly string[];
}

export interface ExportResult {
  format: ExportFormat;
  /** Where it was written (undefined when `out` was '-'). */
  path?: string;
  /** The output, when written to stdout. */
  text?: string;
  bytes: number;
  redaction?: RedactionSummary;
  findings: number;
  /** otlp with an endpoint: the URL the traces were sent to. */
  sent?: string;
  /** With encryptTo: how many recipients can open it, and the age file's size. */
  encryptedTo?: number;
  encryptedBytes?: number;
}

export function defaultOut(file: string, format: ExportFormat): string {
  const stem = basename(file)
    .replace(/\.age$/, '')
    .replace(/\.mcpscope\.jsonl$|\.jsonl$/, '');
  return join(dirname(file), `${stem}${format === 'jsonl' ? EXTENSION.jsonl : EXTENSION[format]}`);
}

/** The capture's verify verdict, as the reports show it (the install's own key is trusted). */
export function integrityOf(report: ChainReport): Integrity {
  const own = installPublicKey();
  const v = judge(report, own ? [own] : []);
  const base = {
    records: report.checked,
    ...(report.finalHash ? { finalHash: report.finalHash } : {}),
    ...(report.signers[0] ? { signer: keyId(report.signers[0]) } : {}),
  };
  if (v.status === 'altered')
    return {
      status: 'altered',
      detail: `first bad record: ${v.seq !== undefined ? `seq ${v.seq}` : `line ${v.line}`}: ${v.reason}`,
      ...base,
    };
  if (v.status === 'incomplete') return { status: 'incomplete', detail: v.reason, ...base };
  return {
    status: 'intact',
    detail: `every record's hash and signature checks out and the capture ends with its signed end record`,
    ...base,
  };
}

/** Findings with their free text passed through the redactor; ranges dropped (they index the original text). */
function redactFindings(red: Redactor, findings: Finding[]): Finding[] {
  return findings.map((f) => {
    const target = { ...f.target };
    delete target.range;
    const out: Finding = { ...f, message: red.apply(f.message), target };
    if (f.evidence !== undefined) out.evidence = red.apply(f.evidence);
    return out;
  });
}

/**
 * The export pipeline, streamed in two passes over the capture: pass 1 checks the chain, detects
 * and notes what the redactor must learn; pass 2 redacts each record and hands it to the format's
 * writer. Neither holds the capture's text or all its records.
 */
export async function exportCapture(opts: ExportOptions): Promise<ExportResult> {
  const redact = opts.redact !== false;
  if (opts.encryptTo && (opts.out === '-' || opts.endpoint !== undefined))
    throw new ExportError('an encrypted export is written to a file: give a path, no endpoint');
  const src: CaptureSource = {
    file: opts.file,
    ...(opts.text !== undefined ? { text: opts.text } : {}),
    ...(opts.identities ? { identities: opts.identities } : {}),
  };
  const progress = opts.progress;
  const detected = await detectPass(src, progress, { learn: redact });
  const header = detected.header;
  const integrity = integrityOf(detected.chain!);
  let findings = detected.findings;
  let outHeader: HeaderRecord = header;
  let red: Redactor | undefined;
  if (redact) {
    red = new Redactor();
    // The detectors already searched every frame and stderr line: learn what they found, then
    // only the structural rules (secret-named keys, headers, flags) on each record.
    await locateMissing(src, findings, detected.located);
    for (const f of findings) {
      const raw = detected.located.get(f);
      if (raw !== undefined && f.dataClass) red.learnRaw(raw, f.dataClass);
    }
    // What the structural rules found in pass 1, in order: as if learned after the findings.
    for (const [value, dataClass] of detected.learned) red.learn(value, dataClass);
    outHeader = redactHeader(red, header, { from: integrity.finalHash ?? '', fromId: header.id });
  }

  const result: ExportResult = { format: opts.format, bytes: 0, findings: findings.length };
  const seal = opts.encryptTo;
  const toFile = opts.out !== '-' && !(opts.format === 'otlp' && opts.endpoint && !opts.out);
  const path =
    opts.out !== '-'
      ? (opts.out ?? `${defaultOut(opts.file, opts.format)}${seal ? '.age' : ''}`)
      : undefined;
  const openFile = () => (seal ? OutputSink.encrypted(path!, seal) : OutputSink.file(path!));

  // Unredacted jsonl is the capture as it is: the bytes are copied, never parsed again.
  if (opts.format === 'jsonl' && !redact) {
    if (toFile && !seal && src.text === undefined && !src.identities?.length && !isAge(src.file)) {
      // A plain capture file: copied as bytes (exact even where it is not valid UTF-8).
      try {
        copyFileSync(src.file, path!);
        chmodSync(path!, 0o600);
      } catch (e) {
        throw new ExportError(
          `cannot write ${path!}: ${(e as Error).message}. Choose another --out.`,
        );
      }
      result.bytes = statSync(path!).size;
      result.path = path!;
      return result;
    }
    const sink = toFile ? await openFile() : sinkForStdout(opts);
    try {
      await copyPlain(src, sink);
    } catch (e) {
      sink.abort();
      throw e;
    }
    return finishResult(result, sink, toFile ? path : undefined, seal);
  }

  const sink = toFile
    ? await openFile()
    : opts.format === 'otlp' && opts.endpoint && opts.out === undefined
      ? OutputSink.string()
      : sinkForStdout(opts);
  let w: ReturnType<typeof writerFor> | undefined;
  try {
    // Redacted before the records: the streamed writers (otlp) put them out as they go. Pass 2
    // only applies what the redactor learned, so this gives what redacting after it gave.
    if (red) findings = redactFindings(red, findings);
    w = writerFor(opts.format, sink, {
      file: opts.file,
      header,
      fileVersion: detected.fileVersion,
      integrity,
      findings,
      ...(opts.format === 'otlp' && opts.endpoint !== undefined
        ? { endpoint: opts.endpoint, output: opts.out !== undefined }
        : {}),
    });
    w.header?.(outHeader);
    let n = 0;
    const writer = w;
    await forEachRecord(src, (r, line, text) => {
      const wait = writer.record(r, red ? redactRecord(red, r) : r, line, text);
      if (++n % 10_000 === 0) progress?.('writing', n);
      // The writer may wait (a spool); encrypting, wait too while the encrypter is behind.
      const behind = sink.ready();
      if (!wait) return behind;
      return behind ? Promise.all([wait, behind]).then(() => undefined) : wait;
    });
    let redaction: RedactionSummary | undefined;
    if (red) {
      redaction = red.summary();
      result.redaction = redaction;
    }
    await w.finish(findings, redaction);
    const sent = w.sent?.();
    if (sent !== undefined) result.sent = sent;
  } catch (e) {
    w?.abort?.();
    sink.abort();
    throw e;
  }
  if (opts.format === 'otlp' && opts.endpoint && opts.out === undefined) {
    sink.close();
    return result;
  }
  return finishResult(result, sink, toFile ? path : undefined, seal);
}

function sinkForStdout(opts: ExportOptions): OutputSink {
  return opts.write ? OutputSink.writer(opts.write) : OutputSink.string();
}

async function finishResult(
  result: ExportResult,
  sink: OutputSink,
  path: string | undefined,
  seal: readonly string[] | undefined,
): Promise<ExportResult> {
  let text: string | undefined;
  try {
    text = await sink.end();
  } catch (e) {
    sink.abort();
    throw e;
  }
  result.bytes = sink.bytes;
  if (seal) {
    result.encryptedTo = seal.length;
    result.encryptedBytes = sink.written;
  }
  if (path !== undefined) result.path = path;
  else if (text !== undefined) result.text = text;
  return result;
}

const isAge = (file: string) => ageKind(file) !== undefined;

/** The capture's bytes unchanged (decrypted when it is an age file). */
async function copyPlain(src: CaptureSource, sink: OutputSink): Promise<void> {
  if (src.text !== undefined) return sink.write(src.text);
  if (src.identities === undefined) {
    if (!isAge(src.file)) {
      for await (const chunk of createReadStream(src.file, {
        encoding: 'utf8',
        highWaterMark: 1 << 22,
      })) {
        sink.write(chunk as string);
        await sink.ready();
      }
      return;
    }
  }
  let held: string | undefined;
  const { endsWithNewline } = await forEachLine(
    src.file,
    (line) => {
      if (held !== undefined) sink.write(`${held}\n`);
      held = line;
      return sink.ready();
    },
    src.identities ? { identities: src.identities } : {},
  );
  if (held !== undefined) sink.write(endsWithNewline ? `${held}\n` : held);
}
