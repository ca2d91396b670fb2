// Stop signals while a recorder sinks into the team store. The recorders (stdio, HTTP, bridge)
// stop on SIGINT/SIGTERM/SIGHUP and remove their handlers once the capture is complete; the sink's
// final push runs after that. Without a handler of its own a host's SIGTERM (the MCP SDK's stdio
// client sends one 2 s after closing stdin) would kill the process in the middle of that push.
// So while the sink lives: the first stop signal gives the final push at most STOP_GRACE_MS, a
// second one ends it at once. Either way the push is one transaction: what does not commit is
// rolled back and the session stays incomplete in the store, listed by `sessions` and completed
// by `mcpscope push FILE --to URL`.

import type { StoreSink } from './sink.js';

/** How long the final push may take after a stop signal. */
export const STOP_GRACE_MS = 10_000;

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Installs the handlers; returns the function that removes them. */
export function guardSinkShutdown(
  sink: StoreSink,
  note: (line: string) => void,
  graceMs = STOP_GRACE_MS,
): () => void {
  let count = 0;
  const handlers = STOP_SIGNALS.map((sig) => {
    const h = (): void => {
      count++;
      if (count === 1) {
        sink.hurry(graceMs);
        note(
          `mcpscope: ${sig}: the team store gets at most ${graceMs / 1000} s to store the rest of the session (${sig} again stops at once and leaves it incomplete there)`,
        );
      } else sink.abort(`${sig} received again`);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}
