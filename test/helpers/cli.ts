// Run the real mcpscope command (the built CLI) and collect what it printed.
import { spawn } from 'node:child_process';
import { CLI } from './paths.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: {
    input?: string | Buffer;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    timeoutMs?: number;
    /** A V8 heap limit in MB: a command whose memory grows with its input runs out of it. */
    heapMb?: number;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const heap = opts.heapMb !== undefined ? [`--max-old-space-size=${opts.heapMb}`] : [];
    const child = spawn(process.execPath, [...heap, CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcpscope ${args.join(' ')} timed out`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A stdio "server" that echoes every line back: each request comes back as its own answer. */
export const ECHO_SERVER =
  "process.stdin.on('data', (c) => process.stdout.write(c)); process.stdin.on('end', () => process.exit(0));";

/** `mcpscope record` over ECHO_SERVER with `count` pings: a capture of 2 × count frames. */
export async function recordEchoPings(
  out: string,
  count: number,
  env: Record<string, string>,
): Promise<CliResult> {
  const input = Array.from(
    { length: count },
    (_, i) => `{"jsonrpc":"2.0","id":${i},"method":"ping"}\n`,
  ).join('');
  return runCli(['record', '--out', out, '--', process.execPath, '-e', ECHO_SERVER], {
    env,
    input,
    timeoutMs: 60_000,
  });
}

/** Run node with these arguments (e.g. a heap limit and a script) and collect what it printed. */
export function runNode(
  nodeArgs: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, nodeArgs, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
