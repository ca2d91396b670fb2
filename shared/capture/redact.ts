// Redaction for what goes into a capture header, `show` and mcpscope's own messages: command lines
// and URLs often carry secrets (`--api-key sk-…`, `-H "Authorization: Bearer …"`,
// `https://user:pass@host/?token=…`). The wire is never touched; only what is recorded or printed.

// The one secret-name list (shared/secrets.ts) for header and parameter names.
import { isSecretHeader, isSecretName } from '../secrets.js';

export const REDACTED = '[REDACTED]';

/** Flags whose value is an HTTP header line (curl, mcp-remote, supergateway…). */
const HEADER_FLAG = /^(-H|--header|--headers)$/;
/** `Name: value` — a header given as one argument. */
const HEADER_LINE = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*)$/s;
/** A bearer (or similar) credential anywhere in an argument. */
const BEARER = /\b(Bearer|Basic|Token)(\s+|%20|\+)[^\s"',;]+/gi;
/**
 * URL userinfo: everything between `scheme://` and the last `@` before a space. Deliberately
 * greedy — a password may contain `/` or `@` unescaped, and `new URL` then fails or misreads it;
 * over-redacting a path that contains `@` is the safe side.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s]*@/gi;

function redactQuery(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.username) u.username = REDACTED;
  if (u.password) u.password = REDACTED;
  for (const key of [...u.searchParams.keys()]) {
    if (isSecretName(key)) u.searchParams.set(key, REDACTED);
  }
  return u.toString();
}

export function redactUrl(url: string): string {
  return redactQuery(url.replace(USERINFO, `$1${REDACTED}@`));
}

/** A URL for mcpscope's own messages: no userinfo, no query string (API keys travel there), no fragment. */
export function urlForDisplay(url: string): string {
  try {
    const u = new URL(url.replace(USERINFO, '$1'));
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return redactText(url);
  }
}

/** Redact credentials found anywhere in free text: URL userinfo and bearer values. */
export function redactText(text: string): string {
  return text.replace(USERINFO, `$1${REDACTED}@`).replace(BEARER, `$1 ${REDACTED}`);
}

function redactHeaderLine(a: string): string {
  const m = HEADER_LINE.exec(a);
  if (!m) return redactText(a);
  return isSecretHeader(m[1]!) ? `${m[1]}: ${REDACTED}` : redactText(a);
}

/**
 * Redact a command line: values of secret-looking flags (`--token X`, `--token=X`, `TOKEN=X`),
 * header flags (`-H "Authorization: …"`, `--header=X-Api-Key: …`), bearer values and URL
 * credentials wherever they appear.
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let next: 'secret' | 'header' | undefined;
  for (const a of args) {
    if (next === 'secret') {
      out.push(REDACTED);
      next = undefined;
      continue;
    }
    if (next === 'header') {
      out.push(redactHeaderLine(a));
      next = undefined;
      continue;
    }
    if (HEADER_FLAG.test(a)) {
      out.push(a);
      next = 'header';
      continue;
    }
    const eq = /^(-{0,2}[A-Za-z0-9_.-]+)=(.*)$/s.exec(a);
    if (eq && HEADER_FLAG.test(eq[1]!)) {
      out.push(`${eq[1]}=${redactHeaderLine(eq[2]!)}`);
      continue;
    }
    if (eq && isSecretName(eq[1]!)) {
      out.push(`${eq[1]}=${REDACTED}`);
      continue;
    }
    if (/^-H./.test(a)) {
      // curl's attached form: -H'Authorization: Bearer x'
      out.push(`-H${redactHeaderLine(a.slice(2))}`);
      continue;
    }
    if (/^--?[A-Za-z]/.test(a) && isSecretName(a)) {
      out.push(a);
      next = 'secret';
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(a)) out.push(redactUrl(a));
    else if (HEADER_LINE.test(a) && isSecretHeader(HEADER_LINE.exec(a)![1]!))
      out.push(redactHeaderLine(a));
    else out.push(redactText(a));
  }
  return out;
}
