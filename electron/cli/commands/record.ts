import { getPriority, setPriority } from 'node:os';
import { defaultCapturePath } from '../../engine/paths.js';
import { recordStdio } from '../../engine/record/stdio.js';
import { attachLiveFeed } from '../../engine/live/client.js';
import { runHttpRecord } from './record-http.js';
import { runBridgeRecord } from './record-bridge.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import type { CaptureWriter } from '../../engine/capture/writer.js';
import { checkStoreUrl, StoreUrlError } from '../../engine/store/pg.js';
import { guardSinkShutdown, STOP_GRACE_MS } from '../../engine/store/shutdown.js';
import { StoreSink } from '../../engine/store/sink.js';

export const usage = `usage: mcpscope record [--out FILE] [--sink postgres://…] -- CMD [ARGS…]
       mcpscope record --target URL [--listen HOST:PORT] [--out FILE] [--allow-remote] [--timeout MS] [--transport streamable-http|sse]
       mcpscope record --listen HOST:PORT [--out FILE] [--allow-remote] -- CMD [ARGS…]
       mcpscope record --bridge-to URL [--header "Name: value"…] [--transport streamable-http|sse] [--out FILE]

Runs CMD as an MCP stdio server and records everything between it and the host. Use it in a host's
server config in place of the server command. Bytes pass through unchanged; the capture is written
to FILE (default: a new file in the captures folder, printed on stderr at start).
Exit code: the server's (128+N if a signal N killed it; 127 if CMD was not found).

With --target, records an HTTP server (Streamable HTTP, or legacy HTTP+SSE when the URL ends in
/sse): point the client at the local URL printed on stderr; every path is forwarded unchanged to
the target. --listen defaults to 127.0.0.1 on a free port; a non-loopback address needs
--allow-remote. --timeout is how long the target may take to start answering (default 300000).
With --listen and a command, exposes the stdio server CMD over Streamable HTTP (a bridge), recorded.
With --bridge-to, speaks stdio to the host and Streamable HTTP (falling back to legacy SSE) to the
remote server URL with the given headers, recorded (what \`mcpscope wrap\` runs for url servers).
Stop with Ctrl-C (SIGINT) or SIGTERM: open streams are closed and the capture is completed. Exit 0.

With --sink postgres://USER:PASSWORD@HOST:PORT/DATABASE (any mode), the capture also streams live
into the team store (batched, off the traffic's path). If the database is down or goes away,
recording continues to FILE and a warning says to store it later with \`mcpscope push FILE --to URL\`.
When the recording ends the sink completes the session in the store; after a stop signal it gets
at most ${STOP_GRACE_MS / 1000} s for that (a second signal stops at once), and what it could not finish stays
an incomplete session there until \`mcpscope push FILE --to URL\`.`;

interface RecordFlags {
  out?: string;
  help?: boolean;
  target?: string;
  listen?: string;
  'allow-remote'?: boolean;
  timeout?: string;
  transport?: string;
  'bridge-to'?: string;
  header?: string[];
  sink?: string;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, command } = parseCommandArgs<RecordFlags>(
    argv,
    {
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
      target: { type: 'string' },
      listen: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      timeout: { type: 'string' },
      transport: { type: 'string' },
      'bridge-to': { type: 'string' },
      header: { type: 'string', multiple: true },
      sink: { type: 'string' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  let sink: StoreSink | undefined;
  if (values.sink !== undefined) {
    try {
      checkStoreUrl(values.sink);
    } catch (e) {
      if (e instanceof StoreUrlError) throw new UsageError(`--sink: ${e.message}`);
      throw e;
    }
  }
  let unguard: (() => void) | undefined;
  const startSink = (): void => {
    if (values.sink === undefined) return;
    sink = new StoreSink({ url: values.sink, warn: (l) => io.err(`${l}\n`) });
    unguard = guardSinkShutdown(sink, (l) => io.err(`${l}\n`));
  };
  const onWriter = (w: CaptureWriter): void => {
    void attachLiveFeed(w);
    sink?.attach(w);
  };
  /** After the recording: the sink stores the rest and completes the session. */
  const finish = async (code: number): Promise<number> => {
    if (sink) {
      // The traffic is over: the final push (scanning the file, deriving, storing) yields the CPU
      // to whatever traffic other recorders on this machine still carry.
      try {
        setPriority(Math.min(19, getPriority() + 10));
      } catch {
        // not allowed here: the push runs at the normal priority
      }
      const r = await sink.close();
      unguard?.();
      if (r.complete) io.err('mcpscope: capture stored in the team store\n');
    }
    return code;
  };
  if (
    values['bridge-to'] !== undefined &&
    (values.target !== undefined || values.listen !== undefined)
  ) {
    throw new UsageError(`--bridge-to cannot be combined with --target or --listen.\n\n${usage}`);
  }
  if (values['bridge-to'] !== undefined) {
    startSink();
    return finish(await runBridgeRecord(values, command, io, usage, onWriter));
  }
  if (values.header !== undefined)
    throw new UsageError(`--header applies to --bridge-to.\n\n${usage}`);
  if (values.target !== undefined || values.listen !== undefined) {
    startSink();
    return finish(await runHttpRecord(values, command, io, usage, { onWriter }));
  }
  if (values['allow-remote'] || values.timeout !== undefined || values.transport !== undefined) {
    throw new UsageError(
      `--allow-remote, --timeout and --transport apply to HTTP recording (--target or --listen).\n\n${usage}`,
    );
  }
  if (!command || command.length === 0) {
    throw new UsageError(
      `record needs the server command after "--", or --target URL for an HTTP server.\n\n${usage}`,
    );
  }
  const [cmd, ...args] = command as [string, ...string[]];
  const out = values.out ?? defaultCapturePath(cmd);
  io.err(`mcpscope: recording to ${out}\n`);
  startSink();
  const result = await recordStdio({
    command: cmd,
    args,
    out,
    log: (l) => io.err(`${l}\n`),
    onWriter,
  });
  // Nothing else may keep us alive once the server is gone (the host may still hold our stdin).
  process.stdin.destroy();
  return finish(result.exitCode);
}
