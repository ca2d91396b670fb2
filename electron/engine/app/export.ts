// The app's Export menu: runs the same streamed pipeline as `mcpscope export` on the session's
// capture file (read line by line, never whole), or on capture text the UI holds, into a file of
// export-files.ts (the page downloads it with a single-use ticket; the output never crosses the
// host-api). Progress of a running export is kept by its jobId for the dialog's progress line; an
// OTLP export can be sent to a collector, and any export can be encrypted to age recipients as it
// is written (never in clear on disk).

import { basename } from 'node:path';
import {
  HostApiError,
  type ExportAsArgs,
  type ExportAsResult,
  type ExportProgress,
} from '../../../shared/host-api.js';
import { EXTENSION, exportCapture, type ExportResult } from '../export/export.js';
import type { ExportFiles } from './export-files.js';
import type { SessionRegistry } from './registry.js';

const MIME: Record<ExportAsArgs['format'], string> = {
  jsonl: 'application/jsonl',
  html: 'text/html',
  md: 'text/markdown',
  sarif: 'application/sarif+json',
  har: 'application/json',
  vitest: 'text/typescript',
  otlp: 'application/json',
};

/** Running exports by jobId (bounded: a job is removed when it ends). */
const running = new Map<string, ExportProgress>();

export function exportProgress(jobId: string): ExportProgress {
  return running.get(jobId) ?? { running: false };
}

/** `a` was checked by its schema (host-api-schemas-features.ts) before this runs. */
export async function exportAs(
  registry: SessionRegistry,
  files: ExportFiles,
  a: ExportAsArgs,
): Promise<ExportAsResult> {
  let file: string;
  let text: string | undefined;
  let identities: readonly string[] | undefined;
  if (a.sessionId !== undefined) {
    const s = registry.get(a.sessionId);
    if (!s.path)
      throw new HostApiError(
        'unavailable',
        'this session has no capture file (its recorder did not say where it writes); export it from the machine that recorded it',
      );
    file = s.path;
    // An age-encrypted capture opened with identities (`ui --identity`) is decrypted again as it streams.
    identities = registry.readOptions(a.sessionId).identities;
  } else {
    file = a.capture!.name;
    text = a.capture!.text;
  }
  const stem = basename(file)
    .replace(/\.age$/, '')
    .replace(/\.mcpscope\.jsonl$|\.jsonl$/, '');
  const sealed = a.encryptTo !== undefined;
  const fileName = `${stem}${EXTENSION[a.format]}${sealed ? '.age' : ''}`;
  const mimeType = sealed ? 'application/octet-stream' : MIME[a.format];
  // Sent to a collector: nothing is written (the dialog's Send button).
  const target = a.endpoint === undefined ? files.create(fileName, mimeType) : undefined;
  const job = a.jobId;
  if (job !== undefined) running.set(job, { running: true, pass: 'scanning', records: 0 });
  let r: ExportResult;
  try {
    r = await exportCapture({
      file,
      format: a.format,
      redact: a.redact !== false,
      ...(target ? { out: target.path } : {}),
      ...(a.encryptTo !== undefined ? { encryptTo: a.encryptTo } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(identities?.length ? { identities } : {}),
      ...(a.endpoint !== undefined ? { endpoint: a.endpoint } : {}),
      ...(job !== undefined
        ? {
            progress: (pass: string, records: number) =>
              running.set(job, { running: true, pass, records }),
          }
        : {}),
    });
  } catch (e) {
    if (target) files.discard(target.id);
    throw new HostApiError('failed', (e as Error).message);
  } finally {
    if (job !== undefined) running.delete(job);
  }
  const out: ExportAsResult = { fileName, mimeType, bytes: r.bytes, findings: r.findings };
  if (target) out.downloadId = target.id;
  if (r.sent !== undefined) out.sent = r.sent;
  if (r.encryptedTo !== undefined) out.encryptedTo = r.encryptedTo;
  if (r.redaction)
    out.redaction = {
      values: r.redaction.values,
      replacements: r.redaction.replacements,
      masked: r.redaction.masked,
    };
  return out;
}
