// Reproducers: a POSIX-shell-quoted `mcpscope call …` command for a tool finding, and a
// `printf … | CMD` pipeline for protocol-level ones (the handshake first, then the line).

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(s: string): string {
  if (s !== '' && SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export type ReproTarget =
  { kind: 'stdio'; command: string[] } | { kind: 'http'; url: string; sse?: boolean };

const targetArgs = (t: ReproTarget): string =>
  t.kind === 'stdio'
    ? `-- ${t.command.map(shellQuote).join(' ')}`
    : `--url ${shellQuote(t.url)}${t.sse ? ' --sse' : ''}`;

export function callCommand(tool: string, args: unknown, target: ReproTarget): string {
  return `mcpscope call ${shellQuote(tool)} --args ${shellQuote(JSON.stringify(args))} ${targetArgs(target)}`;
}

const INIT =
  '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"mcpscope-fuzz","version":"0"}}}\n{"jsonrpc":"2.0","method":"notifications/initialized"}';

/** A pipeline that performs the handshake and sends `lines` raw (stdio), or a curl command (HTTP). */
export function rawCommand(lines: string[], target: ReproTarget): string {
  if (target.kind === 'http' && target.sse)
    return `curl -sS -N ${shellQuote(target.url)} &  # read the endpoint event, then: curl -sS -X POST -H 'content-type: application/json' --data-binary ${shellQuote(lines.join('\n'))} <endpoint URL>  (after initialize; answers arrive on the stream)`;
  if (target.kind === 'http')
    return `curl -sS -X POST -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' --data-binary ${shellQuote(lines.join('\n'))} ${shellQuote(target.url)}  # after an initialize that gave you an mcp-session-id header`;
  return `printf '%s\\n' ${shellQuote(INIT)} ${lines.map(shellQuote).join(' ')} | ${target.command.map(shellQuote).join(' ')}`;
}

/** stdio framing cases: the handshake, then the exact bytes (octal escapes for anything unusual). */
export function bytesCommand(chunks: readonly string[], command: readonly string[]): string {
  const esc = (b: number): string =>
    b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c && b !== 0x25
      ? String.fromCharCode(b)
      : `\\${b.toString(8).padStart(3, '0')}`;
  const body = [...chunks.join('')].map((ch) => esc(ch.charCodeAt(0))).join('');
  return `{ printf '%s\\n' ${shellQuote(INIT)}; printf '${body}'; } | ${command.map(shellQuote).join(' ')}`;
}
