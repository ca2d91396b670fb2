import { defaultCapturePath } from '../../engine/paths.js';
import { recordStdio } from '../../engine/record/stdio.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';

export const usage = `usage: mcpscope record [--out FILE] -- CMD [ARGS…]

Runs CMD as an MCP stdio server and records everything between it and the host. Use it in a host's
server config in place of the server command. Bytes pass through unchanged; the capture is written
to FILE (default: a new file in the captures folder, printed on stderr at start).
Exit code: the server's (128+N if a signal N killed it; 127 if CMD was not found).`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, command } = parseCommandArgs<{ out?: string; help?: boolean }>(
    argv,
    { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (!command || command.length === 0) {
    throw new UsageError(`record needs the server command after "--" (HTTP recording is not available yet).\n\n${usage}`);
  }
  const [cmd, ...args] = command as [string, ...string[]];
  const out = values.out ?? defaultCapturePath(cmd);
  io.err(`mcpscope: recording to ${out}\n`);
  const result = await recordStdio({ command: cmd, args, out, log: (l) => io.err(`${l}\n`) });
  // Nothing else may keep us alive once the server is gone (the host may still hold our stdin).
  process.stdin.destroy();
  return result.exitCode;
}
