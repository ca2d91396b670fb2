// TODO(issue 5): being implemented now; the signature is the contract.
import type { InspectOptions, InspectResult, ServerTarget } from './types.js';

/** Connect, list everything (every page), disconnect. Throws ConnectError when it cannot connect. */
export function inspectTarget(_target: ServerTarget, _opts: InspectOptions = {}): Promise<InspectResult> {
  throw new Error('TODO');
}
