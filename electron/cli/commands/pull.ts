// mcpscope pull SESSION --from postgres://… --out FILE: a session back as the original file.
import { pullCapture, StoreError } from '../../engine/store/pg.js';
import { openForCommand } from './store-open.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';

export const usage = `usage: mcpscope pull SESSION --from postgres://… --out FILE

Writes the session (its id as \`mcpscope sessions\` lists it) to FILE, byte for byte as pushed, so
\`mcpscope verify FILE\` checks it like the original.
Exit: 0 written, 1 not found or the database failed, 2 usage.`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{ from?: string; out?: string; help?: boolean }>(
    argv,
    { from: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`give exactly one session id.\n\n${usage}`);
  if (values.from === undefined || values.out === undefined)
    throw new UsageError(`pull needs --from postgres://… and --out FILE.\n\n${usage}`);
  const c = await openForCommand(values.from, 'pull', io);
  if (!c) return 1;
  try {
    const r = await pullCapture(c, positionals[0]!, values.out);
    io.out(`wrote ${values.out} (${r.records} records, ${r.bytes} bytes)\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    io.err(`mcpscope pull: ${e.message}\n`);
    return 1;
  } finally {
    await c.end();
  }
}
