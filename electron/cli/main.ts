// The mcpscope command: parse the subcommand, call the engine, print. Each command lives in
// commands/<name>.ts and exports `usage` and `run(argv, io) → exit code`.
import { CaptureFormatError } from '../../shared/capture/index.js';
import { CaptureFileError } from '../engine/capture/load.js';
import { TOOL_VERSION } from '../engine/version.js';
import { processIo, UsageError, type Io } from './args.js';

interface Command {
  summary: string;
  load: () => Promise<{ run: (argv: string[], io: Io) => Promise<number>; usage: string }>;
}

// Loaded lazily so `mcpscope record` starts without parsing code it does not need.
const COMMANDS: Record<string, Command> = {
  record: {
    summary: 'record a stdio or HTTP server (MITM wrapper / reverse proxy)',
    load: () => import('./commands/record.js'),
  },
  show: {
    summary: 'print a capture as a timeline (--json for scripts)',
    load: () => import('./commands/show.js'),
  },
  verify: {
    summary: "check a capture's hash chain and signatures",
    load: () => import('./commands/verify.js'),
  },
  key: {
    summary: "export this install's public signing key; make an age identity (age-keygen)",
    load: () => import('./commands/key.js'),
  },
  gc: {
    summary: 'apply the retention policy: delete old captures (--dry-run lists them)',
    load: () => import('./commands/gc.js'),
  },
  scan: {
    summary: 'findings: secrets, poisoned tools, rug pulls… (--json, --sarif)',
    load: () => import('./commands/scan.js'),
  },
  ui: {
    summary: 'open the UI in your browser (local, token-protected)',
    load: () => import('./commands/ui.js'),
  },
  inspect: {
    summary: 'connect as a client; print handshake, tools, resources, templates, prompts',
    load: () => import('./commands/inspect.js'),
  },
  call: { summary: 'call one tool and print the result', load: () => import('./commands/call.js') },
  read: { summary: 'read one resource and print it', load: () => import('./commands/read.js') },
  prompt: {
    summary: 'get one prompt and print its messages',
    load: () => import('./commands/prompt.js'),
  },
  export: {
    summary: 'redacted capture, Vitest test, HAR, SARIF, HTML report or Markdown summary',
    load: () => import('./commands/export.js'),
  },
  hosts: {
    summary:
      'list the MCP configs of Claude Desktop, Claude Code, Cursor, VS Code, Windsurf, Gemini CLI',
    load: () => import('./commands/hosts.js'),
  },
  wrap: {
    summary: "route hosts' servers through mcpscope (backup kept; --dry-run shows the diff)",
    load: () => import('./commands/wrap.js'),
  },
  unwrap: {
    summary: 'restore the host configs wrap changed (byte for byte when untouched)',
    load: () => import('./commands/unwrap.js'),
  },
  push: {
    summary: 'store captures in the team store (PostgreSQL)',
    load: () => import('./commands/push.js'),
  },
  pull: {
    summary: 'get a session back from the team store as a capture file',
    load: () => import('./commands/pull.js'),
  },
  sessions: {
    summary: 'list the sessions in the team store',
    load: () => import('./commands/sessions.js'),
  },
  load: {
    summary: 'load-test a server: throughput, latency percentiles, rate limiting, leaks',
    load: () => import('./commands/load.js'),
  },
  mock: {
    summary: 'serve a recording as an MCP server (stdio, or HTTP with --listen)',
    load: () => import('./commands/mock.js'),
  },
  replay: {
    summary: 'replay a recording against a live server and diff the answers',
    load: () => import('./commands/replay.js'),
  },
  fuzz: {
    summary: 'fuzz a server (tools, JSON-RPC, framing); minimal reproducers',
    load: () => import('./commands/fuzz.js'),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return `mcpscope ${TOOL_VERSION} — record, inspect, scan and verify MCP traffic

usage: mcpscope <command> [options]

commands:
${lines.join('\n')}

Run \`mcpscope <command> --help\` for a command's options.
`;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${TOOL_VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`mcpscope: unknown command "${name}". Run \`mcpscope --help\` to list the commands.\n`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`mcpscope ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CaptureFileError || e instanceof CaptureFormatError) {
      io.err(`mcpscope ${name}: ${e.message}\n`);
      return 2;
    }
    io.err(`mcpscope ${name}: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 70;
  }
}
