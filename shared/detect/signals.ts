// Signals of instructions aimed at the model, shared by the metadata scorer (poisoning.ts) and
// the results scorer (injection.ts). What an instruction asks comes from the intent model
// (intent/model.ts); this file adds the structural signals (markup, chat-template markers, shell
// pipelines, data-carrying links, encodings) and the combined score. Markup, emphasis and a
// named secret are modifiers: `<important_notes>` in a database server's docs, "IMPORTANT" or a
// lint tool explaining `.env` score nothing on their own.

import { encodedIntent, intentSignals, type IntentOptions } from './intent/model.js';

export type SignalKind =
  | 'markup'
  | 'role-marker'
  | 'concealment'
  | 'override'
  | 'sensitive-transfer'
  | 'sensitive-ref'
  | 'harvest'
  | 'cross-tool'
  | 'exfil-link'
  | 'encoded'
  | 'emphasis'
  | 'pre-use'
  | 'addresses-ai'
  | 'tool-call'
  | 'line-jump';

export interface Signal {
  kind: SignalKind;
  weight: number;
  /** Decoded offsets in the string the signal was found in. */
  start: number;
  end: number;
  note: string;
}

interface SignalPattern {
  kind: SignalKind;
  weight: number;
  re: RegExp;
  note: string;
}

const MARKUP_TAGS =
  'important|system|instructions?|secret|hidden|admin|note|context|assistant|user|tool_?call|rules?|critical|override|prompt|internal|private|directive|policy|sys';

const PATTERNS: SignalPattern[] = [
  // Any pseudo-tag is a modifier: real servers use <examples>, <hints>, <important_notes> as headings.
  {
    kind: 'markup',
    weight: 1,
    note: 'instruction markup',
    re: new RegExp(`<\\s*/?\\s*(?:${MARKUP_TAGS})(?:[\\s_-][^<>]{0,30})?\\s*>`, 'gi'),
  },
  {
    kind: 'markup',
    weight: 1,
    note: 'instruction markup',
    re: /\[\s*(?:hidden|system|important|admin|secret|internal)(?: (?:note|instructions?|message))?\s*\]|\{\{\s*(?:system|secret|hidden)[^}]{0,20}\}\}/gi,
  },
  { kind: 'markup', weight: 1, note: 'text in an HTML comment', re: /<!--[\s\S]{8,2000}?-->/g },
  {
    kind: 'role-marker',
    weight: 4,
    note: 'chat-template role marker',
    re: /\[\/?INST\]|<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id)\|>|<<\/?SYS>>|<\/?(?:start_of_turn|end_of_turn)>/gi,
  },
  {
    kind: 'role-marker',
    weight: 1,
    note: 'conversation role prefix',
    re: /(?:^|\n)\s*(?:#{1,3}\s*)?(?:system|assistant|human)\s*(?:message|prompt)?\s*:/gi,
  },
  {
    kind: 'tool-call',
    weight: 3,
    note: 'tells the model to run a shell pipeline that fetches or sends',
    re: /\bcurl\s+[^\n]{0,60}(?:-d|--data|-F|--upload-file|-T)\s+@|\bwget\s+--post-file\b|\b(?:curl|wget)\s+[^\n|]{0,120}\|\s*(?:ba|z)?sh\b|\benv\s*\|\s*base64\b/gi,
  },
  {
    kind: 'tool-call',
    weight: 3,
    note: 'tells the model to run a destructive or fetching shell command',
    re: /\b(?:run|execute|exec)\s+(?:the\s+)?(?:command\s+)?`?(?:chmod\s+-R|chown\s+-R|rm\s+-rf?\s+[~/]|curl\s+\S+\s*\||wget\s+\S+\s*\||sh\s+-c|nc\s+-e|powershell\s+-enc|base64\s+-d)/gi,
  },
  {
    kind: 'emphasis',
    weight: 1,
    note: 'emphatic wording',
    re: /\b(?:IMPORTANT|CRITICAL|MANDATORY|MUST|ALWAYS|NEVER)\b|!{3,}/g,
  },
];

export const EXFIL_LINK =
  /!?\[[^\]\n]{0,80}\]\(\s*(https?:\/\/[^\s)]{1,2000})[^)]{0,200}\)|https?:\/\/[^\s)"'`?&#]{1,500}[?&#][^\s)"'`]{0,1000}?(?:<[^>]{1,80}>|\{[^}]{1,80}\}|\$\{?\w+|%s|\[[^\]]{1,40}\])|https?:\/\/[^\s)"'`?]{1,500}\?(?:[\w-]{1,40}=[\w-]{0,200}&){0,20}[\w-]{1,40}=(?=[\s)"'`]|$)/gi;
const LINK_DATA =
  /<[^>]{1,80}>|\{[^}]{1,80}\}|\$\{?\w+|%s|\b(?:user|message|conversation|chat|history|data|secret|token|key|password|content|answer|prompt|context|email|url-?encoded|base64)\b/i;

// Prose worth matching: most strings in a schema are short identifiers.
const PROSE_WORD = /[a-z]{2}|[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/i;
const PROSE_MARK = /[<[{|]/;
const isProse = (s: string): boolean =>
  (/\s/.test(s) && PROSE_WORD.test(s)) ||
  PROSE_MARK.test(s) ||
  /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{4}/.test(s);
// Signals are looked for in the first MAX_CHARS of a string: every pattern is linear, but a
// hostile multi-megabyte description should not cost more than a bounded slice.
const MAX_CHARS = 200_000;
const SEND_WORD =
  /\b(?:pass|send|include|forward|paste|attach|upload|append|put|post|embed|copy|insert|leak|exfiltrate|transmit|submit|log)\b/i;

const WRAPPER =
  /^(?:important|instructions?|system|sys|secret|hidden|admin|directive|override|critical)$/;
const DIRECTIVE =
  /\b(?:always|never|must|do not|don't|ignore|answer|respond|reply|add|call|send|include|read|use|run|before|after|you)\b/i;

export interface SignalOptions {
  /** The string describes a parameter: asking for conversation content here IS the request. */
  paramDescription?: boolean;
  /** Content a server returned (tool results, errors): addressing the model counts more. */
  traffic?: boolean;
  /** The string is a tool or parameter name: read its words. */
  identifier?: IntentOptions['identifier'];
  /** Tools of the same server (naming them is guidance). */
  ownTools?: ReadonlySet<string>;
}

/** Find every signal in one string. `params` are the item's parameter names (destinations). */
export function findSignals(
  full: string,
  params: ReadonlySet<string> = new Set(),
  opts: SignalOptions = {},
): Signal[] {
  const s = full.length > MAX_CHARS ? full.slice(0, MAX_CHARS) : full;
  const intentOpts: IntentOptions = { params, ...opts };
  if (opts.identifier) return intentSignals(s, intentOpts);
  if (s.length < 6 || !isProse(s)) return s.length >= 20 ? encodedIntent(s, intentOpts) : [];
  const out: Signal[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    let guard = 0;
    while ((m = p.re.exec(s)) && guard++ < 200) {
      if (m[0].length === 0) {
        p.re.lastIndex++;
        continue;
      }
      out.push({
        kind: p.kind,
        weight: p.weight,
        start: m.index,
        end: m.index + m[0].length,
        note: `${p.note}: "${m[0].trim().slice(0, 80)}"`,
      });
    }
  }
  out.push(...intentSignals(s, intentOpts));
  EXFIL_LINK.lastIndex = 0;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = EXFIL_LINK.exec(s)) && guard++ < 50) {
    const isImage = m[0].startsWith('!');
    const url = m[1] ?? m[0];
    const q = url.indexOf('?');
    const data = LINK_DATA.test(q >= 0 ? url.slice(q) : '') || /<[^>]+>|\{[^}]+\}/.test(m[0]);
    const emptyValue = /[?&][\w-]+=$/.test(url) && SEND_WORD.test(s);
    if (data || emptyValue || (isImage && /url-?encoded|append|include/i.test(s))) {
      out.push({
        kind: 'exfil-link',
        weight: 4,
        start: m.index,
        end: m.index + m[0].length,
        note: `link that carries data in its URL: "${m[0].slice(0, 120)}"`,
      });
    }
  }
  // A pseudo-tag that opens and closes around text wraps something: a little stronger, still a modifier.
  const tags = out.filter((x) => x.kind === 'markup');
  for (const open of tags) {
    const name = /^<\s*([a-z_]+)/i.exec(s.slice(open.start, open.end))?.[1]?.toLowerCase();
    const close = name
      ? tags.find(
          (c) =>
            c.start > open.end &&
            new RegExp(`^<\\s*/\\s*${name}\\s*>`, 'i').test(s.slice(c.start, c.end)),
        )
      : undefined;
    if (!name || !close) continue;
    open.weight = 2;
    // <IMPORTANT>, <SYSTEM>, <instructions> wrapped around a directive is the tool-poisoning shape;
    // headings such as <important_notes> or <examples> stay modifiers.
    if (WRAPPER.test(name) && DIRECTIVE.test(s.slice(open.end, close.start))) {
      open.kind = /^(?:system|sys|admin)$/.test(name) ? 'role-marker' : 'markup';
      // Tags that claim to be instructions or the system rate higher than emphasis tags.
      open.weight = /^(?:important|critical)$/.test(name) ? 3 : 4;
    }
  }
  out.push(...encodedIntent(s, intentOpts));
  return out.filter((x) => x.weight > 0);
}

const MODIFIERS = new Set<SignalKind>([
  'emphasis',
  'sensitive-ref',
  'pre-use',
  'markup',
  'addresses-ai',
]);

/** Combined score: the strongest signal of each kind, plus +1 for each extra distinct match (capped). */
export function score(signals: Signal[]): number {
  const byKind = new Map<SignalKind, Signal[]>();
  for (const x of signals) byKind.set(x.kind, [...(byKind.get(x.kind) ?? []), x]);
  let total = 0;
  let strong = 0;
  for (const [kind, xs] of byKind) {
    const max = Math.max(...xs.map((x) => x.weight));
    const distinct = new Set(xs.map((x) => x.note)).size;
    total += Math.min(max + distinct - 1, max + 2);
    if ((!MODIFIERS.has(kind) || kind === 'markup') && max >= 3) strong++;
  }
  // Emphasis, markup, addressing the model and named secrets only count next to a real signal.
  if (strong === 0) return 0;
  return total;
}
