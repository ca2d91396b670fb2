// The redaction engine behind every export. Two passes over a capture: `learn` collects the
// sensitive values the detectors find (secrets, personal data, values under secret-named keys,
// credentials in URLs and command lines), `apply` replaces every occurrence of each value with a
// stable placeholder — the same value gets the same placeholder everywhere in the file, so
// fixtures stay coherent (an id that pairs, a token sent back later) — while JSON frames stay
// valid JSON. Learning before applying means a secret first seen late in the session is also
// masked where it appeared earlier.

import { isSecretHeader } from '../secrets.js';
import { maskPii, maskSecret } from '../detect/mask.js';
import { findPii } from '../detect/pii.js';
import { findSecrets, type TextHit } from '../detect/secrets.js';

/**
 * Key names whose string values are credentials whatever they look like. Not shared/secrets.ts's
 * name list on purpose: that one matches anywhere in a header or flag name, while this runs on
 * every JSON key of arbitrary server data and must match only at the end of the key ("apiKey",
 * "client_secret"), never "author" or "tokenizer". Header names still use the shared list.
 */
const SECRET_KEY =
  /(?:^|[-_.\s]|[a-z](?=[A-Z]))(?:api[-_]?key|apikey|token|secret|passw(?:or)?d|passphrase|pwd|credentials?|private[-_]?key|client[-_]?secret|auth(?:orization)?|cookie|session[-_]?(?:id|key|token))$/i;
/** Cheap gate: a frame with none of these key fragments needs no JSON walk for key-named values. */
const KEY_GATE = /key|token|secret|pass|pwd|credential|auth|cookie|session/i;
/** Values that are obviously not secrets even under a secret-named key. */
const NOT_SECRET =
  /^(?:true|false|null|undefined|none|string|number|object|bearer|basic|required|optional|\[REDACTED[^\]]*\]|\*+|x+|\.{3}|…)$/i;

export interface LearnedValue {
  placeholder: string;
  /** `secret:github-token`, `pii:email`, `secret:key-named`… */
  dataClass: string;
  /** Safe preview of the value (a prefix and the length, or the shape of personal data). */
  masked: string;
  /** Replacements made with this placeholder. */
  count: number;
}

export interface RedactionSummary {
  /** Distinct values masked. */
  values: number;
  /** Replacements made (a value that occurs five times counts five). */
  replacements: number;
  /** Rule families used, for the capture header. */
  rules: string[];
  /** What was masked, by placeholder (safe to show: no value in clear). */
  masked: LearnedValue[];
}

export const REDACTION_RULES = [
  'detectors: secrets (provider tokens, private keys, JWTs, bearer tokens, connection strings, URL credentials, secret-like assignments)',
  'detectors: personal data (emails, phone numbers, payment cards, IBANs, national ids, public IPs)',
  'values of secret-named JSON keys and HTTP headers',
  'command-line secrets (--token=…, -H "Authorization: …", URL userinfo and secret query parameters)',
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ALNUM = /[A-Za-z0-9]/;
const jsonEscaped = (v: string) => JSON.stringify(v).slice(1, -1);

export class Redactor {
  private readonly values = new Map<string, LearnedValue>();
  private readonly perClass = new Map<string, number>();
  private pattern: RegExp | undefined;
  private probe: RegExp | undefined;
  private dirty = false;
  private replacements = 0;

  /** Register one sensitive value (also used by the engine for secretlint's hits). */
  learn(value: string, dataClass: string): void {
    const v = value.trim();
    if (v.length < 4 || NOT_SECRET.test(v) || this.values.has(v)) return;
    const kind = dataClass.replace(/^(?:secret|pii):/, '');
    const n = (this.perClass.get(kind) ?? 0) + 1;
    this.perClass.set(kind, n);
    const masked = dataClass.startsWith('pii:') ? maskPii(kind, v) : maskSecret(v);
    this.values.set(v, { placeholder: `[REDACTED:${kind}:${n}]`, dataClass, masked, count: 0 });
    this.dirty = true;
  }

  /** Learn from free text (stderr, an error message, a header value). */
  learnText(text: string): void {
    for (const h of hitsIn(text)) this.learnRaw(text.slice(h.start, h.end), h.dataClass);
  }

  /**
   * A detector's match as it stands in raw text (possibly JSON-escaped): the secret part of it
   * (a URL's password rather than the whole URL), unescaped.
   */
  learnRaw(raw: string, dataClass: string): void {
    this.learn(unescapeJson(secretPart(raw, dataClass)), dataClass);
  }

  /**
   * Learn from a frame's text: detector hits in the raw text (skipped with `detected` when the
   * caller already learned the detectors' findings for it), then values under secret-named keys.
   */
  learnFrame(text: string, detected = false): void {
    if (!detected)
      for (const h of hitsIn(text)) this.learnRaw(text.slice(h.start, h.end), h.dataClass);
    if (!KEY_GATE.test(text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    this.learnKeyed(value, 0);
  }

  /** Learn from a command line: flag values and URL credentials the detectors would not see. */
  learnArgs(args: readonly string[]): void {
    let next = false;
    for (const a of args) {
      if (next) {
        this.learnFlagValue(a);
        next = false;
        continue;
      }
      const eq = /^(-{1,2}[A-Za-z0-9_.-]+)=(.*)$/s.exec(a);
      if (eq && SECRET_KEY.test(eq[1]!.replace(/^-+/, '')))
        this.learn(eq[2]!, 'secret:command-line');
      else if (/^(?:-H|--header)$/.test(a)) next = true;
      else if (/^--?[A-Za-z]/.test(a) && SECRET_KEY.test(a.replace(/^-+/, ''))) next = true;
      else if (/^[A-Z_][A-Z0-9_]*=/.test(a)) {
        const i = a.indexOf('=');
        if (SECRET_KEY.test(a.slice(0, i))) this.learn(a.slice(i + 1), 'secret:command-line');
      }
      this.learnUrl(a);
      this.learnText(a);
    }
  }

  /** Credentials in a URL: userinfo password and secret-named query parameters. */
  learnUrl(text: string): void {
    for (const m of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi)) {
      let u: URL;
      try {
        u = new URL(m[0]);
      } catch {
        continue;
      }
      if (u.password) {
        this.learn(u.password, 'secret:url-credentials');
        this.learn(safeDecode(u.password), 'secret:url-credentials');
      }
      for (const [k, v] of u.searchParams)
        if (SECRET_KEY.test(k)) this.learn(v, 'secret:url-parameter');
    }
    const q = /[?&]([^=&#\s]+)=([^&#\s"']+)/g;
    for (const m of text.matchAll(q))
      if (SECRET_KEY.test(m[1]!)) this.learn(safeDecode(m[2]!), 'secret:url-parameter');
  }

  /** An HTTP header: secret-named headers are credentials whole (scheme kept visible). */
  learnHeader(name: string, value: string): void {
    if (isSecretHeader(name)) {
      const scheme = /^([A-Za-z][A-Za-z0-9._~+-]*)\s+(\S.*)$/.exec(value);
      if (scheme && /^(?:authorization|proxy-authorization)$/i.test(name))
        this.learn(scheme[2]!, 'secret:http-header');
      else if (/^(?:set-)?cookie$/i.test(name)) {
        for (const part of value.split(/[;\n]/)) {
          const eq = part.indexOf('=');
          if (
            eq > 0 &&
            !/^\s*(?:path|domain|expires|max-age|samesite)\s*$/i.test(part.slice(0, eq))
          )
            this.learn(part.slice(eq + 1), 'secret:cookie');
        }
      } else this.learn(value, 'secret:http-header');
    }
    this.learnText(value);
  }

  /** Replace every learned value in plain text. */
  apply(text: string): string {
    const re = this.regex();
    if (!re) return text;
    re.lastIndex = 0;
    return text.replace(re, (m) => this.hit(m));
  }

  /** Replace learned values in a frame; JSON stays valid (values are replaced inside its strings). */
  applyFrame(text: string): string {
    const probe = this.probeRegex();
    if (!probe) return text;
    probe.lastIndex = 0;
    if (!probe.test(text)) return text;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.apply(text);
    }
    const before = this.replacements;
    const out = this.applyValue(value);
    return this.replacements === before ? text : JSON.stringify(out);
  }

  /** Distinct values learned so far. */
  get learned(): number {
    return this.values.size;
  }

  summary(): RedactionSummary {
    const masked = [...this.values.values()].filter((v) => v.count > 0);
    return {
      values: masked.length,
      replacements: this.replacements,
      rules: REDACTION_RULES,
      masked,
    };
  }

  private hit(m: string): string {
    const v = this.values.get(m);
    if (!v) return m;
    v.count++;
    this.replacements++;
    return v.placeholder;
  }

  private applyValue(v: unknown): unknown {
    if (typeof v === 'string') return this.apply(v);
    if (Array.isArray(v)) return v.map((x) => this.applyValue(x));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        // defineProperty: a key named "__proto__" stays an own data property.
        Object.defineProperty(out, this.apply(k), {
          value: this.applyValue(x),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  }

  private learnKeyed(v: unknown, depth: number): void {
    if (depth > 64) return;
    if (Array.isArray(v)) {
      for (const x of v) this.learnKeyed(x, depth + 1);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === 'string' && SECRET_KEY.test(k) && !isSchemaWord(k, x))
          this.learn(x, 'secret:key-named');
        else this.learnKeyed(x, depth + 1);
      }
    }
  }

  private learnFlagValue(a: string): void {
    const header = /^\s*([A-Za-z0-9-]+)\s*:\s*(.*)$/s.exec(a);
    if (header) this.learnHeader(header[1]!, header[2]!);
    else this.learn(a, 'secret:command-line');
  }

  private regex(): RegExp | undefined {
    if (this.dirty) this.rebuild();
    return this.pattern;
  }

  private probeRegex(): RegExp | undefined {
    if (this.dirty) this.rebuild();
    return this.probe;
  }

  private rebuild(): void {
    this.dirty = false;
    const vals = [...this.values.keys()].sort((a, b) => b.length - a.length);
    if (vals.length === 0) {
      this.pattern = this.probe = undefined;
      return;
    }
    const bounded = (v: string) =>
      `${ALNUM.test(v[0]!) ? '(?<![A-Za-z0-9])' : ''}${escapeRe(v)}${ALNUM.test(v[v.length - 1]!) ? '(?![A-Za-z0-9])' : ''}`;
    this.pattern = new RegExp(vals.map(bounded).join('|'), 'g');
    // The probe also finds a value in its JSON-escaped form (a private key's newlines are `\n` in the frame).
    const forms = new Set(vals.flatMap((v) => [v, jsonEscaped(v)]));
    this.probe = new RegExp([...forms].map(escapeRe).join('|'), 'g');
  }
}

/** Schema text such as `"token": "string"` or a description that merely names a secret field. */
function isSchemaWord(key: string, value: string): boolean {
  return (
    /^(?:type|format|description|title)$/i.test(key) || value.length > 200 || /\s\S+\s/.test(value)
  );
}

function hitsIn(text: string): TextHit[] {
  return [...findSecrets(text), ...findPii(text)];
}

/** The part of a hit that is the secret itself: a URL's password rather than the whole URL. */
function secretPart(v: string, dataClass: string): string {
  if (dataClass === 'secret:url-credentials' || dataClass === 'secret:connection-string') {
    const at = v.lastIndexOf('@');
    const colon = v.indexOf(':', v.indexOf('//') + 2);
    if (at > colon && colon > 0) return v.slice(colon + 1, at);
  }
  return v;
}

function unescapeJson(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    const v: unknown = JSON.parse(`"${raw}"`);
    return typeof v === 'string' ? v : raw;
  } catch {
    return raw;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
