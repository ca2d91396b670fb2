// Every process mcpscope starts goes through here: cross-spawn (what the MCP SDK uses), so
// `record -- npx …` and `-- uvx …` work on Windows too (.cmd shims, PATHEXT, quoting), and one
// description of a failed start, so every command explains it the same way.

import type { ChildProcess, SpawnOptions } from 'node:child_process';
import crossSpawn from 'cross-spawn';
import type { StdioTarget } from '../../shared/target.js';

export function spawnProcess(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): ChildProcess {
  return crossSpawn(command, [...args], options);
}

/**
 * A stdio server target as the fuzzer and the load generator start it: all three streams piped,
 * the target's env over ours, its cwd, no console window on Windows.
 */
export function spawnStdioTarget(target: StdioTarget): ChildProcess {
  return spawnProcess(target.command, target.args ?? [], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...target.env },
    cwd: target.cwd,
    windowsHide: true,
  });
}

/** Why `command` could not be started, and what to do. */
export function describeSpawnError(command: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') {
    return `cannot start "${command}": command not found (ENOENT). Check the spelling, that it is installed, and that it is on PATH.`;
  }
  if (err.code === 'EACCES') {
    return `cannot start "${command}": permission denied (EACCES). Make it executable (chmod +x) or run it through its interpreter.`;
  }
  return `cannot start "${command}": ${err.message}`;
}

/** The shell's convention for a command that could not be run: 127 not found, 126 not executable. */
export function spawnFailureExit(err: NodeJS.ErrnoException): number {
  return err.code === 'ENOENT' ? 127 : 126;
}
