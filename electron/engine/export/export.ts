// `mcpscope export` and the app's Export menu: one pipeline for every format. Read the capture,
// check its chain, run the same detection as `scan` (detectors + secretlint), redact (on by
// default) with what the detectors found, then hand the (redacted) records to a renderer.

import { closeSync, openSync, writeSync, copyFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  captureLines,
  judge,
  keyId,
  splitHash,
  verifyChain,
  type EventRecord,
  type HeaderRecord,
  type ReadCapture,
} from '../../../shared/capture/index.js';
import {
  learnFindings,
  learnRecord,
  redactHeader,
  redactRecord,
} from '../../../shared/export/capture.js';
import { toHar } from '../../../shared/export/har.js';
import { renderHtml } from '../../../shared/export/html.js';
import { renderMarkdown } from '../../../shared/export/markdown.js';
import { Redactor, type RedactionSummary } from '../../../shared/export/redact.js';
import { buildReport, type Integrity } from '../../../shared/export/report.js';
import type { Finding } from '../../../shared/detect/types.js';
import { installPublicKey, installSigner } from '../capture/key.js';
import { nodeSha256 } from '../capture/writer.js';
import { scanRead } from '../scan/scan.js';
import { TOOL_VERSION } from '../version.js';
import { sarifExport } from './sarif.js';
import { otlpJson, sendOtlp } from './otlp.js';
import { buildOtlp } from '../../../shared/export/otlp.js';
import { renderVitest } from '../../../shared/export/vitest.js';
import { CaptureFileError, readCaptureText } from '../capture/load.js';
import {
  CAPTURE_VERSION,
  CaptureFormatError,
  chainBody,
  readCapture,
  signBody,
  type CaptureSigner,
} from '../../../shared/capture/index.js';

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
}

export class ExportError extends Error {}

export function defaultOut(file: string, format: ExportFormat): string {
  const stem = basename(file).replace(/\.mcpscope\.jsonl$|\.jsonl$/, '');
  return join(dirname(file), `${stem}${format === 'jsonl' ? EXTENSION.jsonl : EXTENSION[format]}`);
}

/** The capture's verify verdict, as the reports show it (the install's own key is trusted). */
export function integrityOf(text: string): Integrity {
  const report = verifyChain(text, nodeSha256);
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

export async function exportCapture(opts: ExportOptions): Promise<ExportResult> {
  const redact = opts.redact !== false;
  const text = opts.text ?? readCaptureText(opts.file);
  let read: ReadCapture;
  try {
    read = readCapture(text);
  } catch (e) {
    if (e instanceof CaptureFormatError) throw new CaptureFileError(`${opts.file}: ${e.message}`);
    throw e;
  }
  const header = read.header!;
  const integrity = integrityOf(text);
  const scan = await scanRead(read);
  let findings = scan.findings;
  let records: EventRecord[] = read.records;
  let outHeader: HeaderRecord = header;
  let redaction: RedactionSummary | undefined;
  if (redact) {
    const red = new Redactor();
    const textOf = new Map<number, string>();
    for (const r of read.records)
      if ((r.type === 'frame' || r.type === 'stderr') && r.text !== undefined)
        textOf.set(r.seq, r.text);
    // The detectors already searched every frame and stderr line: learn what they found, then
    // only the structural rules (secret-named keys, headers, flags) on each record.
    learnFindings(red, scan.findings, (seq) => textOf.get(seq));
    learnRecord(red, header);
    for (const r of read.records) learnRecord(red, r, true);
    outHeader = redactHeader(red, header, { from: integrity.finalHash ?? '', fromId: header.id });
    records = read.records.map((r) => redactRecord(red, r));
    findings = redactFindings(red, findings);
    redaction = red.summary();
  }
  const redacted: ReadCapture = { ...read, header: outHeader, records };

  let output: string | undefined;
  switch (opts.format) {
    case 'jsonl':
      if (!redact) {
        if (opts.out === '-') output = text;
        else {
          const path = opts.out ?? defaultOut(opts.file, 'jsonl');
          copyFileSync(opts.file, path);
          chmodSync(path, 0o600);
          return {
            format: 'jsonl',
            path,
            bytes: Buffer.byteLength(text),
            findings: findings.length,
          };
        }
      } else output = rechain(outHeader, records, read, text);
      break;
    case 'html':
    case 'md': {
      // The report names a redaction only when its input was itself a redacted copy.
      const reportHeader: HeaderRecord = { ...outHeader };
      if (header.redaction) reportHeader.redaction = header.redaction;
      else delete reportHeader.redaction;
      const model = buildReport({
        file: opts.file,
        read: { ...redacted, header: reportHeader },
        findings,
        integrity,
        tool: `mcpscope ${TOOL_VERSION}`,
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
      output = opts.format === 'html' ? renderHtml(model) : renderMarkdown(model);
      break;
    }
    case 'har':
      output = `${JSON.stringify(toHar(outHeader, records, TOOL_VERSION), null, 2)}\n`;
      break;
    case 'sarif':
      output = `${JSON.stringify(sarifExport(opts.file, findings, redacted, text), null, 2)}\n`;
      break;
    case 'otlp':
      output = otlpJson(
        buildOtlp(redacted, findings, { tool: `mcpscope ${TOOL_VERSION}` }),
        `mcpscope ${TOOL_VERSION}`,
      );
      break;
    case 'vitest':
      output = renderVitest({
        file: opts.file,
        header: outHeader,
        records,
        tool: `mcpscope ${TOOL_VERSION}`,
      });
      break;
  }
  const result: ExportResult = {
    format: opts.format,
    bytes: Buffer.byteLength(output),
    findings: findings.length,
  };
  if (redaction) result.redaction = redaction;
  if (opts.format === 'otlp' && opts.endpoint !== undefined) {
    result.sent = await sendOtlp(
      buildOtlp(redacted, findings, { tool: `mcpscope ${TOOL_VERSION}` }),
      `mcpscope ${TOOL_VERSION}`,
      opts.endpoint,
    );
    if (opts.out === undefined) return result;
  }
  if (opts.out === '-') result.text = output;
  else {
    const path = opts.out ?? defaultOut(opts.file, opts.format);
    writeFileTight(path, output);
    result.path = path;
  }
  return result;
}

/**
 * Records re-chained from a fresh header, so the redacted copy verifies on its own, and signed
 * with this install's key where the original was signed (header, every `sig` checkpoint, end
 * record), so seq numbers stay those of the original. A record the redactor left as it was keeps
 * its original text (the body the writer hashed), so only its hash is recomputed.
 */
function rechain(
  header: HeaderRecord,
  records: readonly EventRecord[],
  original: ReadCapture,
  text: string,
): string {
  const sameVersion = original.fileVersion === CAPTURE_VERSION;
  const bodies = new Map<number, string>();
  if (sameVersion) {
    for (const line of captureLines(text)) {
      const m = /^\{"seq":(\d+),/.exec(line);
      const split = m ? splitHash(line) : undefined;
      if (m && split) bodies.set(Number(m[1]), split.body);
    }
  }
  let signer: CaptureSigner | undefined;
  try {
    signer = installSigner();
  } catch {
    signer = undefined; // No usable key: the copy is chained but unsigned, as the recorder would write it.
  }
  const unsigned = <T extends object>(r: T): T => {
    const { key: _k, sig: _s, ...rest } = r as T & { key?: string; sig?: string };
    return rest as T;
  };
  let prev = '';
  let out = '';
  const emit = (body: string, sign: boolean) => {
    const b = sign && signer ? signBody(body, prev, signer) : body;
    const { line, hash } = chainBody(b, prev, nodeSha256);
    out += `${line}\n`;
    prev = hash;
  };
  emit(JSON.stringify(unsigned(header)), true);
  records.forEach((r, i) => {
    if (r.type === 'sig') return emit(JSON.stringify({ seq: r.seq, ts: r.ts, type: 'sig' }), true);
    if (r.type === 'end') return emit(JSON.stringify(unsigned(r)), true);
    const body = r === original.records[i] ? bodies.get(r.seq) : undefined;
    emit(body ?? JSON.stringify(r), false);
  });
  return out;
}

/** Exports can hold evidence: owner-only, whatever the umask. */
function writeFileTight(path: string, data: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o600);
  } catch (e) {
    throw new ExportError(`cannot write ${path}: ${(e as Error).message}. Choose another --out.`);
  }
  try {
    chmodSync(path, 0o600);
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}
