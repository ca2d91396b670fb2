// One server entry of a host config: what kind it is, whether mcpscope already wraps it, and the
// wrapped form. Hosts spell the same thing differently: a remote server's address is `url`
// (Claude Code, Cursor, VS Code, Gemini's SSE), `serverUrl` (Windsurf) or `httpUrl` (Gemini's
// Streamable HTTP), and a `type` of "http"/"sse"/"streamable-http" says which transport.

import type { JsonObject, JsonValue } from '../../../shared/host-api.js';

export type RemoteTransport = 'auto' | 'streamable-http' | 'sse';

export type EntryKind =
  | { kind: 'stdio'; command: string; args: string[] }
  | {
      kind: 'remote';
      url: string;
      urlKey: string;
      transport: RemoteTransport;
      headers: [string, string][];
    }
  | { kind: 'unknown'; reason: string };

/** How mcpscope is started by a host: an absolute node and the absolute bin script. */
export interface Launcher {
  command: string;
  args: string[];
  /** Extra environment the launcher needs (Electron's binary runs as node with ELECTRON_RUN_AS_NODE). */
  env?: Record<string, string>;
}

const URL_KEYS = ['url', 'serverUrl', 'httpUrl'] as const;
/** Keys that describe the remote transport: dropped from a wrapped remote entry (the bridge has them in its args). */
const REMOTE_KEYS = new Set<string>([...URL_KEYS, 'headers', 'type', 'transport']);

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: JsonValue | undefined): string[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
  return v as string[];
}

function has(o: JsonObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

export function classify(entry: JsonValue | undefined): EntryKind {
  if (!isObject(entry)) return { kind: 'unknown', reason: 'not an object' };
  if (typeof entry.command === 'string') {
    const args = strings(entry.args);
    if (!args) return { kind: 'unknown', reason: '"args" is not a list of strings' };
    return { kind: 'stdio', command: entry.command, args };
  }
  for (const key of URL_KEYS) {
    const url = entry[key];
    if (typeof url !== 'string') continue;
    const type =
      typeof entry.type === 'string'
        ? entry.type.toLowerCase()
        : typeof entry.transport === 'string'
          ? entry.transport.toLowerCase()
          : '';
    let transport: RemoteTransport = 'auto';
    if (type === 'sse') transport = 'sse';
    else if (type === 'http' || type === 'streamable-http' || type === 'streamablehttp')
      transport = 'streamable-http';
    // Gemini CLI: `httpUrl` is Streamable HTTP, `url` is SSE.
    else if (key === 'httpUrl') transport = 'streamable-http';
    const headers: [string, string][] = [];
    if (isObject(entry.headers)) {
      for (const [k, v] of Object.entries(entry.headers))
        if (typeof v === 'string') headers.push([k, v]);
    }
    return { kind: 'remote', url, urlKey: key, transport, headers };
  }
  return { kind: 'unknown', reason: 'neither "command" nor a URL ("url", "serverUrl", "httpUrl")' };
}

/** True when the entry already runs through mcpscope (`… mcpscope(.js) record …`). */
export function isWrapped(entry: JsonValue | undefined): boolean {
  const k = classify(entry);
  if (k.kind !== 'stdio') return false;
  const parts = [k.command, ...k.args];
  const rec = parts.indexOf('record');
  if (rec < 0) return false;
  return parts.slice(0, rec).some((p) => /(^|[\\/])mcpscope(\.js|\.cmd|\.exe|\.mjs)?$/i.test(p));
}

/** The `record` arguments after the launcher, for a wrapped entry. */
function recordArgs(entry: JsonObject): string[] {
  const k = classify(entry);
  if (k.kind !== 'stdio') return [];
  const parts = [k.command, ...k.args];
  return parts.slice(parts.indexOf('record') + 1);
}

/** What a wrapped entry runs (for listings): the original command line, or the bridged URL. */
export function wrappedTarget(entry: JsonObject): { command?: string[]; url?: string } {
  const a = recordArgs(entry);
  const dd = a.indexOf('--');
  if (dd >= 0) return { command: a.slice(dd + 1) };
  const b = a.indexOf('--bridge-to');
  if (b >= 0 && a[b + 1] !== undefined) return { url: a[b + 1]! };
  return {};
}

/** Replace the values of `entry` for the keys in `set`, keeping the key order; drop `drop`; new keys go last. */
function rebuild(entry: JsonObject, set: JsonObject, drop: Set<string>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(entry)) {
    if (has(set, k)) out[k] = set[k]!;
    else if (!drop.has(k)) out[k] = v;
  }
  for (const [k, v] of Object.entries(set)) if (!has(out, k)) out[k] = v;
  return out;
}

function withLauncherEnv(entry: JsonObject, launcher: Launcher): JsonObject {
  if (!launcher.env || Object.keys(launcher.env).length === 0) return {};
  const env = isObject(entry.env) ? { ...entry.env } : {};
  return { env: { ...env, ...launcher.env } };
}

/**
 * The wrapped form of an entry, or undefined when it cannot be wrapped (unknown shape, or already
 * wrapped). Stdio: only `command` and `args` change (env, cwd, envFile, everything else kept).
 * Remote: the entry becomes a stdio entry running the bridge; the URL and headers move into its
 * args, and a `type` field becomes "stdio".
 */
export function wrapEntry(
  entry: JsonValue | undefined,
  launcher: Launcher,
): JsonObject | undefined {
  if (!isObject(entry) || isWrapped(entry)) return undefined;
  const k = classify(entry);
  if (k.kind === 'stdio') {
    const set: JsonObject = {
      command: launcher.command,
      args: [...launcher.args, 'record', '--', k.command, ...k.args],
      ...withLauncherEnv(entry, launcher),
    };
    return rebuild(entry, set, new Set());
  }
  if (k.kind === 'remote') {
    const args = [...launcher.args, 'record', '--bridge-to', k.url];
    for (const [name, value] of k.headers) args.push('--header', `${name}: ${value}`);
    if (k.transport !== 'auto') args.push('--transport', k.transport);
    const set: JsonObject = {
      command: launcher.command,
      args,
      ...withLauncherEnv(entry, launcher),
    };
    if (has(entry, 'type')) set.type = 'stdio';
    const drop = new Set([...REMOTE_KEYS].filter((x) => x !== 'type'));
    return rebuild(entry, set, drop);
  }
  return undefined;
}

/**
 * Undo a wrapped stdio entry from its own form, keeping any other change the user made to it.
 * Used when the manifest's copy no longer matches (the user edited the wrapped entry). Undefined
 * for a bridged remote entry: its original shape is only in the manifest.
 */
export function unwrapStdioForm(
  entry: JsonObject,
  launcherEnvKeys: string[] = [],
): JsonObject | undefined {
  if (!isWrapped(entry)) return undefined;
  const a = recordArgs(entry);
  const dd = a.indexOf('--');
  if (dd < 0 || a[dd + 1] === undefined) return undefined;
  const [command, ...args] = a.slice(dd + 1) as [string, ...string[]];
  const set: JsonObject = { command, args };
  const out = rebuild(entry, set, new Set());
  if (isObject(out.env) && launcherEnvKeys.length > 0) {
    const env = { ...out.env };
    for (const key of launcherEnvKeys) delete env[key];
    out.env = env;
  }
  return out;
}
