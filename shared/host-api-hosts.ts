// Part of the host API (see host-api.ts): host integration — the MCP configs of Claude Desktop,
// Claude Code, Cursor, VS Code, Windsurf and Gemini CLI, and wrapping their servers through
// mcpscope. The same shapes are what `mcpscope hosts --json`, `wrap --json` and `unwrap --json` print.

export type HostId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode' | 'windsurf' | 'gemini';

export type HostFileScope = 'user' | 'project' | 'settings';

export interface HostServerInfo {
  name: string;
  /** JSON path of the entry in its file, e.g. ["mcpServers","github"] or ["projects","/src/app","mcpServers","db"]. */
  path: string[];
  kind: 'stdio' | 'remote' | 'unknown';
  wrapped: boolean;
  /** stdio: the command line the host runs (or, when wrapped, the one mcpscope runs); secrets redacted. */
  command?: string[];
  /** remote (or bridged): the server URL, credentials redacted. */
  url?: string;
  /** remote: the transport the config asks for ("auto" when it does not say). */
  transport?: 'auto' | 'streamable-http' | 'sse';
  /** Why an entry cannot be wrapped. */
  problem?: string;
}

export interface HostConfigInfo {
  host: HostId;
  hostLabel: string;
  scope: HostFileScope;
  path: string;
  /** Set when the file cannot be read or parsed: it is reported and never written. */
  error?: string;
  servers: HostServerInfo[];
  /** mcpscope wrapped entries in this file and keeps a backup and a manifest of the change. */
  managed: boolean;
}

export interface HostsReport {
  /** Every host, found or not, with the config files that exist. */
  hosts: { host: HostId; label: string; found: boolean; files: HostConfigInfo[] }[];
}

export interface WrapArgs {
  /** Default: every host. */
  hosts?: HostId[];
  /** Only these server names (default: every server). */
  servers?: string[];
  /** Compute and return the diff; write nothing. */
  dryRun?: boolean;
}

export interface UnwrapArgs {
  hosts?: HostId[];
  dryRun?: boolean;
}

export interface HostFileChange {
  host: HostId;
  path: string;
  /** Unified diff of the file (before → after); empty when nothing changes. */
  diff: string;
  /** Server names changed in this file. */
  changed: string[];
  /** Servers left as they were, with why ("already wrapped", "not a stdio or URL entry"…). */
  skipped: { name: string; reason: string }[];
  /** The file was written (false on a dry run, an error, or when nothing changed). */
  written: boolean;
  /** unwrap: "exact" (byte-for-byte restore), "entries" (file edited since: only wrapped entries restored). */
  restore?: 'exact' | 'entries';
  /** What the user should know (e.g. an entry they removed, edits kept). */
  notes: string[];
  /** The file could not be read, parsed or written: it was left untouched. */
  error?: string;
  /** Where the backup of the file as it was before mcpscope's first change is kept. */
  backup?: string;
}

/** A change to one host file that changes nothing yet: wrap and unwrap fill it in. */
export function noChange(host: HostId, path: string): HostFileChange {
  return { host, path, diff: '', changed: [], skipped: [], written: false, notes: [] };
}

export interface HostChangeReport {
  dryRun: boolean;
  changes: HostFileChange[];
}

/** The host-api commands of this feature (merged into HostCommands in host-api.ts). */
export interface HostsCommandMap {
  /** What `mcpscope hosts --json` prints. */
  listHosts: { args: undefined; result: HostsReport };
  /** `mcpscope wrap`; with dryRun the diff only (the UI shows it before writing). */
  wrapHosts: { args: WrapArgs; result: HostChangeReport };
  /** `mcpscope unwrap`. */
  unwrapHosts: { args: UnwrapArgs; result: HostChangeReport };
}

export const HOSTS_COMMAND_FLAGS: Record<keyof HostsCommandMap, true> = {
  listHosts: true,
  wrapHosts: true,
  unwrapHosts: true,
};

export const HOST_ID_LIST: readonly HostId[] = [
  'claude-desktop',
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
  'gemini',
];
