// Part of the host API (see host-api.ts): the app's Export menu. The engine runs the same export
// pipeline as `mcpscope export` (streamed; detection, redaction on by default, the same renderers)
// into an owner-only file in its data dir (`exports/`); the output never crosses the host-api.
// The page downloads that file through a single-use, short-lived download URL (exportDownload).

export const EXPORT_FORMAT_NAMES = [
  'jsonl',
  'html',
  'md',
  'sarif',
  'har',
  'vitest',
  'otlp',
] as const;
export type ExportFormatName = (typeof EXPORT_FORMAT_NAMES)[number];

export interface ExportAsArgs {
  /** A session the engine knows (its capture file is read)… */
  sessionId?: string;
  /** …or a capture held only by the UI (an import kept in the browser's library). */
  capture?: { name: string; text: string };
  format: ExportFormatName;
  /** Default true: secrets and personal data replaced by placeholders. */
  redact?: boolean;
  /** otlp only: also POST the traces to this OTLP/HTTP collector (http:// or https:// URL). */
  endpoint?: string;
  /** age recipients (age1…): the file is encrypted to them as it is written, never in clear. */
  encryptTo?: string[];
  /** A name the UI picks, to ask `exportProgress` how far the export is. */
  jobId?: string;
}

export interface MaskedValue {
  placeholder: string;
  dataClass: string;
  /** A safe preview (a prefix and the length, or the shape of personal data). */
  masked: string;
  count: number;
}

export interface ExportAsResult {
  fileName: string;
  mimeType: string;
  /**
   * The written file, for exportDownload / exportDiscard (absent when nothing was written: an
   * OTLP export sent to a collector).
   */
  downloadId?: string;
  /** With encryptTo: how many recipients can open it. */
  encryptedTo?: number;
  /** With endpoint: the collector URL the traces were sent to. */
  sent?: string;
  /** Bytes of the output (before encryption). */
  bytes: number;
  findings: number;
  /** Absent when redaction was off. */
  redaction?: { values: number; replacements: number; masked: MaskedValue[] };
}

export interface ExportProgress {
  /** False once the export has finished (or when the job is unknown). */
  running: boolean;
  /** 'scanning' (chain, detectors, redaction rules) or 'writing'. */
  pass?: string;
  /** Records read in that pass so far. */
  records?: number;
}

export interface ExportDownload {
  /**
   * Where the page downloads the file from, relative to the page (`download/TICKET`): the ticket
   * works once, within 60 s, for this file only; the file is deleted once it has been sent.
   */
  url: string;
  expiresInMs: number;
}

export interface ExportCommands {
  /** How far a running exportAs with this jobId is (the dialog polls it for its progress line). */
  exportProgress: { args: { jobId: string }; result: ExportProgress };
  /** A single-use download URL for an exportAs file. */
  exportDownload: { args: { downloadId: string }; result: ExportDownload };
  /** Delete an exportAs file that will not be downloaded (the dialog closed, options changed). */
  exportDiscard: { args: { downloadId: string }; result: { deleted: boolean } };
}

export const EXPORT_COMMAND_FLAGS: Record<keyof ExportCommands, true> = {
  exportProgress: true,
  exportDownload: true,
  exportDiscard: true,
};
