// Argument parsing shared by every command: node:util parseArgs, with `--` splitting off the
// server command line and every parse error turned into a usage error (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export interface Parsed<V> {
  values: V;
  positionals: string[];
  /** Everything after the first `--` (a server command line), or undefined if there was no `--`. */
  command: string[] | undefined;
}

export function parseCommandArgs<V>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
): Parsed<V> {
  const dd = argv.indexOf('--');
  const own = dd < 0 ? argv : argv.slice(0, dd);
  const command = dd < 0 ? undefined : argv.slice(dd + 1);
  try {
    const { values, positionals } = parseArgs({
      args: own,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as V, positionals, command };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    throw new UsageError(`${msg}\n\n${usage}`);
  }
}

/** Output sink for commands, so tests can capture what a command prints. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Colours allowed on `out`. */
  color: boolean;
}

export const processIo = (): Io => ({
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
});
