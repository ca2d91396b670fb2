// `mcpscope unwrap`: undo `wrap` — byte for byte when the file was not touched since.
import { processHostsContext, unwrapHosts } from '../../engine/hosts/index.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { guarded, parseHosts, printChanges } from './hosts-print.js';

export const usage = `usage: mcpscope unwrap [--host NAME…|--all] [--dry-run] [--json]

Restores the configs \`mcpscope wrap\` changed. A file nobody edited since is restored byte for
byte from its backup; a file edited meanwhile gets only its wrapped entries back and keeps every
other edit (it says so). A file that cannot be parsed is left alone with an error. Wrapped
entries mcpscope has no record of are unwrapped from their own arguments when they are stdio.
--dry-run prints the diff and writes nothing. Exit 0, or 1 when a config could not be restored.`;

interface Flags {
  host?: string[];
  all?: boolean;
  'dry-run'?: boolean;
  json?: boolean;
  help?: boolean;
}

export function run(argv: string[], io: Io): Promise<number> {
  return guarded('unwrap', io, () => runUnguarded(argv, io));
}

async function runUnguarded(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<Flags>(
    argv,
    {
      host: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `unwrap takes no positional arguments (got "${positionals[0]}").\n\n${usage}`,
    );
  const report = unwrapHosts(processHostsContext(), {
    hosts: parseHosts(values.host, values.all, usage),
    dryRun: values['dry-run'] === true,
  });
  if (values.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return report.changes.some((c) => c.error !== undefined) ? 1 : 0;
  }
  return printChanges(report, io, 'unwrap');
}
