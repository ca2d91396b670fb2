// Terminal output of `hosts`, `wrap` and `unwrap`. Config text is the user's, but names and
// command lines still go through visible() so an odd character cannot drive the terminal.
import type { HostChangeReport, HostsReport } from '../../../shared/host-api-hosts.js';
import { HOST_IDS, ManifestError, parseHostName, type HostId } from '../../engine/hosts/index.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { pad, paint, safe } from '../format.js';

export function parseHosts(
  names: string[] | undefined,
  all: boolean | undefined,
  usage: string,
): HostId[] {
  if (all && names && names.length > 0)
    throw new UsageError(`--all and --host cannot be combined.\n\n${usage}`);
  if (!names || names.length === 0) return [...HOST_IDS];
  return names.map((n) => {
    const id = parseHostName(n);
    if (!id)
      throw new UsageError(`unknown host "${n}". Hosts: ${HOST_IDS.join(', ')}.\n\n${usage}`);
    return id;
  });
}

export interface HostChangeFlags {
  host?: string[];
  all?: boolean;
  server?: string[];
  'dry-run'?: boolean;
  json?: boolean;
  help?: boolean;
}

/**
 * The arguments of `wrap` and `unwrap` (`--server` for wrap only): the flags, or undefined after
 * printing the usage for --help. Positional arguments are a usage error that says what to type.
 */
export function parseHostChangeArgs(
  verb: 'wrap' | 'unwrap',
  argv: string[],
  io: Io,
  usage: string,
): HostChangeFlags | undefined {
  const { values, positionals } = parseCommandArgs<HostChangeFlags>(
    argv,
    {
      host: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      ...(verb === 'wrap' ? { server: { type: 'string', multiple: true } } : {}),
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return undefined;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `${verb} takes no positional arguments (got "${positionals[0]}")${verb === 'wrap' ? '; name servers with --server' : ''}.\n\n${usage}`,
    );
  return values;
}

/** The report as JSON (--json) or as diffs and lines; exit 1 when a config failed. */
export function reportChanges(
  r: HostChangeReport,
  io: Io,
  verb: 'wrap' | 'unwrap',
  json: boolean | undefined,
): number {
  if (!json) return printChanges(r, io, verb);
  io.out(`${JSON.stringify(r, null, 2)}\n`);
  return r.changes.some((c) => c.error !== undefined) ? 1 : 0;
}

export function printHosts(r: HostsReport, io: Io): void {
  const p = paint(io.color);
  for (const h of r.hosts) {
    if (!h.found) {
      io.out(`${pad(h.label, 15)} ${p.dim('no config found')}\n`);
      continue;
    }
    for (const f of h.files) {
      io.out(
        `${pad(h.label, 15)} ${safe(f.path)} ${p.dim(`(${f.scope}${f.managed ? ', wrapped by mcpscope' : ''})`)}\n`,
      );
      if (f.error !== undefined) {
        io.out(`  ${p.red('error')}  ${safe(f.error)}\n`);
        continue;
      }
      if (f.servers.length === 0) io.out(`  ${p.dim('no servers')}\n`);
      const width = Math.min(30, Math.max(...f.servers.map((s) => s.name.length), 4));
      for (const s of f.servers) {
        const what =
          s.kind === 'remote'
            ? `${s.url ?? ''}${s.transport && s.transport !== 'auto' ? ` (${s.transport})` : ''}`
            : s.kind === 'stdio'
              ? (s.command ?? []).join(' ')
              : `cannot wrap: ${s.problem ?? ''}`;
        const state = s.wrapped
          ? p.green('wrapped')
          : s.kind === 'unknown'
            ? p.yellow('unknown')
            : p.dim('direct ');
        const scope =
          s.path[0] === 'projects' && s.path.length > 3
            ? p.dim(` [project ${s.path[1] ?? ''}]`)
            : '';
        io.out(
          `  ${state}  ${pad(safe(s.name), width)}  ${pad(s.kind, 6)}  ${safe(what)}${scope}\n`,
        );
      }
    }
  }
}

export function printChanges(r: HostChangeReport, io: Io, verb: 'wrap' | 'unwrap'): number {
  const p = paint(io.color);
  let failed = 0;
  if (r.changes.length === 0)
    io.out(
      verb === 'wrap'
        ? 'nothing to wrap: no host config with servers found\n'
        : 'nothing to unwrap: no wrapped config found\n',
    );
  for (const c of r.changes) {
    if (c.diff) io.out(c.diff.split('\n').map(safe).join('\n'));
    const did = r.dryRun ? `would ${verb}` : verb === 'wrap' ? 'wrapped' : 'unwrapped';
    if (c.error !== undefined) {
      failed++;
      io.err(`mcpscope ${verb}: ${c.error}\n`);
    }
    if (c.changed.length > 0) {
      const how = c.restore === 'exact' ? ' (restored byte for byte)' : '';
      io.out(`${p.bold(did)} ${c.changed.map(safe).join(', ')} in ${safe(c.path)}${how}\n`);
    }
    for (const s of c.skipped) io.out(`  ${p.dim('skipped')} ${safe(s.name)}: ${safe(s.reason)}\n`);
    for (const n of c.notes) io.out(`  ${p.yellow('note')} ${safe(n)}\n`);
    if (c.backup && c.written) io.out(`  ${p.dim(`backup: ${safe(c.backup)}`)}\n`);
  }
  return failed > 0 ? 1 : 0;
}

/** Runs a hosts command; a broken manifest is a clear error (exit 1), not a crash. */
export async function guarded(verb: string, io: Io, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ManifestError) {
      io.err(`mcpscope ${verb}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
