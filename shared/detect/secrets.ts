// Secret patterns, run over raw text (a frame's JSON text, a stderr line, a header value).
// Provider tokens follow the published formats (the same shapes secretlint's recommended preset
// and gitleaks' rules use); generic `key = value` pairs need entropy as well as a secret-like key.
// The engine adds secretlint's own preset on top (electron/engine/scan/secretlint.ts).

export interface TextHit {
  rule: string;
  /** Sensitive data class for the data-flow summary. */
  dataClass: string;
  label: string;
  start: number;
  end: number;
  /** Placeholder, example or test value: reported lower. */
  weak?: boolean;
}

interface Pattern {
  rule: string;
  cls: string;
  label: string;
  /** Literal that must occur before the full pattern runs (a cheap indexOf). */
  hint?: string;
  re: RegExp;
  /** Capture group holding the secret itself (0 = whole match). */
  group?: number;
  check?: (value: string, match: RegExpExecArray) => boolean;
}

const PLACEHOLDER =
  /example|sample|dummy|placeholder|x{6,}|\*{3,}|<[^>]*>|\$\{|\{\{|your[_-]?|changeme|redacted|masked|^(.)\1+$/i;

export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const classes = (s: string): number =>
  (/[a-z]/.test(s) ? 1 : 0) +
  (/[A-Z]/.test(s) ? 1 : 0) +
  (/[0-9]/.test(s) ? 1 : 0) +
  (/[^A-Za-z0-9]/.test(s) ? 1 : 0);

const PATTERNS: Pattern[] = [
  {
    rule: 'secret.private-key',
    cls: 'secret:private-key',
    hint: 'PRIVATE KEY',
    label: 'private key',
    re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:aws-access-key',
    label: 'AWS access key id',
    re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:github-token',
    hint: 'gh',
    label: 'GitHub token',
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})\b/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:gitlab-token',
    hint: 'glpat-',
    label: 'GitLab token',
    re: /\bglpat-[A-Za-z0-9_-]{20}\b/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:slack-token',
    hint: 'xox',
    label: 'Slack token',
    re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:slack-webhook',
    hint: 'hooks.slack.com',
    label: 'Slack webhook',
    re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:stripe-key',
    hint: 'k_',
    label: 'Stripe key',
    re: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:anthropic-key',
    hint: 'sk-ant-',
    label: 'Anthropic API key',
    re: /\bsk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{32,}/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:openai-key',
    hint: 'sk-',
    label: 'OpenAI API key',
    re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}\b/g,
    check: (v) => !v.startsWith('sk-ant-') && classes(v) >= 3 && entropy(v) > 4,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:google-api-key',
    hint: 'AIza',
    label: 'Google API key',
    re: /\bAIza[0-9A-Za-z_-]{35}\b/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:npm-token',
    hint: 'npm_',
    label: 'npm token',
    re: /\bnpm_[A-Za-z0-9]{36}\b/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:sendgrid-key',
    hint: 'SG.',
    label: 'SendGrid key',
    re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g,
  },
  {
    rule: 'secret.provider-token',
    cls: 'secret:huggingface-token',
    hint: 'hf_',
    label: 'Hugging Face token',
    re: /\bhf_[A-Za-z0-9]{34,}\b/g,
  },
  {
    rule: 'secret.jwt',
    cls: 'secret:jwt',
    hint: 'eyJ',
    label: 'JSON Web Token',
    re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g,
  },
  {
    rule: 'secret.bearer-token',
    cls: 'secret:bearer',
    hint: 'earer',
    label: 'bearer token',
    group: 1,
    re: /\b[Bb]earer\s+([A-Za-z0-9._~+/-]{20,}=*)/g,
    check: (v) => !v.startsWith('eyJ') && classes(v) >= 2 && entropy(v) > 3.5,
  },
  {
    rule: 'secret.connection-string',
    cls: 'secret:connection-string',
    hint: '://',
    label: 'database connection string with password',
    group: 1,
    re: /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|clickhouse):\/\/[^\s:/@"'\\]+:[^\s@"'\\]+@[^\s/"'\\]+)/g,
    check: (v) =>
      !PLACEHOLDER.test(v.slice(v.indexOf(':', v.indexOf('//')) + 1, v.lastIndexOf('@'))),
  },
  {
    rule: 'secret.url-credentials',
    cls: 'secret:url-credentials',
    hint: '://',
    label: 'credentials in a URL',
    group: 1,
    re: /\b((?:https?|ftp|wss?|git|ssh):\/\/[^\s:/@"'\\]+:[^\s@/"'\\]{3,}@[^\s/"'\\]+)/g,
    check: (v) =>
      !PLACEHOLDER.test(v.slice(v.indexOf(':', v.indexOf('//')) + 1, v.lastIndexOf('@'))),
  },
];

// No global prefilter: one big case-insensitive alternation was slower than every pattern's
// own literal hint (an indexOf) plus the few patterns without one.

// `api_key = "…"`, `"password":"…"`, `token: …` with a value that looks generated. Found from
// the separator backwards: a `:`/`=` followed by a long enough value is rare compared with text
// positions, so the key-name alternation runs on a short prefix only (an anchored-at-key regex
// was the costliest pattern of a scan).
const ASSIGN = /[:=][ \t]*\\?["']?([A-Za-z0-9+/_=.!@#$%^&*~-]{8,200})/g;
const KEY_BEFORE =
  /(?:(?:api|access|secret|private|client|signing|encryption|master|account|app|auth)[_-]?key|apikey|secret|token|password|passwd|pwd|credentials?)\\?["']?[ \t]*$/i;
const NOT_A_VALUE = /^(?:true|false|null|undefined|string|number|object|required)$/i;

/**
 * Cheap necessary condition for KEY_BEFORE before slicing and running it: skipping the spaces,
 * quote and backslash it allows, the character before the separator must end one of its key
 * names (key, secret, token, password/passwd/pwd, credential/credentials: y t n d l s).
 */
function keyMayEndAt(text: string, sep: number): boolean {
  let j = sep - 1;
  while (j >= 0 && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j--;
  if (text.charCodeAt(j) === 0x22 || text.charCodeAt(j) === 0x27) j--;
  if (text.charCodeAt(j) === 0x5c) j--;
  const c = text.charCodeAt(j) | 0x20;
  return c === 0x79 || c === 0x74 || c === 0x6e || c === 0x64 || c === 0x6c || c === 0x73;
}

function genericAssignments(text: string, hits: TextHit[]): void {
  ASSIGN.lastIndex = 0;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = ASSIGN.exec(text)) && guard++ < 5000) {
    if (!keyMayEndAt(text, m.index)) continue;
    const prefix = text.slice(Math.max(0, m.index - 40), m.index);
    const key = KEY_BEFORE.exec(prefix);
    if (!key) continue;
    const v = m[1]!;
    if (PLACEHOLDER.test(v) || NOT_A_VALUE.test(v)) continue;
    const isPassword = /pass|pwd/i.test(key[0]);
    if (!(isPassword ? classes(v) >= 3 : v.length >= 16 && classes(v) >= 2 && entropy(v) >= 3.5))
      continue;
    const start = m.index + m[0].length - v.length;
    const end = start + v.length;
    if (hits.some((h) => start < h.end && end > h.start)) continue;
    hits.push({
      rule: 'secret.generic-assignment',
      dataClass: 'secret:generic',
      label: 'secret value',
      start,
      end,
    });
  }
}

// One pass that tells whether any provider-token prefix occurs at all (most texts have none); only
// then are the per-pattern hints checked. Cheaper than one indexOf per pattern on every text.
// Written as plain literals only (the classes spelled out): V8 runs an uninterrupted list of
// atoms faster (209 vs 266 ms over the bench capture's frames, same process, interleaved).
const TOKEN_GATE =
  /PRIVATE KEY|github_pat_|glpat-|hooks\.slack\.com|sk-|AIza|npm_|SG\.|hf_|eyJ|Bearer|bearer|AKIA|ASIA|ABIA|ACCA|ghp_|gho_|ghu_|ghs_|ghr_|xoxa-|xoxb-|xoxp-|xoxo-|xoxs-|xoxr-|sk_live_|sk_test_|rk_live_|rk_test_/;

/** Find secrets in text. Offsets are into `text`. Overlapping hits keep the more specific one. */
export function findSecrets(text: string): TextHit[] {
  const hits: TextHit[] = [];
  const tokens = TOKEN_GATE.test(text);
  const urls = text.includes('://');
  for (const p of PATTERNS) {
    if (p.hint === '://' ? !urls : !tokens || (p.hint !== undefined && !text.includes(p.hint)))
      continue;
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    let guard = 0;
    while ((m = p.re.exec(text)) && guard++ < 1000) {
      const g = p.group ?? 0;
      const value = m[g];
      if (value === undefined) continue;
      if (p.check && !p.check(value, m)) continue;
      const start = m.index + (g === 0 ? 0 : m[0].indexOf(value));
      const end =
        p.rule === 'secret.private-key' ? privateKeyEnd(text, start) : start + value.length;
      if (hits.some((h) => start < h.end && end > h.start)) continue;
      const weak =
        p.rule !== 'secret.private-key' && /example|EXAMPLE|sample|dummy|test_/.test(value);
      hits.push({
        rule: p.rule,
        dataClass: p.cls,
        label: p.label,
        start,
        end,
        ...(weak ? { weak } : {}),
      });
    }
  }
  genericAssignments(text, hits);
  return hits.sort((a, b) => a.start - b.start);
}

function privateKeyEnd(text: string, start: number): number {
  const end = text.indexOf('PRIVATE KEY-----', text.indexOf('-----END', start));
  const stop = text.indexOf('-----END', start);
  return stop >= 0 && end >= 0
    ? end + 'PRIVATE KEY-----'.length
    : Math.min(text.length, start + 64);
}
