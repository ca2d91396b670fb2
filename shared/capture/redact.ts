// Redaction for what goes into a capture header: command lines and URLs often carry secrets
// (`--api-key sk-…`, `https://user:pass@host/?token=…`). The wire is never touched; only the record.

import { isSecretName } from '../secrets.js';

export const REDACTED = '[REDACTED]';

export function redactUrl(url: string): string {
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

/** Redact values of secret-looking flags (`--token X`, `--token=X`, `TOKEN=X`) and URL credentials. */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let redactNext = false;
  for (const a of args) {
    if (redactNext) {
      out.push(REDACTED);
      redactNext = false;
      continue;
    }
    const eq = /^(-{0,2}[A-Za-z0-9_.-]+)=(.*)$/s.exec(a);
    if (eq && isSecretName(eq[1]!)) {
      out.push(`${eq[1]}=${REDACTED}`);
      continue;
    }
    if (/^--?[A-Za-z]/.test(a) && isSecretName(a)) {
      out.push(a);
      redactNext = true;
      continue;
    }
    out.push(/^[a-z][a-z0-9+.-]*:\/\//i.test(a) ? redactUrl(a) : a);
  }
  return out;
}
