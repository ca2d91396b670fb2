// Part of the host API (see host-api.ts): the app's Export menu. The engine runs the same export
// pipeline as `mcpscope export` (detection, redaction on by default, the same renderers).

export const EXPORT_FORMAT_NAMES = ['jsonl', 'html', 'md', 'sarif', 'har', 'vitest'] as const;
export type ExportFormatName = (typeof EXPORT_FORMAT_NAMES)[number];

export interface ExportAsArgs {
  /** A session the engine knows (its capture file is read)… */
  sessionId?: string;
  /** …or a capture held only by the UI (an import kept in the browser's library). */
  capture?: { name: string; text: string };
  format: ExportFormatName;
  /** Default true: secrets and personal data replaced by placeholders. */
  redact?: boolean;
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
  text: string;
  findings: number;
  /** Absent when redaction was off. */
  redaction?: { values: number; replacements: number; masked: MaskedValue[] };
}
