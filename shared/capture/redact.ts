// Redaction for what goes into a capture header: command lines and URLs often carry secrets
// (`--api-key sk-…`, `https://user:pass@host/?token=…`). The wire is never touched; only the record.

const SECRET_NAME = /(token|secret|passw(or)?d|pass|api[-_]?key|apikey|auth|credential|private[-_]?key|session)/i;
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
    if (SECRET_NAME.test(key)) u.searchParams.set(key, REDACTED);
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
    if (eq && SECRET_NAME.test(eq[1]!)) {
      out.push(`${eq[1]}=${REDACTED}`);
      continue;
    }
    if (/^--?[A-Za-z]/.test(a) && SECRET_NAME.test(a)) {
      out.push(a);
      redactNext = true;
      continue;
    }
    out.push(/^[a-z][a-z0-9+.-]*:\/\//i.test(a) ? redactUrl(a) : a);
  }
  return out;
}
