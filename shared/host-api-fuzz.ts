// Part of the host API (see host-api.ts): fuzz campaigns started from the app on a connection's
// server. The campaign runs its own server process (or HTTP session) from the connection's
// target, so the connection itself is never disturbed; it is recorded as its own capture.

import type { ArgMode, FuzzFamily, FuzzFinding, FuzzProgress, FuzzReport } from './fuzz/types.js';

export interface StartFuzzArgs {
  connectionId: string;
  cases?: number;
  seed?: number;
  timeoutMs?: number;
  /** Only these tools (default: every tool that is not destructive). */
  tools?: string[];
  families?: FuzzFamily[];
  modes?: ArgMode[];
  includeDestructive?: boolean;
}

export interface FuzzRunInfo {
  runId: string;
  connectionId: string;
  seed: number;
  /** The capture file the campaign is recorded to. */
  capture: string;
}

export interface FuzzProgressEvent extends FuzzProgress {
  runId: string;
}

export interface FuzzFindingEvent {
  runId: string;
  finding: FuzzFinding;
}

export interface FuzzDoneEvent {
  runId: string;
  report?: FuzzReport;
  /** Why the campaign could not run or stopped early. */
  error?: string;
}

export interface FuzzCommands {
  startFuzz: { args: StartFuzzArgs; result: FuzzRunInfo };
  stopFuzz: { args: { runId: string }; result: { stopped: boolean } };
}

export interface FuzzEvents {
  onFuzzProgress: FuzzProgressEvent;
  /** A finding as soon as it is seen (before minimisation); the final list comes with onFuzzDone. */
  onFuzzFinding: FuzzFindingEvent;
  onFuzzDone: FuzzDoneEvent;
}
