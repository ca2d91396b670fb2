// The stdio man-in-the-middle. A host runs `mcpscope record -- CMD …` instead of the server; we
// spawn the server and forward bytes both ways untouched, recording as they pass.
//
// Forwarding always happens before recording, and recording never throws into the forwarding
// path: the capture is a by-product, the host↔server conversation is the product.

import type { ChildProcess } from 'node:child_process';
import { describeSpawnError, spawnFailureExit, spawnProcess as spawn } from '../spawn.js';
import { constants as osConstants } from 'node:os';
import {
  errorRecord,
  LineFramer,
  redactArgs,
  spawnRecord,
  type Frame,
} from '../../../shared/capture/index.js';
import type { Direction } from '../../../shared/protocol/index.js';
import { CaptureWriter } from '../capture/writer.js';
import { toPayload } from './payload.js';

export interface StdioRecordOptions {
  command: string;
  args: string[];
  /** Capture file to write. */
  out: string;
  /** Host → server bytes (default process.stdin). */
  input?: NodeJS.ReadableStream;
  /** Server → host bytes (default process.stdout). */
  output?: NodeJS.WritableStream;
  /** Where the server's stderr is passed through (default process.stderr). */
  errOutput?: NodeJS.WritableStream;
  /** mcpscope's own messages (default: process.stderr). Never stdout: that is the protocol channel. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Forward SIGINT/SIGTERM/SIGHUP to the server (default true). */
  forwardSignals?: boolean;
  /** After a forwarded signal, how long the server may take before its process group is killed (default 3000). */
  killGraceMs?: number;
  maxFrameBytes?: number;
  /** Called once the capture writer exists, e.g. to attach a live feed. */
  onWriter?: (writer: CaptureWriter) => void;
}

export interface StdioRecordResult {
  /** What mcpscope should exit with: the server's code, 128+signal, or 126/127 when it could not start. */
  exitCode: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  capturePath: string;
  captureError?: Error;
}

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const DEFAULT_KILL_GRACE_MS = 3000;
/** After the server process exited, how long its stdio may stay open (a grandchild holding it). */
const CLOSE_AFTER_EXIT_MS = 2000;
/** POSIX: the server leads its own process group, so one kill reaches what it started. */
const OWN_GROUP = process.platform !== 'win32';

export function recordStdio(opts: StdioRecordOptions): Promise<StdioRecordResult> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const errOutput = opts.errOutput ?? process.stderr;
  const log = opts.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const forwardSignals = opts.forwardSignals ?? true;

  const writer = new CaptureWriter({
    path: opts.out,
    source: {
      transport: 'stdio',
      command: redactArgs([opts.command, ...opts.args]),
      cwd: opts.cwd ?? process.cwd(),
    },
    onError: (e) =>
      log(
        `mcpscope: cannot write the capture ${opts.out}: ${e.message}. Traffic keeps flowing but is no longer recorded.`,
      ),
  });
  opts.onWriter?.(writer);

  const framers: Record<Direction | 'stderr', LineFramer> = {
    c2s: new LineFramer(opts.maxFrameBytes),
    s2c: new LineFramer(opts.maxFrameBytes),
    stderr: new LineFramer(opts.maxFrameBytes),
  };
  const recordFrames = (dir: Direction, frames: Frame[], eol = true): void => {
    for (const f of frames)
      writer.append({ type: 'frame', dir, channel: 'stdio', ...toPayload(f, eol) });
  };
  const recordStderr = (frames: Frame[], eol = true): void => {
    for (const f of frames) writer.append({ type: 'stderr', ...toPayload(f, eol) });
  };
  const flush = (which: Direction | 'stderr'): void => {
    const rest = framers[which].flush();
    if (!rest) return;
    if (which === 'stderr') recordStderr([rest], false);
    else recordFrames(which, [rest], false);
  };

  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(opts.command, opts.args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        windowsHide: true,
        detached: OWN_GROUP,
      });
    } catch (e) {
      // Synchronous spawn failures (bad arguments) end like asynchronous ones.
      const err = e as NodeJS.ErrnoException;
      const message = describeSpawnError(opts.command, err);
      writer.append(errorRecord('spawn', { message, code: err.code }));
      writer.close('server could not be started');
      log(`mcpscope: ${message}`);
      resolve({
        exitCode: 126,
        code: null,
        signal: null,
        capturePath: opts.out,
        ...(writer.error ? { captureError: writer.error } : {}),
      });
      return;
    }

    let finished = false;
    const signalHandlers = new Map<NodeJS.Signals, () => void>();
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, fn: () => void): void => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    };
    const finish = (
      result: Omit<StdioRecordResult, 'capturePath' | 'captureError'>,
      reason: string,
    ): void => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      for (const [sig, h] of signalHandlers) process.off(sig, h);
      input.removeListener('data', onInput);
      input.pause();
      flush('c2s');
      flush('s2c');
      flush('stderr');
      writer.close(reason);
      resolve({
        ...result,
        capturePath: opts.out,
        ...(writer.error ? { captureError: writer.error } : {}),
      });
    };

    // Host → server.
    let stdinOpen = true;
    const onInput = (chunk: Buffer): void => {
      if (stdinOpen && !child.stdin!.write(chunk)) input.pause();
      recordFrames('c2s', framers.c2s.push(chunk));
    };
    input.on('data', onInput);
    input.on('end', () => {
      flush('c2s');
      if (stdinOpen) child.stdin!.end();
    });
    child.stdin!.on('drain', () => input.resume());
    child.stdin!.on('error', (e: NodeJS.ErrnoException) => {
      // The server closed its stdin (often: it is exiting). Keep reading what the host sends so
      // it is recorded, and let the exit record tell the rest.
      stdinOpen = false;
      input.resume();
      writer.append(errorRecord('server-stdin', e));
    });

    // Server → host.
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!output.write(chunk)) {
        child.stdout!.pause();
        output.once('drain', () => child.stdout!.resume());
      }
      recordFrames('s2c', framers.s2c.push(chunk));
    });
    child.stdout!.on('end', () => flush('s2c'));
    let hostGone = false;
    output.on('error', (e: NodeJS.ErrnoException) => {
      if (hostGone) return;
      hostGone = true;
      writer.append(errorRecord('host-stdout', e));
    });

    // Server stderr: passed through, recorded line by line.
    child.stderr!.on('data', (chunk: Buffer) => {
      errOutput.write(chunk);
      recordStderr(framers.stderr.push(chunk));
    });
    child.stderr!.on('end', () => flush('stderr'));

    child.on('spawn', () => {
      writer.append(spawnRecord(opts.command, opts.args, child.pid, opts.cwd ?? process.cwd()));
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) {
        writer.append(errorRecord('server-process', err));
        return;
      }
      const message = describeSpawnError(opts.command, err);
      writer.append(errorRecord('spawn', { message, code: err.code }));
      log(`mcpscope: ${message}`);
      finish(
        { exitCode: spawnFailureExit(err), code: null, signal: null },
        'server could not be started',
      );
    });
    const ended = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      writer.append({ type: 'exit', code, signal });
      const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1);
      finish(
        { exitCode, code, signal },
        signal ? `server killed by ${signal}` : `server exited with code ${code}`,
      );
    };
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (child.pid === undefined) return; // spawn failure: handled by 'error'
      ended(code, signal);
    });
    // Something the server started may hold its stdout open after it exited: the capture still
    // closes, soon after the exit, and the leftovers are killed with the group.
    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      later(CLOSE_AFTER_EXIT_MS, () => {
        killGroup('SIGKILL');
        ended(code, signal);
      });
    });

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        if (OWN_GROUP) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    let stopping = false;
    const stop = (sig: NodeJS.Signals): void => {
      if (stopping) {
        // A second signal: the user means it now.
        writer.append({
          type: 'note',
          text: `mcpscope received ${sig} again; killing the server's process group`,
        });
        killGroup('SIGKILL');
        return;
      }
      stopping = true;
      writer.append({ type: 'note', text: `mcpscope received ${sig}; forwarded to the server` });
      child.kill(sig);
      const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
      later(grace, () => {
        writer.append({
          type: 'note',
          text: `the server did not exit within ${grace} ms of ${sig}; killing its process group (SIGKILL)`,
        });
        killGroup('SIGKILL');
      });
    };

    if (forwardSignals) {
      for (const sig of FORWARDED_SIGNALS) {
        const h = (): void => stop(sig);
        signalHandlers.set(sig, h);
        process.on(sig, h);
      }
    }
  });
}
