// Secrets and personal data in frames, stderr lines and header values. Patterns run over the raw
// frame text (fast, one pass per pattern); hits are then mapped to the JSON string they sit in.

import { maskPii, maskSecret } from './mask.js';
import {
  RAW_RANGE,
  type Detector,
  type FrameView,
  type TextView,
  type DetectContext,
} from './detector.js';
import { spansAt } from './jsonloc.js';
import { findPii } from './pii.js';
import { findSecrets, type TextHit } from './secrets.js';
import { OWASP_MCP, type Finding, type RuleInfo, type Severity } from './types.js';

const SECRET_REFS = [
  OWASP_MCP.MCP01,
  'https://github.com/secretlint/secretlint',
  'https://github.com/gitleaks/gitleaks',
];
const PII_REFS = [OWASP_MCP.MCP10, 'https://genai.owasp.org/llm-top-10/'];

export const SENSITIVE_RULES: RuleInfo[] = [
  {
    id: 'secret.private-key',
    title: 'Private key',
    category: 'secrets',
    severity: 'critical',
    description:
      'A PEM private key crossed the wire or reached a log. Anyone holding the capture can impersonate its owner. Revoke and rotate the key, and find out why a tool returns or receives key material.',
    references: SECRET_REFS,
  },
  {
    id: 'secret.provider-token',
    title: 'Provider API token',
    category: 'secrets',
    severity: 'high',
    description:
      "A token in a provider's published format (AWS, GitHub, GitLab, Slack, Stripe, OpenAI, Anthropic, Google, npm, SendGrid, Hugging Face) appeared in traffic. Live-format keys are high, live payment keys critical; example and test keys are low. Rotate the token and stop the tool from echoing it.",
    references: SECRET_REFS,
  },
  {
    id: 'secret.jwt',
    title: 'JSON Web Token',
    category: 'secrets',
    severity: 'high',
    description:
      "A signed JWT in a message is a bearer credential until it expires. Treat the capture as sensitive, check the token's lifetime and scope, and keep tokens out of tool arguments and results.",
    references: SECRET_REFS,
  },
  {
    id: 'secret.bearer-token',
    title: 'Bearer token',
    category: 'secrets',
    severity: 'high',
    description:
      'An `Authorization: Bearer …` value appeared in message content or logs, where it can be replayed by anyone who sees it. Rotate it and keep credentials in transport headers only.',
    references: SECRET_REFS,
  },
  {
    id: 'secret.connection-string',
    title: 'Connection string with password',
    category: 'secrets',
    severity: 'critical',
    description:
      'A database/broker URL with an embedded password gives direct access to the data store. Rotate the password and return configuration without credentials.',
    references: SECRET_REFS,
  },
  {
    id: 'secret.url-credentials',
    title: 'Credentials in a URL',
    category: 'secrets',
    severity: 'high',
    description:
      '`scheme://user:password@host` leaks the password into logs, histories and referrers. Rotate it and pass credentials another way.',
    references: SECRET_REFS,
  },
  {
    id: 'secret.generic-assignment',
    title: 'Secret-like value',
    category: 'secrets',
    severity: 'medium',
    description:
      'A key named like a secret (`password`, `api_key`, `token`…) with a value that looks generated (length, character classes, entropy). Confirm whether it is live; if so rotate it.',
    references: SECRET_REFS,
  },
  {
    id: 'secret.secretlint',
    title: 'Secret (secretlint rule)',
    category: 'secrets',
    severity: 'high',
    description:
      "secretlint's recommended preset (run by the engine in the CLI and app) matched a credential format. The message names the secretlint rule. Rotate the credential.",
    references: SECRET_REFS,
  },
  {
    id: 'pii.email',
    title: 'Email address',
    category: 'pii',
    severity: 'low',
    description:
      'A personal email address (reserved example domains excluded). Notable for data-flow review: which servers receive or return personal data.',
    references: PII_REFS,
  },
  {
    id: 'pii.phone',
    title: 'Phone number',
    category: 'pii',
    severity: 'low',
    description:
      'A phone number in international form (+CC …, 9–15 digits). Notable for data-flow review.',
    references: PII_REFS,
  },
  {
    id: 'pii.card',
    title: 'Payment card number',
    category: 'pii',
    severity: 'medium',
    description:
      'A number with a card issuer prefix that passes the Luhn check. Card data in tool traffic is in PCI scope; find out which tool handles it and mask it at the source.',
    references: PII_REFS,
  },
  {
    id: 'pii.iban',
    title: 'IBAN',
    category: 'pii',
    severity: 'medium',
    description:
      'A bank account number that passes the IBAN length and mod-97 checks. Review whether the server needs it.',
    references: PII_REFS,
  },
  {
    id: 'pii.national-id',
    title: 'National identifier (US SSN)',
    category: 'pii',
    severity: 'medium',
    description:
      'A dashed US Social Security number within the allocated ranges. Highly sensitive personal data; mask it at the source.',
    references: PII_REFS,
  },
  {
    id: 'pii.ip',
    title: 'Public IP address',
    category: 'pii',
    severity: 'info',
    description:
      'A public IPv4 address (private, loopback, reserved and documentation ranges excluded). Can identify a person or an internal host; notable only.',
    references: PII_REFS,
  },
];

const ruleInfo = (id: string): RuleInfo => SENSITIVE_RULES.find((r) => r.id === id)!;

function severityOf(h: TextHit, text: string): Severity {
  if (h.weak) return 'low';
  if (h.dataClass === 'secret:stripe-key')
    return text.slice(h.start, h.end).includes('_live_') ? 'critical' : 'medium';
  return ruleInfo(h.rule).severity;
}

function mask(h: TextHit, value: string): string {
  return h.rule.startsWith('pii.') ? maskPii(h.rule.slice(4), value) : maskSecret(value);
}

function describe(h: TextHit, where: string, masked: string): string {
  return `${h.label[0]!.toUpperCase()}${h.label.slice(1)} ${where}: ${masked}.`;
}

function hits(text: string): TextHit[] {
  const secrets = findSecrets(text);
  // Personal data inside a secret (the user@host of a connection string) is part of that secret.
  const pii = findPii(text).filter((p) => !secrets.some((s) => p.start < s.end && s.start < p.end));
  return [...secrets, ...pii];
}

export const sensitiveDetector: Detector = {
  id: 'sensitive',
  rules: SENSITIVE_RULES,
  frame(f: FrameView, ctx: DetectContext) {
    if (f.text === undefined) return [];
    const text = f.text;
    const found = hits(text);
    if (found.length === 0) return [];
    const spans = spansAt(
      text,
      found.map((h) => h.start),
    );
    const method = f.messages[0]?.method;
    const where =
      f.dir === 'c2s'
        ? `sent to the server${method ? ` in ${method}` : ''}`
        : `returned by the server${method ? ` in ${method}` : ''}`;
    return found.map((h, k) => {
      const value = text.slice(h.start, h.end);
      const span = spans[k];
      const target: Finding['target'] = { kind: 'message', seq: f.seq };
      if (ctx.server !== undefined) target.server = ctx.server;
      if (method !== undefined) target.name = method;
      if (span) {
        target.pointer = span.pointer;
        if (span.key) target.key = true;
      }
      target.range = [h.start, h.end];
      const masked = mask(h, value);
      const finding: Finding = {
        rule: h.rule,
        severity: severityOf(h, text),
        title: ruleInfo(h.rule).title,
        message: describe(h, where, masked),
        target,
        evidence: masked,
        dataClass: h.dataClass,
        dir: f.dir,
      };
      RAW_RANGE.add(finding);
      return finding;
    });
  },
  text(t: TextView, ctx: DetectContext) {
    return hits(t.text).map((h) => {
      const value = t.text.slice(h.start, h.end);
      const target: Finding['target'] = { kind: 'server', range: [h.start, h.end] };
      if (t.seq !== undefined) target.seq = t.seq;
      if (ctx.server !== undefined) target.server = ctx.server;
      const masked = mask(h, value);
      const f: Finding = {
        rule: h.rule,
        severity: severityOf(h, t.text),
        title: ruleInfo(h.rule).title,
        message: describe(h, `in ${t.where}`, masked),
        target,
        evidence: masked,
        dataClass: h.dataClass,
      };
      if (t.dir) f.dir = t.dir;
      return f;
    });
  },
};
