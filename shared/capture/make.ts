// Builders of the records several recorders write the same way (the stdio recorder, the remote
// bridge, client mode, the fuzzer): one shape for a failed stream or process call, one for a start.

import { redactArgs } from './redact.js';
import type { ErrorRecord, SpawnRecord } from './types.js';

/** An error record from an Error with an optional errno `code` (ENOENT, EPIPE…). */
export function errorRecord(
  where: string,
  e: { message: string; code?: string | undefined },
): Omit<ErrorRecord, 'seq' | 'ts'> {
  return { type: 'error', where, message: e.message, ...(e.code ? { code: e.code } : {}) };
}

/** The record of a started server process, its arguments redacted. */
export function spawnRecord(
  command: string,
  args: readonly string[],
  pid: number | undefined,
  cwd: string,
): Omit<SpawnRecord, 'seq' | 'ts'> {
  return {
    type: 'spawn',
    command,
    args: redactArgs([...args]),
    ...(pid !== undefined ? { pid } : {}),
    cwd,
  };
}
