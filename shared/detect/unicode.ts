// Hidden text: Unicode tag characters (an invisible copy of ASCII — decoded and shown), zero-width
// and bidi controls, ANSI escapes and other control characters, and whitespace padding that
// pushes text out of sight. Scripts and emoji are not hidden text: ZWJ inside emoji sequences and
// ZWNJ between Arabic/Indic letters are how those scripts are written.

/* eslint-disable no-control-regex -- finding control characters is this file's job */
import { excerpt } from './mask.js';
import {
  isObject,
  itemTarget,
  type Detector,
  type FrameView,
  type MetaItem,
  type DetectContext,
} from './detector.js';
import { walkStrings } from './walk.js';
import { OWASP_MCP, type Finding, type RuleInfo, type Severity } from './types.js';

export interface HiddenHit {
  kind: 'tag' | 'invisible' | 'bidi' | 'ansi' | 'control' | 'padding';
  start: number;
  end: number;
  /** Tag characters decoded to ASCII; the text an ANSI sequence hides. */
  decoded?: string;
  /** ANSI that conceals text (same fg/bg colour, conceal, cursor moves, line erase). */
  hides?: boolean;
}

const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}/u;
const JOINING_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Syriac}\p{Script=Malayalam}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Sinhala}\p{Script=Hebrew}]/u;
const HIDDEN_CHARS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]|[\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/u;
// Quick gate for frames: anything outside printable ASCII, or an escape that decodes to it.
export const UNICODE_PREFILTER =
  /[^\x20-\x7e\t\n\r]|\\u(?:00[01]|007[fF]|00[89]|00[aA][dD]|061[cC]|180[eE]|20[0-6]|[fF][eE][0fF]|[fF]{3}|[dD][89abAB])/;
const SPACES = ' '.repeat(40);
/** Frames worth decoding for hidden text (padding is checked with a plain indexOf: far cheaper). */
export const mayHide = (raw: string): boolean =>
  UNICODE_PREFILTER.test(raw) ||
  raw.includes(SPACES) ||
  raw.includes('\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n');

function ansiHides(seq: string): boolean {
  if (/\x1b\[[0-9;]*[ABCDEFGHJKSTfsu]/.test(seq)) return true; // cursor moves, erase
  const m = /^\x1b\[([0-9;]*)m$/.exec(seq);
  if (!m) return false;
  const codes = (m[1] ?? '').split(';').map(Number);
  if (codes.includes(8)) return true; // conceal
  const fg = codes.find((c) => c >= 30 && c <= 37);
  const bg = codes.find((c) => c >= 40 && c <= 47);
  return fg !== undefined && bg !== undefined && fg + 10 === bg;
}

/**
 * Runs of whitespace that push the text after them out of view: 40+ spaces, 10+ tabs, or 12+
 * line breaks, followed by more text. A single linear pass (a regex here backtracks
 * quadratically on a long run of spaces with nothing after it).
 */
function findPadding(s: string): HiddenHit[] {
  const out: HiddenHit[] = [];
  let i = 0;
  while (i < s.length && out.length < 20) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
      i++;
      continue;
    }
    const start = i;
    let spaces = 0;
    let tabs = 0;
    let lines = 0;
    let run = 0;
    for (; i < s.length; i++) {
      const d = s.charCodeAt(i);
      if (d === 0x20) spaces = Math.max(spaces, ++run);
      else if (d === 0x09) tabs++;
      else if (d === 0x0a) {
        lines++;
        run = 0;
      } else if (d !== 0x0d) break;
    }
    if (i < s.length && (spaces >= 40 || tabs >= 10 || lines >= 12))
      out.push({ kind: 'padding', start, end: i });
  }
  return out;
}

export function findHidden(s: string): HiddenHit[] {
  const out: HiddenHit[] = [];
  const padding = s.length > 40 ? findPadding(s) : [];
  if (!HIDDEN_CHARS.test(s) && !s.includes('\x1b') && padding.length === 0) return out;
  const cpAt = (i: number): number => s.codePointAt(i) ?? 0;
  const prev = (i: number): string => {
    if (i <= 0) return '';
    const lo = s.charCodeAt(i - 1);
    return lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? s.slice(i - 2, i) : s.slice(i - 1, i);
  };
  const next = (i: number): string => String.fromCodePoint(cpAt(i) || 0x20);
  for (let i = 0; i < s.length && out.length < 200;) {
    const cp = cpAt(i);
    const len = cp > 0xffff ? 2 : 1;
    const start = i;
    i += len;
    if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) continue;
    if (cp >= 0xe0000 && cp <= 0xe007f) {
      // A run of tag characters: decode it.
      let decoded = cp >= 0xe0020 && cp <= 0xe007e ? String.fromCharCode(cp - 0xe0000) : '';
      while (i < s.length) {
        const n = cpAt(i);
        if (n < 0xe0000 || n > 0xe007f) break;
        if (n >= 0xe0020 && n <= 0xe007e) decoded += String.fromCharCode(n - 0xe0000);
        i += 2;
      }
      out.push({ kind: 'tag', start, end: i, decoded });
    } else if (cp === 0x1b) {
      const m = /^\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/.exec(
        s.slice(start, start + 256),
      );
      const seq = m ? m[0] : '\x1b';
      const hides = ansiHides(seq);
      i = start + seq.length;
      // What a concealing sequence hides: the text up to the next escape.
      const stop = s.indexOf('\x1b', i);
      const decoded = hides ? s.slice(i, stop < 0 ? undefined : stop) : undefined;
      out.push({ kind: 'ansi', start, end: i, hides, ...(decoded ? { decoded } : {}) });
    } else if (cp === 0x200d || cp === 0xfe0f || cp === 0xfe0e) {
      if (!EMOJI.test(prev(start)) && !EMOJI.test(next(i)))
        out.push({ kind: 'invisible', start, end: i });
    } else if (cp === 0x200c || cp === 0x200e || cp === 0x200f) {
      if (!JOINING_SCRIPT.test(prev(start)) && !JOINING_SCRIPT.test(next(i)))
        out.push({ kind: cp === 0x200c ? 'invisible' : 'bidi', start, end: i });
    } else if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x061c) {
      out.push({ kind: 'bidi', start, end: i });
    } else if (cp === 0xfeff && start === 0) {
      // A byte-order mark at the very start is an encoding artefact.
    } else if (
      (cp >= 0xe0100 && cp <= 0xe01ef) ||
      cp === 0x200b ||
      (cp >= 0x2060 && cp <= 0x2064) ||
      cp === 0xfeff ||
      cp === 0x00ad ||
      cp === 0x180e ||
      (cp >= 0xfff9 && cp <= 0xfffb)
    ) {
      out.push({ kind: 'invisible', start, end: i });
    } else if (
      (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
      (cp >= 0x7f && cp <= 0x9f)
    ) {
      out.push({ kind: 'control', start, end: i });
    }
  }
  out.push(...padding.slice(0, 20));
  return out;
}

const REFS = [
  OWASP_MCP.MCP03,
  'https://embracethered.com/blog/posts/2024/hiding-and-finding-text-with-unicode-tags/',
  'https://trojansource.codes/',
];

export const UNICODE_RULES: RuleInfo[] = [
  {
    id: 'unicode.tag-characters',
    title: 'Invisible Unicode tag characters',
    category: 'unicode',
    severity: 'critical',
    description:
      'Unicode tag characters (U+E0000–U+E007F) mirror ASCII but render as nothing, so a model reads an instruction the user never sees. They have no legitimate use in tool metadata or results. The finding shows the decoded text; treat the server as hostile and remove it.',
    references: REFS,
  },
  {
    id: 'unicode.bidi-control',
    title: 'Bidirectional control characters',
    category: 'unicode',
    severity: 'high',
    description:
      'Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder how text is displayed, so what a reviewer reads differs from what the model reads (the Trojan Source technique). Review the raw text shown with visible escapes.',
    references: REFS,
  },
  {
    id: 'unicode.invisible',
    title: 'Zero-width or invisible characters',
    category: 'unicode',
    severity: 'medium',
    description:
      'Zero-width spaces, joiners outside emoji, word joiners, soft hyphens and variation selectors outside emoji can hide or split words so that filters and reviewers miss them, or smuggle data. Inspect the text with visible escapes.',
    references: REFS,
  },
  {
    id: 'unicode.ansi-escape',
    title: 'ANSI escape sequences',
    category: 'unicode',
    severity: 'medium',
    description:
      'Terminal escape sequences in server text can recolour, move the cursor or erase lines, hiding text in terminal-based hosts and logs; same-colour text and cursor moves are rated high because their only purpose is concealment. Strip them before display and review the hidden text shown in the evidence.',
    references: REFS,
  },
  {
    id: 'unicode.control-character',
    title: 'Control characters',
    category: 'unicode',
    severity: 'low',
    description:
      'C0/C1 control characters (other than tab and newline) have no place in metadata or tool output and can corrupt logs or terminals. Review where they come from.',
    references: REFS,
  },
  {
    id: 'unicode.whitespace-padding',
    title: 'Whitespace padding hides text',
    category: 'unicode',
    severity: 'medium',
    description:
      'A long run of spaces or blank lines followed by more text pushes that text out of view in most UIs while the model still reads it. Read the text after the padding.',
    references: [OWASP_MCP.MCP03],
  },
];

const RULE_OF: Record<HiddenHit['kind'], string> = {
  tag: 'unicode.tag-characters',
  bidi: 'unicode.bidi-control',
  invisible: 'unicode.invisible',
  ansi: 'unicode.ansi-escape',
  control: 'unicode.control-character',
  padding: 'unicode.whitespace-padding',
};

function severityOf(kind: HiddenHit['kind'], hides: boolean, metadata: boolean): Severity {
  switch (kind) {
    case 'tag':
      return metadata ? 'critical' : 'high';
    case 'bidi':
      return metadata ? 'high' : 'medium';
    case 'ansi':
      return hides ? (metadata ? 'high' : 'medium') : metadata ? 'medium' : 'low';
    case 'invisible':
      return metadata ? 'medium' : 'low';
    case 'control':
      return 'low';
    case 'padding':
      return metadata ? 'medium' : 'low';
  }
}

/** One finding per hidden-text kind per string (with the count), located at the first hit. */
export function hiddenFindings(
  s: string,
  metadata: boolean,
  target: (range: [number, number]) => Finding['target'],
): Finding[] {
  const hits = findHidden(s);
  const out: Finding[] = [];
  const kinds = new Set(hits.map((h) => h.kind));
  for (const kind of kinds) {
    const of = hits.filter((h) => h.kind === kind);
    const first = of[0]!;
    const hides = of.some((h) => h.hides);
    const decoded = of
      .map((h) => h.decoded ?? '')
      .join(' ')
      .trim();
    const rule = UNICODE_RULES.find((r) => r.id === RULE_OF[kind])!;
    const where = metadata ? 'in tool metadata' : 'in a message';
    let message = `${of.length} ${rule.title.toLowerCase()} ${where}.`;
    if (kind === 'tag')
      message = `Hidden text in Unicode tag characters ${where}; decoded: "${excerpt(decoded, 300)}".`;
    if (kind === 'ansi' && hides)
      message = `ANSI escape sequence ${where} conceals text${decoded ? `: "${excerpt(decoded, 200)}"` : ''}.`;
    if (kind === 'padding')
      message = `Whitespace padding ${where} pushes this text out of view: "${excerpt(s.slice(first.end), 160)}".`;
    const f: Finding = {
      rule: rule.id,
      severity: severityOf(kind, hides, metadata),
      title: rule.title,
      message,
      target: target([first.start, first.end]),
      evidence:
        kind === 'padding'
          ? excerpt(s.slice(first.end), 120)
          : excerpt(
              s.slice(Math.max(0, first.start - 20), Math.min(s.length, first.end + 40)),
              160,
            ),
    };
    if (of.length > 1)
      f.related = of
        .slice(1, 20)
        .map((h) => ({ range: [h.start, h.end] as [number, number], note: kind }));
    out.push(f);
  }
  return out;
}

const METADATA_ANSWERS = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'initialize',
]);

export const unicodeDetector: Detector = {
  id: 'unicode',
  rules: UNICODE_RULES,
  item(item: MetaItem, ctx: DetectContext) {
    const out: Finding[] = [];
    for (const s of walkStrings(item.value)) {
      out.push(
        ...hiddenFindings(s.text, true, (range) => ({
          ...itemTarget(item, ctx, s.pointer, range),
          ...(s.key ? { key: true } : {}),
        })),
      );
    }
    return out;
  },
  frame(f: FrameView, ctx: DetectContext) {
    if (f.text === undefined || !mayHide(f.text)) return [];
    const out: Finding[] = [];
    f.messages.forEach((m, i) => {
      if (METADATA_ANSWERS.has(f.answers[i] ?? '')) return; // scanned as metadata items
      const body =
        m.kind === 'request' || m.kind === 'notification'
          ? m.parsed.params
          : m.kind === 'response'
            ? m.parsed.result
            : m.parsed.error;
      if (!isObject(body) && !Array.isArray(body)) return;
      const base = m.index !== undefined ? `/${m.index}` : '';
      const field = m.kind === 'response' ? '/result' : m.kind === 'error' ? '/error' : '/params';
      for (const s of walkStrings(body, base + field)) {
        if (s.key) continue;
        out.push(
          ...hiddenFindings(s.text, false, (range) => {
            const t: Finding['target'] = { kind: 'message', seq: f.seq, pointer: s.pointer, range };
            if (m.method) t.name = m.method;
            if (ctx.server) t.server = ctx.server;
            return t;
          }).map((x) => ({ ...x, dir: f.dir })),
        );
      }
    });
    return out;
  },
};
