// Header handling for HTTP records: names lower-cased, duplicates joined, secrets masked.
// Masking applies to the record only; the proxy forwards the original headers untouched.

import { REDACTED } from '../capture/redact.js';
import { isSecretHeader, isSecretName } from '../secrets.js';

export { isSecretHeader };

/**
 * Masks one header value. The scheme of an Authorization value ("Bearer", "Basic") and cookie
 * names stay visible: they tell an auditor what kind of credential passed without leaking it.
 */
export function maskHeaderValue(name: string, value: string): string {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization') {
    const m = /^([A-Za-z][A-Za-z0-9._~+-]*)\s+\S/.exec(value);
    return m ? `${m[1]} ${REDACTED}` : REDACTED;
  }
  if (n === 'cookie') {
    return value
      .split(';')
      .map((part) => {
        const eq = part.indexOf('=');
        return eq < 0 ? REDACTED : `${part.slice(0, eq).trim()}=${REDACTED}`;
      })
      .join('; ');
  }
  if (n === 'set-cookie') {
    // One cookie per line: keep the name and the attributes (Path, HttpOnly…), mask the value.
    return value
      .split('\n')
      .map((cookie) => {
        const semi = cookie.indexOf(';');
        const pair = semi < 0 ? cookie : cookie.slice(0, semi);
        const attrs = semi < 0 ? '' : cookie.slice(semi);
        const eq = pair.indexOf('=');
        return `${eq < 0 ? '' : `${pair.slice(0, eq).trim()}=`}${REDACTED}${attrs}`;
      })
      .join('\n');
  }
  return REDACTED;
}

/**
 * Builds the record form of a header list given as Node's `rawHeaders` ([name, value, name, value…]):
 * lower-cased names, repeated headers joined (", ", or one per line for set-cookie), secrets masked.
 */
export function recordHeaders(raw: readonly string[]): Record<string, string> {
  const joined = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const prev = joined.get(name);
    if (prev === undefined) joined.set(name, value);
    else
      joined.set(
        name,
        `${prev}${name === 'set-cookie' ? '\n' : name === 'cookie' ? '; ' : ', '}${value}`,
      );
  }
  const out: Record<string, string> = {};
  for (const [name, value] of joined)
    out[name] = isSecretHeader(name) ? maskHeaderValue(name, value) : value;
  return out;
}

/** A request path (with its query) for the record: values of secret-looking query parameters masked. */
export function recordPath(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return path;
  const hash = path.indexOf('#', q);
  const query = path.slice(q + 1, hash < 0 ? undefined : hash);
  const masked = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      return isSecretName(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path.slice(0, q)}?${masked}${hash < 0 ? '' : path.slice(hash)}`;
}
