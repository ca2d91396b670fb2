// Where each host keeps its MCP server config, on Linux, macOS and Windows. Everything is
// resolved from an injectable HostEnv (home, platform, environment, working directory), so tests
// run on a fake home and can ask for another OS's layout.
//
// Sources for the shapes: each host's own documentation (Claude Desktop's "Connect local
// servers", Claude Code's `claude mcp` scopes, Cursor's MCP docs, VS Code's "MCP servers" and
// settings reference, Windsurf's Cascade MCP docs, Gemini CLI's configuration docs).

import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import { HOST_ID_LIST, type HostId } from '../../../shared/host-api-hosts.js';

export type { HostId };

export const HOST_IDS: readonly HostId[] = HOST_ID_LIST;

export const HOST_LABELS: Readonly<Record<HostId, string>> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  gemini: 'Gemini CLI',
};

export interface HostEnv {
  home: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Project folder whose project-level configs are looked at (default: process.cwd()). */
  cwd: string;
}

export function processHostEnv(): HostEnv {
  return { home: homedir(), platform: process.platform, env: process.env, cwd: process.cwd() };
}

/** Which key holds the servers: `mcpServers` everywhere except VS Code (`servers`, or `mcp.servers` in settings). */
export type ContainerPath = string[];

export interface HostFile {
  host: HostId;
  /** user: the host's global file; project: a file in a project folder; settings: VS Code's settings.json. */
  scope: 'user' | 'project' | 'settings';
  path: string;
  /** Where servers live in this file. Claude Code's ~/.claude.json adds one per project when read. */
  containers: ContainerPath[];
  /** The file is JSON with comments and trailing commas (VS Code). Other hosts want strict JSON. */
  jsonc: boolean;
}

export function pathApi(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/** The per-user application-config folder: %APPDATA%, ~/Library/Application Support, $XDG_CONFIG_HOME. */
function appConfigDir(h: HostEnv): string {
  const p = pathApi(h.platform);
  if (h.platform === 'win32') return h.env.APPDATA ?? p.join(h.home, 'AppData', 'Roaming');
  if (h.platform === 'darwin') return p.join(h.home, 'Library', 'Application Support');
  return h.env.XDG_CONFIG_HOME ?? p.join(h.home, '.config');
}

/** The host's user-level files (always listed, whether they exist or not). */
export function userFiles(h: HostEnv): HostFile[] {
  const p = pathApi(h.platform);
  const cfg = appConfigDir(h);
  const mcp: ContainerPath[] = [['mcpServers']];
  const files: HostFile[] = [
    {
      host: 'claude-desktop',
      scope: 'user',
      path: p.join(cfg, 'Claude', 'claude_desktop_config.json'),
      containers: mcp,
      jsonc: false,
    },
    {
      host: 'claude-code',
      scope: 'user',
      path: p.join(h.home, '.claude.json'),
      containers: mcp,
      jsonc: false,
    },
    {
      host: 'cursor',
      scope: 'user',
      path: p.join(h.home, '.cursor', 'mcp.json'),
      containers: mcp,
      jsonc: false,
    },
  ];
  for (const flavour of ['Code', 'Code - Insiders']) {
    const user = p.join(cfg, flavour, 'User');
    files.push({
      host: 'vscode',
      scope: 'user',
      path: p.join(user, 'mcp.json'),
      containers: [['servers']],
      jsonc: true,
    });
    files.push({
      host: 'vscode',
      scope: 'settings',
      path: p.join(user, 'settings.json'),
      containers: [['mcp', 'servers']],
      jsonc: true,
    });
  }
  files.push({
    host: 'windsurf',
    scope: 'user',
    path: p.join(h.home, '.codeium', 'windsurf', 'mcp_config.json'),
    containers: mcp,
    jsonc: false,
  });
  files.push({
    host: 'gemini',
    scope: 'user',
    path: p.join(h.home, '.gemini', 'settings.json'),
    containers: mcp,
    jsonc: true,
  });
  return files;
}

/** The project-level files of one project folder. */
export function projectFiles(h: HostEnv, dir: string): HostFile[] {
  const p = pathApi(h.platform);
  const mcp: ContainerPath[] = [['mcpServers']];
  return [
    {
      host: 'claude-code',
      scope: 'project',
      path: p.join(dir, '.mcp.json'),
      containers: mcp,
      jsonc: false,
    },
    {
      host: 'cursor',
      scope: 'project',
      path: p.join(dir, '.cursor', 'mcp.json'),
      containers: mcp,
      jsonc: false,
    },
    {
      host: 'vscode',
      scope: 'project',
      path: p.join(dir, '.vscode', 'mcp.json'),
      containers: [['servers']],
      jsonc: true,
    },
    {
      host: 'gemini',
      scope: 'project',
      path: p.join(dir, '.gemini', 'settings.json'),
      containers: mcp,
      jsonc: true,
    },
  ];
}

/** Accepts the ids and a few spellings people use (`vs-code`, `claude`, `gemini-cli`…). */
export function parseHostName(name: string): HostId | undefined {
  const n = name.toLowerCase().replace(/[\s_]+/g, '-');
  const aliases = new Map<string, HostId>([
    ['claude-desktop', 'claude-desktop'],
    ['claude', 'claude-desktop'],
    ['claude-code', 'claude-code'],
    ['claudecode', 'claude-code'],
    ['cursor', 'cursor'],
    ['vscode', 'vscode'],
    ['vs-code', 'vscode'],
    ['code', 'vscode'],
    ['windsurf', 'windsurf'],
    ['gemini', 'gemini'],
    ['gemini-cli', 'gemini'],
  ]);
  return aliases.get(n);
}
