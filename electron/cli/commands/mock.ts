// mcpscope mock: serve a recording as an MCP server, over stdio (default) or Streamable HTTP
// (--listen). Thin: parse, load, serve until stdin ends or a signal arrives.

import { buildPlan } from '../../../shared/replay/index.js';
import { loadCaptureFile } from '../../engine/capture/load.js';
import { serveHttp } from '../../engine/mock/http.js';
import { serveStdio } from '../../engine/mock/stdio.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';

export const usage = `usage: mcpscope mock FILE [--listen HOST:PORT] [--strict]

Serves a recording as an MCP server: requests are matched by method and params (_meta ignored);
each distinct call gets its recorded answer, identical calls get theirs in recorded order; the
server's notifications and requests come at their recorded places. An unrecorded request gets a
JSON-RPC error naming the closest recorded request.
  FILE                 the recording (.mcpscope.jsonl)
options:
  --listen HOST:PORT   serve Streamable HTTP at http://HOST:PORT/mcp (port 0: a free one; the URL is
                       printed on stderr) instead of stdio
  --strict             also reject requests that come out of recorded order
Over stdio, put it in a host's config as the server command: mcpscope mock FILE
Exit: 0 when stdin ends (stdio) or on SIGINT/SIGTERM (HTTP), 2 usage.`;

interface MockFlags {
  listen?: string;
  strict?: boolean;
  help?: boolean;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals, command } = parseCommandArgs<MockFlags>(
    argv,
    {
      listen: { type: 'string' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (command !== undefined)
    throw new UsageError(
      `mock serves a recording; it takes no server command after --.\n\n${usage}`,
    );
  if (positionals.length !== 1)
    throw new UsageError(`give exactly one recording to serve.\n\n${usage}`);
  const file = positionals[0]!;
  const plan = buildPlan(await loadCaptureFile(file), { binding: false });
  if (!plan.initialize)
    throw new UsageError(
      `${file} has no recorded initialize, so a client cannot connect to its mock. Record a session that includes the handshake.`,
    );
  const opts = {
    strict: values.strict === true,
    onWarning: (m: string) => io.err(`mcpscope mock: ${m}\n`),
  };
  if (values.listen === undefined) {
    await serveStdio(plan, process.stdin, process.stdout, opts);
    return 0;
  }
  let mock;
  try {
    mock = await serveHttp(plan, values.listen, opts);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE')
      throw new UsageError(
        `--listen ${values.listen}: the address is in use; pick another port (0 picks a free one).`,
      );
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES')
      throw new UsageError(`--listen ${values.listen}: cannot listen there (${err.code}).`);
    if (err.code === undefined) throw new UsageError(err.message);
    throw e;
  }
  io.err(`mcpscope: mock of ${file} listening at ${mock.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await mock.close();
  return 0;
}
