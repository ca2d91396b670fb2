// Host configuration files in the usual `{"mcpServers": {name: {...}}}` shape (Claude Desktop,
// Cursor, VS Code's `servers`, Windsurf): each entry becomes a target to connect to.

import { readFileSync } from 'node:fs';
import { isObject } from '../../../shared/json.js';
import {
  parseTarget,
  TargetError,
  targetIdentity,
  type ServerTarget,
  type TargetFields,
} from '../../../shared/target.js';

export interface ConfiguredServer {
  name: string;
  target: ServerTarget;
  /** Why an entry cannot be scanned (missing command/url…); the scan reports it as an error. */
  error?: string;
  /** The name is only a placeholder (a bare command line): use the server's own serverInfo.name. */
  nameFromServer?: boolean;
}

export class ConfigError extends Error {}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/** Hosts ignore non-string values in env/headers; so do we. */
function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** One `mcpServers` entry → the fields of the shared target parser (a command wins over a URL, as in hosts). */
export function entryFields(entry: Record<string, unknown>): TargetFields {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const command = str(entry.command);
  if (command) {
    const f: TargetFields = { transport: 'stdio', command, args: strings(entry.args) ?? [] };
    const env = stringMap(entry.env);
    if (env) f.env = env;
    if (str(entry.cwd) !== undefined) f.cwd = str(entry.cwd);
    return f;
  }
  const f: TargetFields = { transport: str(entry.type) ?? str(entry.transport) ?? '' };
  const url = str(entry.url) ?? str(entry.serverUrl);
  if (url !== undefined) f.url = url;
  const headers = stringMap(entry.headers);
  if (headers) f.headers = headers;
  return f;
}

const NO_TARGET: ServerTarget = { transport: 'stdio', command: '' };

export function parseConfig(text: string, path: string): ConfiguredServer[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      `${path}: not valid JSON (${(e as Error).message}); give a file like {"mcpServers": {"name": {"command": "…"}}}`,
    );
  }
  const servers = isObject(v)
    ? (v.mcpServers ?? v.servers ?? (isObject(v.mcp) ? v.mcp.servers : undefined))
    : undefined;
  if (!isObject(servers))
    throw new ConfigError(
      `${path}: no "mcpServers" object; give a file like {"mcpServers": {"name": {"command": "…"}}}`,
    );
  const out: ConfiguredServer[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    if (!isObject(entry)) {
      out.push({ name, target: NO_TARGET, error: 'entry is not an object' });
      continue;
    }
    if (entry.disabled === true) continue;
    const fields = entryFields(entry);
    if (fields.command === undefined && fields.url === undefined) {
      out.push({ name, target: NO_TARGET, error: 'entry has neither "command" nor "url"' });
      continue;
    }
    try {
      out.push({ name, target: parseTarget(fields) });
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      out.push({ name, target: NO_TARGET, error: e.message });
    }
  }
  return out;
}

export function readConfig(path: string): ConfiguredServer[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`,
    );
  }
  return parseConfig(text, path);
}

export { targetIdentity };
