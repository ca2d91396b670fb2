// Make hostile text safe to show: control characters, ANSI escapes and invisible or bidi Unicode
// become visible escapes (`\x1b`, `\u200b`), so a server cannot hide text or drive a terminal.

// C0/C1 controls except tab; DEL; zero-width and bidi controls; line/paragraph separators (a
// terminal or a JS string literal treats them as line breaks); BOM; Unicode tag characters.
// Matching control and combining characters is this regex's purpose, hence the lint exemption.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|\udb40[\udc00-\udc7f]/g;

function escapeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp === 0x0a) return '\\n';
  if (cp === 0x0d) return '\\r';
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp > 0xffff) return `\\u{${cp.toString(16)}}`;
  return `\\u${cp.toString(16).padStart(4, '0')}`;
}

export function visible(text: string): string {
  return text.replace(INVISIBLE, escapeChar);
}

/** True when `visible()` would change the text. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const r = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return r;
}

/**
 * Like visible(), but line breaks stay line breaks (`\r\n` and `\n`); a lone `\r`, which could
 * overwrite a terminal line, is still escaped. For text meant to be read: results, errors, logs.
 */
export function visibleLines(text: string): string {
  return text.split(/\r?\n/).map(visible).join('\n');
}
