// Host configuration files in the usual `{"mcpServers": {name: {...}}}` shape (Claude Desktop,
// Cursor, VS Code's `servers`, Windsurf): each entry becomes a target to connect to.

import { readFileSync } from 'node:fs';
import type { ServerTarget } from '../client/index.js';

export interface ConfiguredServer {
  name: string;
  target: ServerTarget;
  /** Why an entry cannot be scanned (missing command/url…); the scan reports it as an error. */
  error?: string;
  /** The name is only a placeholder (a bare command line): use the server's own serverInfo.name. */
  nameFromServer?: boolean;
}

export class ConfigError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

export function parseConfig(text: string, path: string): ConfiguredServer[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid JSON (${(e as Error).message}); give a file like {"mcpServers": {"name": {"command": "…"}}}`);
  }
  const servers = isObject(v) ? (v.mcpServers ?? v.servers ?? (isObject(v.mcp) ? v.mcp.servers : undefined)) : undefined;
  if (!isObject(servers)) throw new ConfigError(`${path}: no "mcpServers" object; give a file like {"mcpServers": {"name": {"command": "…"}}}`);
  const out: ConfiguredServer[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    if (!isObject(entry)) {
      out.push({ name, target: { kind: 'stdio', command: '' }, error: 'entry is not an object' });
      continue;
    }
    if (entry.disabled === true) continue;
    const url = typeof entry.url === 'string' ? entry.url : typeof entry.serverUrl === 'string' ? entry.serverUrl : undefined;
    if (typeof entry.command === 'string' && entry.command !== '') {
      const target: ServerTarget = { kind: 'stdio', command: entry.command };
      const args = strings(entry.args);
      const env = stringMap(entry.env);
      if (args) target.args = args;
      if (env) target.env = env;
      if (typeof entry.cwd === 'string') target.cwd = entry.cwd;
      out.push({ name, target });
    } else if (url !== undefined) {
      const type = typeof entry.type === 'string' ? entry.type : typeof entry.transport === 'string' ? entry.transport : '';
      const target: ServerTarget = { kind: 'http', url, sse: type === 'sse' || (type === '' && /\/sse\/?$/.test(url)) };
      const headers = stringMap(entry.headers);
      if (headers) target.headers = headers;
      out.push({ name, target });
    } else {
      out.push({ name, target: { kind: 'stdio', command: '' }, error: 'entry has neither "command" nor "url"' });
    }
  }
  return out;
}

export function readConfig(path: string): ConfiguredServer[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
  }
  return parseConfig(text, path);
}

/** Stable identity of a target for pins: how it is reached, without secrets in env/headers. */
export function targetIdentity(t: ServerTarget): string {
  return t.kind === 'stdio' ? JSON.stringify([t.command, ...(t.args ?? [])]) : t.url.replace(/[?#].*$/, '');
}
