// A fake home folder with real-shaped MCP configs of every host mcpscope knows, for Linux paths:
// Claude Desktop, Claude Code (user, per-project and project .mcp.json), Cursor, VS Code (JSONC
// user mcp.json with comments and trailing commas, settings.json `mcp.servers`, project
// .vscode/mcp.json), Windsurf (`serverUrl`) and Gemini CLI (`httpUrl`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FakeHome {
  home: string;
  project: string;
  /** Every config file written, by a short name. */
  files: Record<string, string>;
  /** HostEnv-shaped description for the engine, and the env to run the CLI with. */
  env: Record<string, string>;
}

export interface FakeHomeOptions {
  /** The stdio server every stdio entry runs: [command, ...args]. */
  stdio: string[];
  /** The remote server URL every remote entry points at. */
  url: string;
}

function put(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

export function makeFakeHome(root: string, o: FakeHomeOptions): FakeHome {
  const home = join(root, 'home');
  const project = join(root, 'work', 'app');
  mkdirSync(project, { recursive: true });
  const [cmd, ...args] = o.stdio as [string, ...string[]];
  const j = (v: unknown): string => JSON.stringify(v);
  const files: Record<string, string> = {};
  files.claudeDesktop = put(
    join(home, '.config', 'Claude', 'claude_desktop_config.json'),
    `${JSON.stringify({ mcpServers: { everything: { command: cmd, args, env: { EVERYTHING_MODE: 'desktop', API_TOKEN: 'tok-desktop' } } }, globalShortcut: 'Ctrl+Space' }, null, 2)}\n`,
  );
  files.claudeCode = put(
    join(home, '.claude.json'),
    j({
      numStartups: 12,
      mcpServers: {
        everything: { type: 'stdio', command: cmd, args, env: {} },
        remote: { type: 'http', url: o.url, headers: { Authorization: 'Bearer cc-token' } },
      },
      projects: {
        [project]: {
          allowedTools: [],
          mcpServers: { 'proj-local': { type: 'stdio', command: cmd, args, env: {} } },
          hasTrustDialogAccepted: true,
        },
      },
    }),
  );
  files.claudeProject = put(
    join(project, '.mcp.json'),
    `${JSON.stringify({ mcpServers: { shared: { command: cmd, args, env: { FROM: 'mcp.json' } } } }, null, 2)}\n`,
  );
  files.cursor = put(
    join(home, '.cursor', 'mcp.json'),
    `${JSON.stringify({ mcpServers: { everything: { command: cmd, args }, remote: { url: o.url, headers: { 'X-Api-Key': 'cursor-key' } } } }, null, 4)}\n`,
  );
  files.cursorProject = put(
    join(project, '.cursor', 'mcp.json'),
    `{\n\t"mcpServers": {\n\t\t"proj": {\n\t\t\t"command": ${j(cmd)},\n\t\t\t"args": ${j(args)}\n\t\t}\n\t}\n}\n`,
  );
  files.vscode = put(
    join(home, '.config', 'Code', 'User', 'mcp.json'),
    `{
  // Servers VS Code starts for every workspace.
  "servers": {
    "everything": {
      "type": "stdio",
      "command": ${j(cmd)}, // the test server
      "args": ${j(args)},
      "env": { "MODE": "vscode" },
    },
    /* a remote one */
    "remote": {
      "type": "http",
      "url": ${j(o.url)},
      "headers": { "Authorization": "Bearer \${input:token}" },
    },
  },
  "inputs": [
    { "type": "promptString", "id": "token", "description": "API token", "password": true },
  ],
}
`,
  );
  files.vscodeSettings = put(
    join(home, '.config', 'Code', 'User', 'settings.json'),
    `{
    "editor.fontSize": 14, // keep me
    "mcp": {
        "servers": {
            "legacy": { "command": ${j(cmd)}, "args": ${j(args)} }
        }
    },
    "files.autoSave": "afterDelay",
}
`,
  );
  files.vscodeProject = put(
    join(project, '.vscode', 'mcp.json'),
    `${JSON.stringify({ servers: { ws: { type: 'stdio', command: cmd, args } } }, null, 2)}\n`,
  );
  files.windsurf = put(
    join(home, '.codeium', 'windsurf', 'mcp_config.json'),
    `${JSON.stringify({ mcpServers: { everything: { command: cmd, args, env: {} }, remote: { serverUrl: o.url } } }, null, 2)}\n`,
  );
  files.gemini = put(
    join(home, '.gemini', 'settings.json'),
    `${JSON.stringify({ theme: 'GitHub', mcpServers: { everything: { command: cmd, args, cwd: project, timeout: 30000, trust: false }, remote: { httpUrl: o.url, headers: { Authorization: 'Bearer g' } } } }, null, 2)}\n`,
  );
  return {
    home,
    project,
    files,
    env: { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: join(home, '.config') },
  };
}
