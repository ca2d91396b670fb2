// Part of the host API (see host-api.ts): replaying a session against its live server, and
// serving a session as a mock server. Plain JSON in and out (easy to turn into zod schemas).

import type { JsonValue } from './host-api.js';

export interface ReplaySessionArgs {
  sessionId: string;
  /** JSON pointers whose differences do not count (`*` matches one segment). */
  ignore?: string[];
  /** Per-request wait for an answer in ms (default 10 000). */
  timeoutMs?: number;
}

export interface ReplayDifferenceInfo {
  pointer: string;
  /** Absent: no value on the recorded side. */
  recorded?: JsonValue;
  /** Absent: no value on the replayed side. */
  replayed?: JsonValue;
}

export interface ReplayExchangeInfo {
  seq: number;
  method: string;
  /** The tool, prompt or resource the request named. */
  subject?: string;
  /** `{result}` / `{error}` as recorded (bound values replaced by their live ones). */
  recorded?: JsonValue;
  /** `{result}` / `{error}` as replayed, or `{failure}` when the target died, hung or sent garbage. */
  replayed?: JsonValue;
  differences: ReplayDifferenceInfo[];
}

export interface ReplaySessionResult {
  exchanges: number;
  same: number;
  exchangesDetail: ReplayExchangeInfo[];
  /** A few lines naming the first divergence. */
  summary: string;
  /** The replay's own capture file. */
  capturePath: string;
}

export interface ServeMockArgs {
  sessionId: string;
  /** Reject requests that come out of recorded order. */
  strict?: boolean;
}

export interface MockInfo {
  sessionId: string;
  /** Streamable HTTP URL of the running mock (127.0.0.1, a free port). */
  url: string;
  /** The stdio command a host config can run instead: node + mcpscope + `mock FILE`. */
  argv: string[];
  commandLine: string;
}

export interface ReplayCommands {
  replaySession: { args: ReplaySessionArgs; result: ReplaySessionResult };
  serveMock: { args: ServeMockArgs; result: MockInfo };
  stopMock: { args: { sessionId: string }; result: { stopped: boolean } };
}

export const REPLAY_COMMAND_FLAGS: Record<keyof ReplayCommands, true> = {
  replaySession: true,
  serveMock: true,
  stopMock: true,
};
