// `mcpscope hosts [--json]`: the MCP configs of common hosts, their servers, and which run through mcpscope.
import { HostManifest, hostsReport, processHostsContext } from '../../engine/hosts/index.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { guarded, printHosts } from './hosts-print.js';

export const usage = `usage: mcpscope hosts [--json]

Lists the MCP server configs of Claude Desktop, Claude Code, Cursor, VS Code, Windsurf and
Gemini CLI (user files, the current folder's project files, and Claude Code's projects), each
server with its command or URL and whether it runs through mcpscope (wrapped).
--json prints {hosts:[{host, label, found, files:[{host, scope, path, error?, managed, servers:[{name, path, kind, wrapped, command?, url?, transport?, problem?}]}]}]}.`;

export function run(argv: string[], io: Io): Promise<number> {
  return guarded('hosts', io, () => runUnguarded(argv, io));
}

async function runUnguarded(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{ json?: boolean; help?: boolean }>(
    argv,
    { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`hosts takes no arguments (got "${positionals[0]}").\n\n${usage}`);
  const ctx = processHostsContext();
  const manifest = new HostManifest(ctx.dataDir);
  const report = hostsReport(ctx.hostEnv, (path) => manifest.get(path) !== undefined);
  if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else printHosts(report, io);
  return 0;
}
