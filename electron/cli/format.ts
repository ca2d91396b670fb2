// Terminal formatting helpers. Everything that came from a server goes through visible() first.
import { visible, visibleLines } from '../../shared/text/visible.js';

/** One line: every control character, newlines included, made visible. */
export const safe = (s: string): string => visible(s);

/** Text to be read (results, errors, stderr): line breaks stay, everything else dangerous is escaped. */
export const safeText = (s: string): string => visibleLines(s);

/** safeText for a value printed after a label: continuation lines indented, a final newline dropped. */
export function safeBlock(s: string, indent: string): string {
  return visibleLines(s.replace(/\r?\n$/, ''))
    .split('\n')
    .join(`\n${indent}`);
}

export function bytes(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}kB`;
  return `${(n / 1024 / 1024).toFixed(1)}MB`;
}

export function ms(n: number): string {
  if (n < 1) return `${n.toFixed(2)}ms`;
  if (n < 1000) return `${n.toFixed(1)}ms`;
  return `${(n / 1000).toFixed(2)}s`;
}

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function padLeft(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

export interface Paint {
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
  cyan: (s: string) => string;
  bold: (s: string) => string;
}

export function paint(color: boolean): Paint {
  const wrap = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return {
    dim: wrap('2'),
    red: wrap('31'),
    yellow: wrap('33'),
    green: wrap('32'),
    cyan: wrap('36'),
    bold: wrap('1'),
  };
}
