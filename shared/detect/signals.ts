// Signals of instructions aimed at the model, shared by the metadata scorer (poisoning.ts) and
// the results scorer (injection.ts). Each signal has a weight; findings come from the combined
// score, never from one emphatic word: "IMPORTANT", an enum value `ignore`, a same-server
// "use X instead" or a lint tool explaining `.env` score nothing on their own.

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
  | 'tool-call';

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

const MARKUP_TAGS = 'important|system|instructions?|secret|hidden|admin|note|context|assistant|user|tool_?call|rules?|critical|override|prompt|internal|private|directive|policy|sys';

const PATTERNS: SignalPattern[] = [
  { kind: 'markup', weight: 3, note: 'hidden-instruction markup', re: new RegExp(`<\\s*/?\\s*(?:${MARKUP_TAGS})(?:[\\s_-][^<>]{0,30})?\\s*>`, 'gi') },
  { kind: 'markup', weight: 3, note: 'hidden-instruction markup', re: /\[\s*(?:hidden|system|important|admin|secret|internal)(?: (?:note|instructions?|message))?\s*\]|\{\{\s*(?:system|secret|hidden)[^}]{0,20}\}\}/gi },
  { kind: 'markup', weight: 2, note: 'text in an HTML comment', re: /<!--[\s\S]{8,2000}?-->/g },
  { kind: 'role-marker', weight: 4, note: 'chat-template role marker', re: /\[\/?INST\]|<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id)\|>|<<\/?SYS>>|<\/?(?:start_of_turn|end_of_turn)>/gi },
  { kind: 'role-marker', weight: 2, note: 'conversation role prefix', re: /(?:^|\n)\s*(?:#{1,3}\s*)?(?:system|assistant|human)\s*(?:message|prompt)?\s*:/gi },
  {
    kind: 'concealment', weight: 3, note: 'asks to hide something from the user',
    re: /\b(?:do not|don't|dont|never|must not|mustn't|should not|shouldn't|without)\s+(?:ever\s+)?(?:mention(?:ing)?|tell(?:ing)?|inform(?:ing)?|notify(?:ing)?|reveal(?:ing)?|disclos(?:e|ing)|alert(?:ing)?|let(?:ting)?\s+(?:the\s+)?user\s+know|show(?:ing)?\s+(?:this|it|that)\s+to\s+the\s+user)\b/gi,
  },
  { kind: 'concealment', weight: 3, note: 'asks to hide something from the user', re: /\b(?:the\s+)?user\s+(?:must|should|need|needs to|must never|should never)\s*(?:not|n't)?\s+(?:be\s+)?(?:told|know|notice|see|informed|aware|find out)\b|\b(?:hidden|hide (?:this|it))\s+from\s+the\s+user\b|\bkeep\s+(?:this|it|these)\s+(?:a\s+)?(?:secret|hidden|confidential)\b|\bbehind\s+the\s+user'?s\s+back\b|\b(?:the\s+)?user\s+(?:does|do)\s*(?:not|n't)\s+need\s+to\s+know\b|\bkeep\s+(?:this|it)\s+between\s+us\b|\bwithout\s+(?:the\s+user'?s?\s+)?(?:knowledge|noticing|consent)\b|\b(?:secretly|covertly|surreptitiously)\b/gi },
  {
    kind: 'override', weight: 3, note: 'tries to override instructions or the user',
    re: /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|earlier|above|preceding|other|original|existing|user'?s?|system|safety)?\s*(?:instructions?|prompts?|rules|guidelines|guardrails|directions?|polic(?:y|ies)|restrictions|requests?|messages?)\b/gi,
  },
  { kind: 'override', weight: 3, note: 'claims authority over the user or system', re: /\b(?:you are|act as|you're)\s+(?:now\s+)?(?:the\s+)?(?:primary|ultimate|highest|sole|supreme|new|real)\s+(?:authority|system|administrator|admin|controller)\b|\b(?:takes?|has|have)\s+(?:precedence|priority)\s+over\s+(?:the\s+)?(?:user|system|any|all|other)/gi },
  { kind: 'override', weight: 2, note: 'redefines the model\'s behaviour', re: /\bfrom\s+now\s+on,?\s+(?:you|always|never|the\s+assistant)\b|\byou\s+(?:must|will)\s+now\s+(?:act|behave|respond|obey)\b|\bsystem\s+override\b/gi },
  { kind: 'override', weight: 3, note: 'declares a new policy', re: /\bnew\s+(?:system\s+)?(?:policy|instructions?|rules?|directives?)\s*:/gi },
  { kind: 'override', weight: 2, note: 'sides against the user', re: /\b(?:instructions?|requests?)\s+from\s+the\s+user\s+that\s+conflicts?\b|\bconflicts?\s+with\s+this\s+(?:server|tool)\b/gi },
  { kind: 'override', weight: 2, note: 'removes confirmation', re: /\b(?:approve|accept|allow|execute|run|perform|confirm)\s+(?:every|all|any)\b[^.\n]{0,40}\bwithout\s+(?:asking|confirmation|confirming|permission|approval|review)/gi },
  { kind: 'harvest', weight: 4, note: 'asks for conversation or context content', re: /\b(?:entire|whole|full|complete|previous|prior|all|every|recent)\b[^.\n]{0,30}\b(?:conversation|chat|messages?|context|history|system prompt|transcript)\b|\b(?:conversation|chat)\s+(?:history|log|transcript)\b|\bsystem\s+prompt\b|\bevery\s+message\s+you\b|\bthe\s+user'?s\s+(?:last|previous|latest)\s+(?:message|question|prompt)\b/gi },
  { kind: 'sensitive-ref', weight: 1, note: 'names a sensitive file or secret', re: /~\/\.ssh\b|\.ssh\/|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\.aws\/credentials|\.config\/gcloud|\bcredentials\.(?:db|json)\b|\/etc\/(?:passwd|shadow)|\.npmrc\b|\.netrc\b|\.pgpass\b|\.kube\/config|\.docker\/config\.json|\.git-credentials|\bwallet\.dat\b|(?<![\w-])\.env\b|\bmcp\.json\b|claude_desktop_config\.json|\bprivate\s+keys?\b|\bapi[_ -]?keys?\b|\b(?:access\s+|auth\s+|bearer\s+|session\s+)?tokens?\s+from\s+the\s+environment\b|\benvironment\s+variables?\b|\b(?:credentials|passwords|secrets|cookies|ssh\s+keys?)\b/gi },
  { kind: 'sensitive-transfer', weight: 4, note: 'asks for the contents of a sensitive file', re: /\b(?:provide|send|include|pass|attach|paste|upload|give|share|forward|post|append)\s+(?:me\s+|us\s+)?(?:the\s+|its\s+)?(?:full\s+|entire\s+|raw\s+)?contents?\s+of\s+[^.\n]{0,40}?(?:~\/\.|\/etc\/(?:passwd|shadow)|id_(?:rsa|dsa|ecdsa|ed25519)|\.ssh\b|\.aws\b|(?<![\w-])\.env\b|credentials|\.npmrc|\.netrc|\.kube|\.git-credentials|wallet)/gi },
  { kind: 'tool-call', weight: 3, note: 'tells the model to run a shell command', re: /\b(?:run|execute|exec)\s+(?:the\s+)?(?:command\s+)?`?(?:chmod|chown|rm\s+-|curl|wget|bash|sh\s+-c|nc|netcat|powershell|python\s+-c|eval|base64\s+-d)\b/gi },
  { kind: 'override', weight: 2, note: 'claims to speak for the system or vendor', re: /\b(?:message|note|instructions?|directive|notice)s?\s+from\s+(?:the\s+)?(?:system(?:\s+administrator)?|developers?|administrators?|admin|anthropic|openai|security\s+team)\b/gi },
  { kind: 'pre-use', weight: 1, note: 'gives a precondition before using the tool', re: /\bbefore\s+(?:using|calling|running|executing|invoking|you\s+(?:use|call|run))\s+(?:this|the|any)\s+(?:tool|function)\b|\b(?:first|always)\s+(?:read|open|load|fetch|call|run)\b/gi },
  { kind: 'emphasis', weight: 1, note: 'emphatic wording', re: /\b(?:IMPORTANT|CRITICAL|MANDATORY|MUST|ALWAYS|NEVER)\b|!{3,}/g },
  { kind: 'addresses-ai', weight: 2, note: 'speaks to the AI directly', re: /\b(?:AI|assistant|agent|LLM|language model|Claude|ChatGPT|GPT|Copilot|Gemini)s?\b[^.\n]{0,24}\b(?:reading|processing|parsing|summari[sz]ing)\s+this\b|\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:AI|assistant|agent|LLM|model)s?\b|\b(?:dear|attention|hey)\s+(?:AI|assistant|agent|LLM|model)\b|(?:^|\n)\s*(?:AI|assistant|agent)s?\s*:/gi },
  { kind: 'tool-call', weight: 2, note: 'tells the model to call a tool or run a command', re: /\b(?:call|run|invoke|execute|use)\s+(?:the\s+)?`?(?!(?:this|that|these|a|an|any|each|every|same|other)\b)[\w./-]+`?\s+(?:tool|function|command)\b|\bcurl\s+[^\n]{0,40}(?:-d|--data|-F|--upload-file|-T)\s+@|\bwget\s+--post-file\b|\|\s*(?:ba)?sh\b/gi },
];

// A verb that moves data, and somewhere to move it to.
const TRANSFER = /\b(?:pass|send|include|forward|paste|attach|upload|append|put|post|embed|add|copy|insert|provide|leak|exfiltrate|transmit|submit|log|read|cat)\b/i;
const STRONG_TRANSFER = /\b(?:pass|send|include|forward|paste|attach|upload|append|put|post|embed|copy|insert|leak|exfiltrate|transmit|submit|log)\b/i;
const DESTINATION = /\b(?:argument|parameter|param|field|sidenote|notes?|request|url|query|header|body|email|message|payload)\b|`[\w.-]+`|'[\w.-]+'|"[\w.-]+"|\bas\s+[\w-]+\b|https?:\/\//i;

export const EXFIL_LINK = /!?\[[^\]\n]{0,80}\]\(\s*(https?:\/\/[^\s)]{1,2000})[^)]{0,200}\)|https?:\/\/[^\s)"'`?&#]{1,500}[?&#][^\s)"'`]{0,1000}?(?:<[^>]{1,80}>|\{[^}]{1,80}\}|\$\{?\w+|%s|\[[^\]]{1,40}\])|https?:\/\/[^\s)"'`?]{1,500}\?(?:[\w-]{1,40}=[\w-]{0,200}&){0,20}[\w-]{1,40}=(?=[\s)"'`]|$)/gi;
const LINK_DATA = /<[^>]{1,80}>|\{[^}]{1,80}\}|\$\{?\w+|%s|\b(?:user|message|conversation|chat|history|data|secret|token|key|password|content|answer|prompt|context|email|url-?encoded|base64)\b/i;

/** Sentences (and list items) of a string, with offsets: signals combine within one sentence. */
function sentences(s: string): [number, number][] {
  const out: [number, number][] = [];
  // A dot inside a path or URL (`~/.ssh/id_rsa`, `example.org`) does not end a sentence.
  const re = /(?:[^.!?;\n]|[.!?;](?=[^\s.!?;]))+(?:[.!?;]+(?=\s|$)|\n|$)/g;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(s)) && guard++ < 5000) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

// Prose worth matching: most strings in a schema are short identifiers.
const PROSE_WORD = /[a-z]{2}/i;
const PROSE_MARK = /[<[{|]/;
const isProse = (s: string): boolean => (/\s/.test(s) && PROSE_WORD.test(s)) || PROSE_MARK.test(s);
// Signals are looked for in the first MAX_CHARS of a string: every pattern is linear, but a
// hostile multi-megabyte description should not cost more than a bounded slice.
const MAX_CHARS = 200_000;

export interface SignalOptions {
  /** The string describes a parameter: asking for conversation content here IS the request. */
  paramDescription?: boolean;
}

/** Find every signal in one string. `params` are the item's parameter names (destinations). */
export function findSignals(full: string, params: ReadonlySet<string> = new Set(), opts: SignalOptions = {}): Signal[] {
  const s = full.length > MAX_CHARS ? full.slice(0, MAX_CHARS) : full;
  if (s.length < 6 || !isProse(s)) return [];
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
      out.push({ kind: p.kind, weight: p.weight, start: m.index, end: m.index + m[0].length, note: `${p.note}: "${m[0].trim().slice(0, 80)}"` });
    }
  }
  // Combinations within one sentence: a sensitive thing or conversation content plus a verb that
  // moves it plus a destination is an exfiltration request, not documentation.
  const sens = out.filter((x) => x.kind === 'sensitive-ref' || x.kind === 'harvest');
  if (sens.length > 0) {
    for (const [a, b] of sentences(s)) {
      const sentence = s.slice(a, b);
      const inside = sens.filter((x) => x.start >= a && x.start < b);
      if (inside.length === 0) continue;
      const mentioned = [...params].filter((p) => p.length > 1 && new RegExp(`\\b${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(sentence));
      const mentionsParam = mentioned.length > 0;
      const credentialParam = mentioned.some((p) => /key|token|secret|pass|pwd|credential|auth/i.test(p));
      const strong = STRONG_TRANSFER.test(sentence);
      const dest = DESTINATION.test(sentence) || mentionsParam;
      // A file path or the environment is specific; "your API key" next to an `api_key` parameter is
      // just how an authenticated tool explains its input, so generic nouns need a strong verb.
      const fileLike = inside.some((x) => x.kind === 'sensitive-ref' && /[/~]|\.\w|id_|environment|tokens?\s+from/i.test(s.slice(x.start, x.end)));
      const ownCredential = !fileLike && credentialParam;
      if (inside.some((x) => x.kind === 'sensitive-ref') && !ownCredential && (strong || (TRANSFER.test(sentence) && mentionsParam && fileLike)) && dest) {
        const first = inside.find((x) => x.kind === 'sensitive-ref')!;
        out.push({ kind: 'sensitive-transfer', weight: 4, start: a, end: b, note: `asks to move sensitive data into a request: "${sentence.trim().slice(0, 120)}"` });
        first.weight = 0;
      }
      for (const h of inside.filter((x) => x.kind === 'harvest')) {
        // Conversation content is only a signal when asked to be moved somewhere — or when a
        // parameter's own description asks for it (the argument is the destination).
        if (!opts.paramDescription && !(TRANSFER.test(sentence) && dest)) h.weight = 0;
      }
    }
  }
  EXFIL_LINK.lastIndex = 0;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = EXFIL_LINK.exec(s)) && guard++ < 50) {
    const isImage = m[0].startsWith('!');
    const url = m[1] ?? m[0];
    const q = url.indexOf('?');
    const data = LINK_DATA.test(q >= 0 ? url.slice(q) : '') || /<[^>]+>|\{[^}]+\}/.test(m[0]);
    const emptyValue = /[?&][\w-]+=$/.test(url) && STRONG_TRANSFER.test(s);
    if (data || emptyValue || (isImage && /url-?encoded|append|include/i.test(s))) {
      out.push({ kind: 'exfil-link', weight: 4, start: m.index, end: m.index + m[0].length, note: `link that carries data in its URL: "${m[0].slice(0, 120)}"` });
    }
  }
  // A pseudo-tag that opens and closes around text wraps an instruction: stronger than a lone tag.
  const tags = out.filter((x) => x.kind === 'markup' && x.weight === 3);
  for (const open of tags) {
    const name = /^<\s*([a-z_]+)/i.exec(s.slice(open.start, open.end))?.[1]?.toLowerCase();
    if (name && tags.some((c) => c.start > open.end && new RegExp(`^<\\s*/\\s*${name}\\b`, 'i').test(s.slice(c.start, c.end)))) open.weight = 4;
  }
  out.push(...encodedSignals(s));
  return out.filter((x) => x.weight > 0);
}

const INSTRUCTION_WORDS = /\b(?:ignore|instructions?|read|send|password|secret|ssh|token|tool|user|must|always|never|system|forward|include|api key|credentials?|exfiltrate|curl)\b/i;

function printableRatio(t: string): number {
  if (t.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x09) n++;
  }
  return n / t.length;
}

/** Base64 or hex runs that decode to readable instructions. */
export function encodedSignals(s: string): Signal[] {
  const out: Signal[] = [];
  const re = /[A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{24,}|(?:[0-9a-fA-F]{2}){16,}/g;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(s)) && guard++ < 50) {
    const run = m[0];
    let decoded: string;
    try {
      if (/^(?:[0-9a-fA-F]{2})+$/.test(run)) decoded = run.replace(/../g, (h) => String.fromCharCode(parseInt(h, 16)));
      else decoded = atob(run.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(run.length / 4) * 4, '='));
    } catch {
      continue;
    }
    if (printableRatio(decoded) > 0.95 && /\s/.test(decoded) && INSTRUCTION_WORDS.test(decoded)) {
      out.push({ kind: 'encoded', weight: 4, start: m.index, end: m.index + run.length, note: `encoded text decodes to: "${decoded.slice(0, 160)}"` });
    }
  }
  return out;
}

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
    if (kind !== 'emphasis' && kind !== 'sensitive-ref' && kind !== 'pre-use') strong++;
  }
  // Emphasis, preconditions and sensitive nouns only count next to a real signal.
  if (strong === 0) return 0;
  return total;
}
