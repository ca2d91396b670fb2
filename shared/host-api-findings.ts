// Part of the host API (see host-api.ts): findings of a session, computed by the engine with the
// same pipeline as `mcpscope scan FILE` (every detector, secretlint, in-session rug pulls), so
// the app shows exactly what the CLI reports. The renderer's worker is only a fallback for
// sessions no engine holds (browser-only imports).

import type { Finding } from './detect/types.js';

export interface SessionFindings {
  sessionId: string;
  /** Every finding of the session's capture, in the order the scan produced them. */
  findings: Finding[];
  /** Records of the capture the findings cover (a live session grows; ask again for more). */
  records: number;
}

export interface FindingsCommands {
  /** The findings `mcpscope scan` reports for this session's capture file. */
  getFindings: { args: { sessionId: string }; result: SessionFindings };
  /** The same pipeline over a capture the engine does not hold (imported into the browser's library). */
  scanCapture: { args: { text: string }; result: { findings: Finding[]; records: number } };
}
