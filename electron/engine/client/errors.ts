// Errors of client mode that callers distinguish: ConnectError means "could not connect" (the CLI
// exits 1 with its message); everything else is an operation failure.

export class ConnectError extends Error {
  constructor(
    message: string,
    /** Last lines the server wrote to stderr (stdio), for the user. */
    readonly stderrTail: string[] = [],
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

/**
 * The SDK prefixes an error response's message with "MCP error N: ", and servers built on the SDK
 * often send a message that already carries it: say it once.
 */
export function tidyRpcMessage(message: string): string {
  return message.replace(/^(MCP error (-?\d+): )(?:MCP error \2: )+/, '$1');
}
