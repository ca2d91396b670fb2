import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TICKET_TTL_MS } from '../../server/auth.js';
import { spawnProcess as spawn } from '../../engine/spawn.js';
import { HostApiError } from '../../../shared/host-api.js';
import { CaptureFileError } from '../../engine/capture/load.js';
import { readIdentityFile } from '../../engine/capture/age.js';
import { AppEngine } from '../../engine/app/engine.js';
import { startDemo } from '../../engine/app/demo.js';
import { startUiServer } from '../../server/server.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';

export const usage = `usage: mcpscope ui [FILE…] [--port N] [--no-open] [--identity FILE]

Starts the mcpscope UI in your browser: a local server on 127.0.0.1. The URL printed on stdout
carries a single-use ticket (valid for a minute) that the page trades for an in-memory session;
the browser is opened on a private redirect file, so no working credential is ever in a command
line. Set MCPSCOPE_BROWSER to the command that should open it (default: the system's opener). Opens the given
capture files; with none, connects the built-in demo server so there is something to see.
Recorders started by hosts (\`mcpscope record …\`) appear live while it runs. Ctrl-C stops it.

  --port N     listen on port N (default: a free port)
  --no-open    do not open a browser; just print the URL
  --identity FILE  age identity for FILEs encrypted with \`export --encrypt-to\` (decrypted in
               memory only; may be given several times)`;

/**
 * Open the URL without putting its ticket in any process's argv (readable by every local user in
 * /proc/PID/cmdline): the opener gets the path of a 0600 file in a 0700 folder that redirects to it.
 * The file is removed once the ticket has expired.
 */
function openBrowser(url: string, io: Io): void {
  let file: string;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'mcpscope-open-'));
    file = join(dir, 'open.html');
    const href = JSON.stringify(url).replace(/</g, '\\u003c');
    writeFileSync(
      file,
      `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>mcpscope</title><script>location.replace(${href})</script>\n`,
      { mode: 0o600 },
    );
    const t = setTimeout(
      () => rmSync(dir, { recursive: true, force: true }),
      TICKET_TTL_MS + 5_000,
    );
    t.unref();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  } catch (e) {
    io.err(
      `mcpscope ui: cannot prepare the browser launch (${(e as Error).message}); open the printed URL yourself\n`,
    );
    return;
  }
  const custom = process.env.MCPSCOPE_BROWSER;
  const [cmd, args] = custom
    ? [custom, [file]]
    : process.platform === 'darwin'
      ? ['open', [file]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', file]]
        : ['xdg-open', [file]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => undefined); // no browser opener: the printed URL is enough
    child.unref();
  } catch {
    // same
  }
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{
    port?: string;
    'no-open'?: boolean;
    help?: boolean;
    identity?: string[];
  }>(
    argv,
    {
      port: { type: 'string', short: 'p' },
      identity: { type: 'string', short: 'i', multiple: true },
      'no-open': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535)
      throw new UsageError(
        `--port must be a number from 1 to 65535, got ${JSON.stringify(values.port)}\n\n${usage}`,
      );
  }

  const identities = (values.identity ?? []).flatMap((p) => readIdentityFile(p));
  const engine = new AppEngine({ mode: 'browser' });
  // Files first: a bad file is a usage problem, reported before anything listens.
  for (const f of positionals) {
    try {
      await engine.openFiles([f], { identities });
    } catch (e) {
      await engine.dispose();
      // Exit 2 with the reason, like every command given a file that is not a capture.
      throw e instanceof HostApiError
        ? new CaptureFileError(`${f}: ${e.message.replace(/^[^:]*: /, '')}`)
        : e;
    }
  }
  await engine.start();
  if (engine.liveFeedError)
    io.err(`mcpscope ui: live recorder sessions will not appear here: ${engine.liveFeedError}\n`);

  let server;
  try {
    server = await startUiServer({
      attach: (deliver) => engine.attach(deliver),
      download: (ticket) => engine.exportFiles.redeem(ticket),
      port,
    });
  } catch (e) {
    await engine.dispose();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      io.err(
        `mcpscope ui: port ${port} is in use; pick another with --port or omit it for a free one\n`,
      );
      return 1;
    }
    throw e;
  }

  if (positionals.length === 0) {
    try {
      await startDemo(engine);
    } catch (e) {
      io.err(`mcpscope ui: the demo server could not be started: ${(e as Error).message}\n`);
    }
  }

  io.out(`${server.url}\n`);
  if (!values['no-open']) openBrowser(server.ticketUrl(), io);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  await engine.dispose();
  return 0;
}
