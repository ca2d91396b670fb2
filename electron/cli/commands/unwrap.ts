// `mcpscope unwrap`: undo `wrap` — byte for byte when the file was not touched since.
import { processHostsContext, unwrapHosts } from '../../engine/hosts/index.js';
import type { Io } from '../args.js';
import { guarded, parseHostChangeArgs, parseHosts, reportChanges } from './hosts-print.js';

export const usage = `usage: mcpscope unwrap [--host NAME…|--all] [--dry-run] [--json]

Restores the configs \`mcpscope wrap\` changed. A file nobody edited since is restored byte for
byte from its backup; a file edited meanwhile gets only its wrapped entries back and keeps every
other edit (it says so). A file that cannot be parsed is left alone with an error. Wrapped
entries mcpscope has no record of are unwrapped from their own arguments when they are stdio.
--dry-run prints the diff and writes nothing. Exit 0, or 1 when a config could not be restored.`;

export function run(argv: string[], io: Io): Promise<number> {
  return guarded('unwrap', io, () => runUnguarded(argv, io));
}

async function runUnguarded(argv: string[], io: Io): Promise<number> {
  const values = parseHostChangeArgs('unwrap', argv, io, usage);
  if (!values) return 0;
  const report = unwrapHosts(processHostsContext(), {
    hosts: parseHosts(values.host, values.all, usage),
    dryRun: values['dry-run'] === true,
  });
  return reportChanges(report, io, 'unwrap', values.json);
}
