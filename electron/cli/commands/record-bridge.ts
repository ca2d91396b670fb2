// `mcpscope record --bridge-to URL [--header "Name: value"…] [--transport …]`: a stdio→HTTP bridge
// for hosts that start servers as commands; see engine/record/remote-bridge.ts.
import type { CaptureWriter } from '../../engine/capture/writer.js';
import { defaultCapturePath } from '../../engine/paths.js';
import { runRemoteBridge, type BridgeTransport } from '../../engine/record/remote-bridge.js';
import { UsageError, type Io } from '../args.js';

export interface BridgeFlags {
  out?: string;
  'bridge-to'?: string;
  header?: string[];
  transport?: string;
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const handlers = sigs.map((s) => {
      const h = (): void => {
        sigs.forEach((x, i) => process.off(x, handlers[i]!));
        resolve(`stopped by ${s}`);
      };
      process.on(s, h);
      return h;
    });
  });
}

export function parseHeaders(list: string[] | undefined, usage: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list ?? []) {
    const colon = h.indexOf(':');
    const name = colon > 0 ? h.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new UsageError(
        `--header "${h}": give "Name: value" (e.g. --header "Authorization: Bearer TOKEN").\n\n${usage}`,
      );
    out[name] = h.slice(colon + 1).trim();
  }
  return out;
}

export async function runBridgeRecord(
  values: BridgeFlags,
  command: string[] | undefined,
  io: Io,
  usage: string,
  onWriter?: (w: CaptureWriter) => void,
): Promise<number> {
  if (command && command.length > 0)
    throw new UsageError(`--bridge-to and a server command cannot be combined.\n\n${usage}`);
  const target = values['bridge-to']!;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(
      `--bridge-to ${target}: not a URL. Give the remote server's full URL, e.g. https://example.com/mcp.\n\n${usage}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--bridge-to ${target}: use an http:// or https:// URL.\n\n${usage}`);
  const t = values.transport ?? 'auto';
  if (t !== 'auto' && t !== 'streamable-http' && t !== 'sse')
    throw new UsageError(
      `--transport ${t}: use streamable-http or sse (default: Streamable HTTP, falling back to SSE).\n\n${usage}`,
    );
  const headers = parseHeaders(values.header, usage);
  const out = values.out ?? defaultCapturePath(url.hostname);
  io.err(`mcpscope: recording to ${out}\n`);
  const result = await runRemoteBridge({
    url: url.href,
    headers,
    transport: t as BridgeTransport,
    out,
    log: (l) => io.err(`${l}\n`),
    stop: untilSignal(),
    ...(onWriter ? { onWriter } : {}),
  });
  process.stdin.destroy();
  return result.exitCode;
}
