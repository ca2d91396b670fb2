// Which live server a replay talks to: the one the user names, or the recorded source.

import type { CaptureSource } from '../../../shared/capture/index.js';
import type { ServerTarget } from '../client/types.js';

export class ReplayTargetError extends Error {}

const REDACTED = /\[REDACTED\]|REDACTED/;

/** The recorded source as a target, or an error saying why it cannot be used and what to do. */
export function targetFromSource(source: CaptureSource | undefined): ServerTarget {
  if (!source)
    throw new ReplayTargetError(
      'the capture has no header naming its server; give the target: -- CMD [ARGS…] or --url URL',
    );
  const cmd = source.command;
  if (cmd && cmd.length > 0) {
    if (cmd.some((a) => REDACTED.test(a))) {
      throw new ReplayTargetError(
        `the recorded command has redacted (secret) arguments: ${cmd.join(' ')}\nGive the real command after --: mcpscope replay FILE -- CMD [ARGS…]`,
      );
    }
    const t: ServerTarget = { transport: 'stdio', command: cmd[0]!, args: cmd.slice(1) };
    if (source.cwd !== undefined) t.cwd = source.cwd;
    return t;
  }
  if (source.url !== undefined) {
    if (REDACTED.test(source.url))
      throw new ReplayTargetError(
        `the recorded URL has redacted credentials: ${source.url}\nGive the real URL with --url URL`,
      );
    return source.transport === 'sse'
      ? { transport: 'sse', url: source.url }
      : { transport: 'streamable-http', url: source.url };
  }
  throw new ReplayTargetError(
    'the capture does not say how to reach its server; give the target: -- CMD [ARGS…] or --url URL',
  );
}
