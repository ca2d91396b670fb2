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
