// Prompt injection arriving in content: tool results, resource contents, prompt messages,
// sampling requests and log notifications a server sends. The same signals as metadata, but the
// bar is different: results legitimately contain any text (a web page, a file), so one signal is
// at most "review" and only combined signals are high. Data-carrying links are their own rule.

import { excerpt } from './mask.js';
import { isObject, type DetectContext, type Detector, type FrameView } from './detector.js';
import type { Message } from '../protocol/messages.js';
import { findSignals, score } from './signals.js';
import { walkStrings } from './walk.js';
import { OWASP_MCP, type Finding, type RuleInfo, type Severity } from './types.js';

export const INJECTION_RULES: RuleInfo[] = [
  {
    id: 'result.prompt-injection',
    title: 'Prompt injection in server content',
    category: 'results',
    severity: 'high',
    description:
      'Text a server returned (tool result, resource, prompt, sampling request, log message) speaks to the model: overrides its instructions, addresses "the AI reading this", asks it to call tools or run commands, or to move sensitive data. The model may follow it with the user\'s privileges. Treat the source as untrusted, keep a human in the loop for the tool calls that followed, and check what happened next in the timeline.',
    references: [OWASP_MCP.MCP06, 'https://genai.owasp.org/llmrisk/llm01-prompt-injection/'],
  },
  {
    id: 'exfil.link',
    title: 'Link that carries data out',
    category: 'exfiltration',
    severity: 'high',
    description:
      'A markdown image or link whose URL has a placeholder or data in its query ("?q=<the user\'s message>"). When a host renders it, the data leaves without a click. Do not render remote images from tool output; block the domain.',
    references: [
      OWASP_MCP.MCP06,
      'https://embracethered.com/blog/posts/2023/chatgpt-webpilot-data-exfil-via-markdown-injection/',
    ],
  },
];

// Cheap gate on the raw text before decoding strings.
// Word stems without /i ("gnore" covers Ignore/ignore) and no URL sub-pattern: a single /i
// alternation was the slowest regex of a whole scan (see test/bench/scan.bench.mjs). The plain
// literals come first and uninterrupted (V8 tests such a run of atoms much faster than atoms mixed
// with classes and word boundaries), and "any non-Latin character" is its own regex: inside the
// alternation it made every position try one more branch. Measured on the bench capture's result
// frames in one process, interleaved: 685 ms for the old single regex, 473 ms for these two.
const PREFILTER =
  /gnore|isregard|orget|verride|nstruction|ystem|ssistant|gent|odel|<\||\[INST|IMPORTANT|GNORE|YSTEM|NSTRUCTION|ISREGARD|VERRIDE|SSISTANT|!\[|curl|wget|onceal|o not tell|o not mention|on't tell|on't mention|ust not|ilently|rompt|ontent of|ontents of|\.ssh|id_rsa|id_ed|\.aws|\.env|\.netrc|redential|assw|nvironment|_KEY|_TOKEN|oken|ecret|rivate|onversation|ranscript|esend|etry with|AI\b|bot\b|[?&][\w%-]+=[<{$]/;
const NON_LATIN = /[^\t-\u024f]/;
const CONTENT_METHODS = new Set([
  'tools/call',
  'resources/read',
  'prompts/get',
  'completion/complete',
]);
const S2C_CONTENT = new Set([
  'sampling/createMessage',
  'notifications/message',
  'elicitation/create',
]);

function severityFor(total: number): Severity | undefined {
  if (total >= 5) return 'high';
  if (total >= 3) return 'medium';
  if (total >= 2) return 'low';
  return undefined;
}

/** The tool, prompt or resource a response is about: the name (or URI) in its paired request. */
export function subjectOf(m: Message, ctx: DetectContext): string | undefined {
  if (m.pair === undefined || !ctx.message) return undefined;
  const req = ctx.message(m.pair);
  const params = req?.parsed.params;
  if (!isObject(params)) return undefined;
  const v = req?.method === 'resources/read' ? params.uri : params.name;
  return typeof v === 'string' ? v : undefined;
}

export const injectionDetector: Detector = {
  id: 'injection',
  rules: INJECTION_RULES,
  frame(f: FrameView, ctx: DetectContext) {
    if (f.dir !== 's2c' || f.text === undefined) return [];
    // Only content (results, resources, prompts, sampling, logs) is scanned; check that first,
    // then the text prefilter, which is the costlier test.
    const content = f.messages.some(
      (m, i) =>
        (f.answers[i] !== undefined && CONTENT_METHODS.has(f.answers[i])) ||
        (m.method !== undefined && S2C_CONTENT.has(m.method)),
    );
    if (!content || !(PREFILTER.test(f.text) || NON_LATIN.test(f.text))) return [];
    const out: Finding[] = [];
    f.messages.forEach((m, i) => {
      const answered = f.answers[i];
      let body: unknown;
      let field: string;
      if (m.kind === 'response' && answered !== undefined && CONTENT_METHODS.has(answered)) {
        body = m.parsed.result;
        field = '/result';
      } else if (
        (m.kind === 'request' || m.kind === 'notification') &&
        m.method !== undefined &&
        S2C_CONTENT.has(m.method)
      ) {
        body = m.parsed.params;
        field = '/params';
      } else if (m.kind === 'error' && answered !== undefined && CONTENT_METHODS.has(answered)) {
        body = m.parsed.error;
        field = '/error';
      } else return;
      if (!isObject(body) && !Array.isArray(body)) return;
      const base = (m.index !== undefined ? `/${m.index}` : '') + field;
      // Name what the content concerns: the tool, prompt or resource of the request it answers.
      const concerns = subjectOf(m, ctx) ?? answered ?? m.method;
      const target = (pointer: string, range: [number, number]): Finding['target'] => {
        const t: Finding['target'] = { kind: 'message', seq: f.seq, pointer, range };
        if (ctx.server !== undefined) t.server = ctx.server;
        if (concerns !== undefined) t.name = concerns;
        return t;
      };
      const where =
        concerns !== undefined && concerns !== answered
          ? ` (${answered ?? m.method} of ${excerpt(concerns, 60)})`
          : '';
      for (const s of walkStrings(body, base)) {
        if (s.key || s.text.length < 12) continue;
        const signals = findSignals(s.text, new Set(), { traffic: true });
        if (signals.length === 0) continue;
        for (const link of signals.filter((x) => x.kind === 'exfil-link')) {
          out.push({
            rule: 'exfil.link',
            severity: 'high',
            title: INJECTION_RULES[1]!.title,
            message: `Content returned by the server${where} contains a ${link.note}.`,
            target: target(s.pointer, [link.start, link.end]),
            evidence: excerpt(s.text.slice(link.start, link.end), 200),
            dir: f.dir,
          });
        }
        const rest = signals.filter((x) => x.kind !== 'exfil-link');
        const total = score(rest);
        const severity = severityFor(total);
        if (!severity) continue;
        const sorted = [...rest].sort((a, b) => b.weight - a.weight);
        const top = sorted[0]!;
        out.push({
          rule: 'result.prompt-injection',
          severity,
          title: INJECTION_RULES[0]!.title,
          message: `Content returned by the server${where} speaks to the model (score ${total}): ${[...new Set(sorted.map((x) => x.note))].slice(0, 5).join('; ')}.`,
          target: target(s.pointer, [top.start, top.end]),
          evidence: excerpt(s.text.slice(Math.max(0, top.start - 40), top.end + 80), 240),
          related: sorted.slice(1, 10).map((x) => ({
            pointer: s.pointer,
            range: [x.start, x.end] as [number, number],
            note: x.note,
          })),
          dir: f.dir,
        });
      }
    });
    return out;
  },
};
