// mcpscope's own UI credentials never travel to a recorded server. Older builds of the UI set a
// `mcpscope_token_<port>` cookie, which browsers send to every port on 127.0.0.1 — including a
// recorder's, which would forward it to its target. The recorder drops those cookies (only those).

const MARKER = Buffer.from('mcpscope_token_', 'latin1');
const OWN = /^\s*mcpscope_token_\d*=/;

/** The head with mcpscope's own cookies removed; the same buffer when it has none (the fast path). */
export function stripOwnCookies(raw: Buffer): Buffer {
  if (raw.indexOf(MARKER) < 0) return raw;
  const lines = raw.toString('latin1').split('\r\n');
  const out: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).toLowerCase() === 'cookie') {
      const kept = line
        .slice(colon + 1)
        .split(';')
        .filter((pair) => !OWN.test(pair));
      if (kept.length === 0 || kept.every((p) => p.trim() === '')) continue;
      out.push(`${line.slice(0, colon)}:${kept.join(';')}`);
    } else out.push(line);
  }
  return Buffer.from(out.join('\r\n'), 'latin1');
}
