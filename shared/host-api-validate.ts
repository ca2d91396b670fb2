// Part of the host API (see host-api.ts): tool-argument validation, done by the engine (ajv, in a
// worker with a time budget) so a server's schema never runs on the UI thread.

export interface ValidateToolArgsArgs {
  /** The tool's input schema, as the server sent it. */
  schema: unknown;
  arguments: unknown;
}

export interface ValidateToolArgsResult {
  errors: { path: string; message: string }[];
  /** The time budget ran out (a pathological pattern?): not fully checked. */
  timedOut?: boolean;
  /** The schema could not be compiled (the server's problem; the call may still be tried). */
  schemaError?: string;
}
