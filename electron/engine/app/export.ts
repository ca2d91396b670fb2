// The app's Export menu: runs the same pipeline as
// `mcpscope export` on the session's capture file, or on capture text the UI holds.

import { basename } from 'node:path';
import { HostApiError, type ExportAsArgs, type ExportAsResult } from '../../../shared/host-api.js';
import { EXTENSION, exportCapture } from '../export/export.js';
import type { SessionRegistry } from './registry.js';

const MIME: Record<ExportAsArgs['format'], string> = {
  jsonl: 'application/jsonl',
  html: 'text/html',
  md: 'text/markdown',
  sarif: 'application/sarif+json',
  har: 'application/json',
  vitest: 'text/typescript',
};

/** `a` was checked by its schema (host-api-schemas-features.ts) before this runs. */
export async function exportAs(
  registry: SessionRegistry,
  a: ExportAsArgs,
): Promise<ExportAsResult> {
  let file: string;
  let text: string | undefined;
  if (a.sessionId !== undefined) {
    const s = registry.get(a.sessionId);
    if (!s.path)
      throw new HostApiError(
        'unavailable',
        'this session has no capture file (its recorder did not say where it writes); export it from the machine that recorded it',
      );
    file = s.path;
  } else {
    file = a.capture!.name;
    text = a.capture!.text;
  }
  let r;
  try {
    r = await exportCapture({
      file,
      format: a.format,
      redact: a.redact !== false,
      out: '-',
      ...(text !== undefined ? { text } : {}),
    });
  } catch (e) {
    throw new HostApiError('failed', (e as Error).message);
  }
  const stem = basename(file).replace(/\.mcpscope\.jsonl$|\.jsonl$/, '');
  const out: ExportAsResult = {
    fileName: `${stem}${EXTENSION[a.format]}`,
    mimeType: MIME[a.format],
    text: r.text ?? '',
    findings: r.findings,
  };
  if (r.redaction)
    out.redaction = {
      values: r.redaction.values,
      replacements: r.redaction.replacements,
      masked: r.redaction.masked,
    };
  return out;
}
