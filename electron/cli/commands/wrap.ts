// `mcpscope wrap`: route host servers through mcpscope (stdio: `mcpscope record -- CMD`; remote:
// `mcpscope record --bridge-to URL`), with a backup and a manifest so `unwrap` can undo it.
import { processHostsContext, wrapHosts } from '../../engine/hosts/index.js';
import type { Io } from '../args.js';
import { guarded, parseHostChangeArgs, parseHosts, reportChanges } from './hosts-print.js';

export const usage = `usage: mcpscope wrap [--host NAME…|--all] [--server NAME…] [--dry-run] [--json]

Rewrites host configs so each server runs through mcpscope and is recorded: a stdio server's
command becomes \`node …/mcpscope.js record -- <its command>\` (env, cwd and args kept); a remote
(url) server becomes \`node …/mcpscope.js record --bridge-to URL\`, a stdio→HTTP bridge that
records both sides. Only those entries change; formatting, comments and other settings stay.
The file is backed up and the change noted in the data directory; wrapping twice never
double-wraps. --dry-run prints the diff and writes nothing. Hosts: claude-desktop, claude-code,
cursor, vscode, windsurf, gemini (--host may repeat; default and --all: every host).
Restart the host (or reload its MCP servers) afterwards. Undo with \`mcpscope unwrap\`.
Exit 0, or 1 when a config could not be read, parsed or written (it is left untouched).`;

export function run(argv: string[], io: Io): Promise<number> {
  return guarded('wrap', io, () => runUnguarded(argv, io));
}

async function runUnguarded(argv: string[], io: Io): Promise<number> {
  const values = parseHostChangeArgs('wrap', argv, io, usage);
  if (!values) return 0;
  const hosts = parseHosts(values.host, values.all, usage);
  const ctx = processHostsContext();
  // Hosts start the wrapped entries later, from this exact path: npx's cache can be cleaned.
  if (ctx.launcher.args.some((a) => /[\\/]_npx[\\/]/.test(a))) {
    io.err(
      `mcpscope wrap: warning: mcpscope runs from npx's cache (${ctx.launcher.args[0]}), which npm may clean; wrapped servers would then fail to start. Install mcpscope (npm install -g mcpscope, or a checkout) and wrap from there.\n`,
    );
  }
  const report = wrapHosts(ctx, {
    hosts,
    ...(values.server ? { servers: values.server } : {}),
    dryRun: values['dry-run'] === true,
  });
  const code = reportChanges(report, io, 'wrap', values.json);
  if (!values.json && !report.dryRun && report.changes.some((c) => c.written))
    io.out(
      'Restart the host (or reload its MCP servers) to start recording. Undo with `mcpscope unwrap`.\n',
    );
  return code;
}
