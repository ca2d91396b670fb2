// Rules the load probe (`mcpscope load`) reports. They are not detectors over frames: the load
// engine decides them from a run's measurements (shared/load/findings.ts); they live in the
// registry so SARIF and the rules table describe them like every other rule.

import { OWASP_MCP, type RuleInfo } from './types.js';

const DOS_REF =
  'https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices';

export const LOAD_RULES: RuleInfo[] = [
  {
    id: 'transport.no-rate-limit',
    title: 'Remote server without rate limiting',
    category: 'transport',
    severity: 'medium',
    description:
      'A server on a non-loopback address accepted a sustained request rate far above normal interactive use without ever answering 429 (Too Many Requests) or an error. Anyone who can reach it can exhaust it, or the paid APIs behind its tools. Limit requests per client (429 with Retry-After) at the server or a gateway in front of it.',
    references: [OWASP_MCP.MCP07, DOS_REF, 'https://www.rfc-editor.org/rfc/rfc6585#section-4'],
  },
  {
    id: 'server.memory-growth',
    title: 'Memory grows under load',
    category: 'availability',
    severity: 'medium',
    description:
      "The server process's resident memory kept growing roughly in step with the requests it answered, without levelling off: a leak that a steady stream of calls turns into an out-of-memory crash. Find what the request path keeps (caches without bounds, listeners, per-request state) and bound or release it.",
    references: [
      DOS_REF,
      'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/',
    ],
  },
  {
    id: 'server.crash-under-load',
    title: 'Server died under load',
    category: 'availability',
    severity: 'high',
    description:
      "The server exited, or stopped accepting connections for good, while it was being sent requests at the probe's rate. Any client that can send that many requests can take it down for everyone. Look at its stderr and exit status in the capture, fix the crash, and limit the rate it accepts.",
    references: [
      DOS_REF,
      'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/',
    ],
  },
];
