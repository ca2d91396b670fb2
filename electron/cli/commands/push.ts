// mcpscope push FILE… --to postgres://…: store captures in the team store (idempotent).
import { pushCapture } from '../../engine/store/push.js';
import { openForCommand } from './store-open.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';

export const usage = `usage: mcpscope push FILE… --to postgres://USER:PASSWORD@HOST:PORT/DATABASE [--json]

Stores each capture in the team store (PostgreSQL): its exact lines (a pull gives back the same
bytes), the session's server, and its findings. A capture already there is not stored twice.
Captures that do not verify are refused. The schema is created or migrated on first use.
Exit: 0 all stored (or already there), 1 a capture or the database failed, 2 usage.`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{ to?: string; json?: boolean; help?: boolean }>(
    argv,
    { to: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError(`which captures? Give one or more .mcpscope.jsonl files.\n\n${usage}`);
  if (values.to === undefined)
    throw new UsageError(`where to? Give --to postgres://….\n\n${usage}`);
  const c = await openForCommand(values.to, 'push', io);
  if (!c) return 1;
  let failed = 0;
  const results: unknown[] = [];
  try {
    for (const file of positionals) {
      try {
        const r = await pushCapture(c, file);
        results.push({ file, ...r });
        if (!values.json)
          io.out(
            `${r.caughtUp ? 'caught up (completed a live session)' : r.stored ? 'stored' : 'already in the store'}: ${file} → session ${r.id} (${r.records} records)\n`,
          );
      } catch (e) {
        failed++;
        results.push({ file, error: (e as Error).message });
        io.err(`mcpscope push: ${file}: ${(e as Error).message}\n`);
      }
    }
  } finally {
    await c.end();
  }
  if (values.json) io.out(`${JSON.stringify({ pushed: results }, null, 2)}\n`);
  return failed ? 1 : 0;
}
