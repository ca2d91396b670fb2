// What the "new recorder" screen shows: the exact wrapper command (stdio) or proxy command and URL
// (HTTP) to paste into a host's config, built from how this mcpscope is installed.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  HostApiError,
  type JsonObject,
  type RecorderInstructions,
  type RecorderRequest,
} from '../../../shared/host-api.js';

/** How to run this mcpscope from a host config: node + the absolute path of bin/mcpscope.js. */
export function defaultMcpscopeCommand(): string[] {
  // Source (electron/engine/app) is three levels below the root, the build (dist/…) four.
  for (const rel of ['../../../bin/mcpscope.js', '../../../../bin/mcpscope.js']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return [process.execPath, p];
  }
  return ['mcpscope'];
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(arg: string, platform = process.platform): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  if (platform === 'win32')
    return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export const DEFAULT_LISTEN = '127.0.0.1:7801';

function envPrefix(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)} `)
    .join('');
}

/** Inside Electron, process.execPath is the app binary: it runs our CLI only as Node. */
export function runtimeEnv(): Record<string, string> {
  return process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
}

export function recorderInstructions(
  req: RecorderRequest,
  mcpscope: string[] = defaultMcpscopeCommand(),
  baseEnv: Record<string, string> = runtimeEnv(),
): RecorderInstructions {
  const out = req.out ? ['--out', req.out] : [];
  if (req.transport === 'stdio') {
    const name = req.name ?? (req.command.split(/[\\/]/).pop() || 'server');
    const argv = [...mcpscope, 'record', ...out, '--', req.command, ...(req.args ?? [])];
    const entry: JsonObject = { command: argv[0]!, args: argv.slice(1) };
    const env = { ...baseEnv, ...(req.env ?? {}) };
    if (Object.keys(env).length > 0) entry.env = env;
    return {
      argv,
      commandLine: envPrefix(baseEnv) + argv.map((a) => shellQuote(a)).join(' '),
      hostConfig: { mcpServers: { [name]: entry } },
      notes: [
        "Replace the server's entry in the host config with this one (keep a copy of the old entry to restore it).",
        'Restart the host. Every session is recorded to a new file in the captures folder and appears live here while mcpscope runs.',
        'Bytes pass through unchanged; stop recording by restoring the original entry.',
      ],
    };
  }
  let target: URL;
  try {
    target = new URL(req.target);
  } catch {
    throw new HostApiError(
      'bad-request',
      `recorderInstructions: "target" is not a URL: ${JSON.stringify(req.target)}`,
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new HostApiError(
      'bad-request',
      'recorderInstructions: "target" must be an http: or https: URL',
    );
  }
  const listen = req.listen ?? DEFAULT_LISTEN;
  if (!/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/.test(listen)) {
    throw new HostApiError(
      'bad-request',
      'recorderInstructions: "listen" must be HOST:PORT, e.g. 127.0.0.1:7801',
    );
  }
  const proxyUrl = `http://${listen}${target.pathname}${target.search}`;
  const name = req.name ?? target.hostname;
  const argv = [...mcpscope, 'record', '--target', req.target, '--listen', listen, ...out];
  return {
    argv,
    commandLine: envPrefix(baseEnv) + argv.map((a) => shellQuote(a)).join(' '),
    hostConfig: { mcpServers: { [name]: { url: proxyUrl } } },
    proxyUrl,
    notes: [
      'Start this command in a terminal first; it forwards to the target and records both directions.',
      `Point the host at ${proxyUrl} instead of ${target.origin}${target.pathname}.`,
      'Headers (including Authorization) are forwarded untouched and masked in the capture.',
    ],
  };
}
