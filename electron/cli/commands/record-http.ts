// `mcpscope record --target URL` (HTTP proxy) and `mcpscope record --listen … -- CMD` (stdio bridge).
import { urlForDisplay } from '../../../shared/capture/redact.js';
import type { CaptureWriter } from '../../engine/capture/writer.js';
import { defaultCapturePath } from '../../engine/paths.js';
import { startStdioBridge } from '../../engine/record/http/bridge.js';
import { ListenError, parseListen } from '../../engine/record/http/listen.js';
import { parseTarget, startHttpRecorder, TargetError } from '../../engine/record/http/proxy.js';
import { UsageError, type Io } from '../args.js';

interface HttpFlags {
  out?: string;
  target?: string;
  listen?: string;
  'allow-remote'?: boolean;
  timeout?: string;
  transport?: string;
}

/** Resolves with the signal that asked us to stop. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const handlers = sigs.map((s) => {
      const h = (): void => {
        sigs.forEach((x, i) => process.off(x, handlers[i]!));
        resolve(s);
      };
      process.on(s, h);
      return h;
    });
  });
}

export interface HttpRecordHooks {
  /** Called once the capture writer exists (e.g. to attach the app's live feed). */
  onWriter?: (writer: CaptureWriter) => void;
}

export async function runHttpRecord(
  values: HttpFlags,
  command: string[] | undefined,
  io: Io,
  usage: string,
  hooks: HttpRecordHooks = {},
): Promise<number> {
  const log = (l: string): void => io.err(`${l}\n`);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new UsageError(
        `--timeout ${values.timeout}: give a positive number of milliseconds.\n\n${usage}`,
      );
  }
  const transport = values.transport;
  if (transport !== undefined && transport !== 'streamable-http' && transport !== 'sse') {
    throw new UsageError(`--transport ${transport}: use streamable-http or sse.\n\n${usage}`);
  }
  let listen;
  try {
    listen = parseListen(values.listen);
  } catch (e) {
    if (e instanceof ListenError) throw new UsageError(e.message);
    throw e;
  }
  const allowRemote = values['allow-remote'] ?? false;

  if (values.target === undefined) {
    if (!command || command.length === 0) {
      throw new UsageError(
        `--listen without --target needs a stdio server command after "--" (the bridge), or add --target URL.\n\n${usage}`,
      );
    }
    const [cmd, ...args] = command as [string, ...string[]];
    const out = values.out ?? defaultCapturePath(cmd);
    let bridge;
    try {
      bridge = await startStdioBridge({
        command: cmd,
        args,
        out,
        host: listen.host,
        port: listen.port,
        allowRemote,
        log,
        ...(hooks.onWriter ? { onWriter: hooks.onWriter } : {}),
      });
    } catch (e) {
      if (e instanceof ListenError) throw new UsageError(e.message);
      throw e;
    }
    log(`mcpscope: recording to ${out}`);
    log(`mcpscope: bridge for ${cmd} listening on ${bridge.url}`);
    let serverDied = false;
    const stop = await Promise.race([
      untilSignal().then((s) => `stopped by ${s}`),
      bridge.exited.then((r) => {
        serverDied = r.startsWith('server exited');
        return r;
      }),
    ]);
    const result = await bridge.close(stop);
    log(`mcpscope: ${stop}; capture complete: ${out}`);
    // A clean stop (signal, session ended) is 0; a server that died on its own passes its code on.
    return serverDied ? result.exitCode : 0;
  }

  if (command && command.length > 0)
    throw new UsageError(`--target and a server command cannot be combined.\n\n${usage}`);
  let target: URL;
  try {
    target = parseTarget(values.target);
  } catch (e) {
    // The message quotes the target; its userinfo and query string (API keys) are not echoed.
    if (e instanceof TargetError)
      throw new UsageError(e.message.split(values.target).join(urlForDisplay(values.target)));
    throw e;
  }
  const out = values.out ?? defaultCapturePath(target.hostname);
  let recorder;
  try {
    recorder = await startHttpRecorder({
      target: values.target,
      host: listen.host,
      port: listen.port,
      allowRemote,
      out,
      log,
      ...(hooks.onWriter ? { onWriter: hooks.onWriter } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(transport !== undefined ? { transport } : {}),
    });
  } catch (e) {
    if (e instanceof ListenError) throw new UsageError(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
      log(
        `mcpscope record: cannot listen on ${listen.host}:${listen.port} (${err.code}). Pick another --listen address or port (0 for a free one).`,
      );
      return 1;
    }
    throw e;
  }
  log(`mcpscope: recording to ${out}`);
  // The query string is the target's (often an API key): not echoed to a terminal or a log.
  const shown = urlForDisplay(recorder.url);
  const queryNote = shown.endsWith('?…')
    ? "; append the target URL's query string, not printed here"
    : '';
  log(
    `mcpscope: listening on ${shown.replace(/\?…$/, '')} (forwarding to ${target.origin}${queryNote})`,
  );
  const sig = await untilSignal();
  await recorder.close(`stopped by ${sig}`);
  log(`mcpscope: stopped by ${sig}; capture complete: ${out}`);
  return 0;
}
