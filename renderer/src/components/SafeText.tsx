// The one way server-provided text reaches the DOM: as a React text node (never HTML), with
// control, ANSI, bidi and invisible characters made visible and overly long text cut.

import { hasInvisible, visible } from '../../../shared/text/visible.js';

export interface SafeTextProps {
  text: unknown;
  /** Longest text shown before cutting (the full text is in the detail view). */
  max?: number;
  className?: string;
  testId?: string;
  /** Keep line breaks (for <pre> blocks); every other control character is still escaped. */
  multiline?: boolean;
}

export function toDisplay(text: unknown, max = 2000, multiline = false): string {
  const s =
    typeof text === 'string'
      ? text
      : text === undefined || text === null
        ? ''
        : (JSON.stringify(text) ?? '');
  const v = multiline ? s.split('\n').map(visible).join('\n') : visible(s);
  return v.length > max ? `${v.slice(0, max)}… (${v.length - max} more chars)` : v;
}

export function SafeText({ text, max, className, testId, multiline }: SafeTextProps) {
  const raw = typeof text === 'string' ? text : '';
  // Line breaks are expected in multiline blocks; anything else hidden is flagged.
  const flagged = raw !== '' && hasInvisible(multiline ? raw.replace(/\r?\n/g, '') : raw);
  const cls =
    [className, flagged ? 'has-invisible' : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <span
      className={cls}
      data-testid={testId}
      title={flagged ? 'contains hidden or control characters (shown as escapes)' : undefined}
    >
      {toDisplay(text, max, multiline)}
    </span>
  );
}

const SAFE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

/** An icon or image from a server: only data: URLs of raster types (no SVG: it can script). */
export function safeImageSrc(src: unknown): string | undefined {
  return typeof src === 'string' && src.length < 2_000_000 && SAFE_IMAGE.test(src)
    ? src
    : undefined;
}
