// mcpscope sessions --from postgres://… [--json] [--server NAME] [--since DATE] [--finding RULE]
import { listSessions, type SessionQuery } from '../../engine/store/pg.js';
import { openForCommand } from './store-open.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { safe } from '../format.js';

export const usage = `usage: mcpscope sessions --from postgres://… [--json] [--server NAME] [--since DATE] [--finding RULE]

Lists the sessions in the team store, newest first (at most 10,000).
  --server NAME    sessions of that server (its serverInfo.name, or the capture's source name)
  --since DATE     created at or after DATE (ISO 8601, e.g. 2026-12-01 or 2026-12-01T10:00:00Z)
  --finding RULE   sessions with at least one finding of that rule (e.g. secret.jwt)
  --json           {sessions:[{id, created, transport, server, records, complete, findings}]}
A session marked "incomplete" is still being recorded with --sink, or its recorder lost the
database: push its capture file to complete it.
Exit: 0, 1 the database failed, 2 usage.`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{
    from?: string;
    json?: boolean;
    server?: string;
    since?: string;
    finding?: string;
    help?: boolean;
  }>(
    argv,
    {
      from: { type: 'string' },
      json: { type: 'boolean' },
      server: { type: 'string' },
      since: { type: 'string' },
      finding: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length)
    throw new UsageError(`sessions takes no positional arguments.\n\n${usage}`);
  if (values.from === undefined)
    throw new UsageError(`which store? Give --from postgres://….\n\n${usage}`);
  const q: SessionQuery = {};
  if (values.server !== undefined) q.server = values.server;
  if (values.finding !== undefined) q.finding = values.finding;
  if (values.since !== undefined) {
    const d = new Date(values.since);
    if (Number.isNaN(d.getTime()))
      throw new UsageError(
        `--since "${values.since}": not a date; use ISO 8601 such as 2026-12-01 or 2026-12-01T10:00:00Z.`,
      );
    q.since = d;
  }
  const c = await openForCommand(values.from, 'sessions', io);
  if (!c) return 1;
  try {
    const rows = await listSessions(c, q);
    if (values.json) io.out(`${JSON.stringify({ sessions: rows }, null, 2)}\n`);
    else {
      if (rows.length === 0) io.out('no sessions\n');
      for (const r of rows)
        io.out(
          `${r.id}  ${r.created}  ${r.transport.padEnd(15)}  ${safe(r.server ?? '-')
            .slice(0, 40)
            .padEnd(
              40,
            )}  ${r.records} records  ${r.findings} findings${r.complete ? '' : '  incomplete'}\n`,
        );
    }
    return 0;
  } finally {
    await c.end();
  }
}
