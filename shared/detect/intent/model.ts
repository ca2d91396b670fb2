// The intent model: reads each clause of a text for WHO it addresses, WHAT it asks (read /
// collect / send / call / hide / override), FROM which source (secret stores, environment,
// conversation, system prompt, other tools' output, private data) and TO which sink (an argument,
// a URL, a reply, another tool). Roles combine inside a clause; a negation governing the verb
// ("do not include API keys") makes the clause protective instead. Concealment, urgency and
// addressing the model are modifiers. Weights are summed by score() in ../signals.ts; see
// docs/detection.md for how they were calibrated.

import type { Signal } from '../signals.js';
import { decodeAll } from './decode.js';
import {
  ADDRESS,
  BOUND_SINK,
  CALL,
  RESEND,
  CONCEAL,
  HOST_TOOL,
  IMPERSONATE,
  MUTATE,
  NEGATION,
  OVERRIDE,
  PRIVATE_DATA,
  PROTECTIVE,
  READ,
  SECRET_ENV,
  SECRET_NOUN,
  SECRET_PLACE,
  SEND,
  SILENT,
  SINK,
  TRIGGER,
  URGENCY,
  WEAK_SEND,
} from './lexicon.js';
import { identifierWords, splitIdentifiersInProse } from './words.js';

export interface IntentOptions {
  /** Parameter names of the item (sinks when the text names them). */
  params?: ReadonlySet<string>;
  /** The text describes a parameter: the argument itself is the sink. */
  paramDescription?: boolean;
  /** The text is an identifier (tool or parameter name), already split into words. */
  identifier?: 'tool' | 'param';
  /** Content a server returned (results, errors): addressing the model counts more. */
  traffic?: boolean;
  /** The text addresses the model somewhere (set per string by intentSignals). */
  addressed?: boolean;
  /** Tools of this server: naming them is guidance, not shadowing. */
  ownTools?: ReadonlySet<string>;
}

interface Hit {
  start: number;
  end: number;
  text: string;
}

function hits(re: RegExp, s: string, max = 20): Hit[] {
  re.lastIndex = 0;
  const out: Hit[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) && out.length < max) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** Clauses: sentences, list items and lines (CJK full stops included). */
export function clauses(s: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /(?:[^.!?;\n。！？；]|[.!?;](?=[^\s.!?;]))+(?:[.!?;。！？；]+|\n|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) && out.length < 2000) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** Hits not governed by a negation in the words just before them. */
const affirmed = (clause: string, hs: Hit[]): Hit[] =>
  hs.filter((h) => !NEGATION.test(clause.slice(Math.max(0, h.start - 40), h.start)));

const PROVENANCE =
  /\b(?:from|reading|read|contents?|file|home|dir|directory|verbatim|entire|whole|full|all|every|saved|browser|paste|copy|users?|your|current|original|any|found|seen|stored|local)\b/;
const IDENT_SPECIFIC =
  /\b(?:ssh(?: private)? key|id (?:rsa|dsa|ecdsa|ed25519)|ssh id|seed phrase|mnemonic|browser cookies|saved passwords|env file|dot env|conversation (?:history|log|transcript)|chat (?:history|log|transcript)|entire (?:conversation|history|chat)|system prompt verbatim|private key pem|keychain)\b/;
const IDENT_GENERIC =
  /\b(?:ssh|private key|secret (?:access )?key|passwords|api keys|tokens|cookies|credentials|system prompt|conversation|history|env(?:ironment)? (?:vars?|variables)|aws secret)\b/;

/** Parameter or tool names that are themselves a request for private data. */
function identifierSignals(words: string, kind: 'tool' | 'param'): Signal[] {
  const specific = IDENT_SPECIFIC.exec(words);
  const generic = IDENT_GENERIC.exec(words);
  const m =
    specific ?? (generic && PROVENANCE.test(words.replace(generic[0], '')) ? generic : null);
  if (!m) return [];
  return [
    {
      kind: 'harvest',
      weight: specific && PROVENANCE.test(words) ? 4 : 3,
      start: 0,
      end: words.length,
      note: `${kind} name asks for private data: "${words.slice(0, 80)}"`,
    },
  ];
}

/** Analyse one clause (offsets relative to `base` in the analysed string). */
function clauseSignals(c: string, base: number, opts: IntentOptions): Signal[] {
  const out: Signal[] = [];
  const at = (h: Hit): [number, number] => [base + h.start, base + h.end];
  const sig = (kind: Signal['kind'], weight: number, h: Hit, note: string): void => {
    const [start, end] = at(h);
    out.push({ kind, weight, start, end, note: `${note}: "${c.trim().slice(0, 120)}"` });
  };
  const place = [...hits(SECRET_PLACE, c), ...hits(SECRET_ENV, c)];
  const noun = hits(SECRET_NOUN, c);
  const priv = hits(PRIVATE_DATA, c);
  const send = affirmed(c, hits(SEND, c));
  const read = affirmed(c, hits(READ, c));
  const call = affirmed(c, hits(CALL, c));
  const weak = affirmed(c, hits(WEAK_SEND, c));
  const urg = hits(URGENCY, c);
  const params = [...(opts.params ?? [])].filter((p) => p.length > 1 && c.includes(p));
  const sink = hits(SINK, c).length > 0 || params.length > 0 || opts.paramDescription === true;
  const protective = PROTECTIVE.test(c) && send.length === 0 && read.length === 0;
  const callWith = call.length > 0 && /\b(?:with|including|containing)\b/i.test(c);
  const bound = BOUND_SINK.test(c);
  const moves = send.length > 0 || callWith || RESEND.test(c) || (weak.length > 0 && bound);

  const silent = hits(SILENT, c);
  // "Never drop a table without asking" is protective: a negated action done "without …" hides nothing.
  const conceal = [
    ...hits(CONCEAL, c).filter((h) => !/^without\b/i.test(h.text) || affirmed(c, [h]).length > 0),
    ...(silent.length &&
    (send.length ||
      read.length ||
      call.length ||
      /\b(?:do|perform|run|execute) (?:this|it|that)\b/i.test(c))
      ? silent
      : []),
  ];
  if (conceal.length) sig('concealment', 3, conceal[0]!, 'asks to hide something from the user');
  const override = hits(OVERRIDE, c);
  if (override.length)
    sig('override', 4, override[0]!, 'tries to override earlier instructions or the user');

  if (!protective) {
    if (
      place.length &&
      (moves ||
        (read.length && (sink || conceal.length)) ||
        (weak.length && sink && (conceal.length || urg.length || params.length)))
    )
      sig(
        'sensitive-transfer',
        5,
        place[0]!,
        'asks to read or move secrets (credential files, keys, environment)',
      );
    else if (place.length && read.length)
      sig('sensitive-ref', 2, place[0]!, 'names a secret location next to a read');
    if (!moves && opts.addressed && (read.length || weak.length) && (noun.length || place.length))
      sig(
        'sensitive-transfer',
        3,
        (noun[0] ?? place[0])!,
        'asks the model it addresses to collect secrets',
      );
    if (priv.length && moves && sink)
      sig(
        'harvest',
        4,
        priv[0]!,
        'asks to put conversation, prompt or private data into a request',
      );
    else if (
      priv.length &&
      opts.paramDescription &&
      (send.length ||
        read.length ||
        /\b(?:paste|verbatim|word for word|full|entire|complete|whole|so far|all)\b/i.test(c))
    )
      sig('harvest', 4, priv[0]!, 'parameter asks for conversation, prompt or private data');
    else if (priv.length && read.length && (moves || opts.traffic))
      sig('harvest', 3, priv[0]!, 'asks to collect private data');
    if (noun.length && moves && sink) {
      const own = params.some((p) => /key|token|secret|pass|pwd|credential|auth/i.test(p));
      const found =
        /\b(?:any|all|every|you (?:have )?(?:seen|found|find)|found|earlier|in (?:this|the) (?:chat|conversation|project)|from the (?:environment|project)|user'?s|their|whatever)\b/i.test(
          c,
        );
      if (!own && (found || place.length))
        sig('sensitive-transfer', 4, noun[0]!, 'asks to pass secrets it finds into a request');
      else if (!own && opts.addressed)
        sig('sensitive-transfer', 3, noun[0]!, 'asks the model it addresses to hand over secrets');
      else if (!own) sig('sensitive-ref', 1, noun[0]!, 'names a secret next to a transfer');
    }
  }
  const trigger = hits(TRIGGER, c);
  // "each"/"every" inside the trigger itself does not make it universal: look at the rest.
  const rest = trigger.length ? c.slice(0, trigger[0]!.start) + c.slice(trigger[0]!.end) : '';
  const universal = /\b(?:any|every|all|other|each)\b/i.test(rest);
  const fullRequest =
    /\bwith (?:the )?(?:full|entire|complete|whole|verbatim|exact) (?:user'?s? )?(?:request|question|prompt|message|input)/i.test(
      c,
    );
  if (
    trigger.length &&
    universal &&
    (hits(MUTATE, c).length ||
      place.length ||
      priv.length ||
      conceal.length ||
      send.length ||
      fullRequest)
  )
    sig('line-jump', 3, trigger[0]!, 'acts on every other action, not on this tool');
  else if (
    trigger.length &&
    hits(MUTATE, c).length &&
    /\b(?:commit|command|code|url|payment|reply|response|answer|file|recipient|destination|account|address|amount|branch|server)s?\b|\b[a-z]+_[a-z_]+\b/i.test(
      rest,
    )
  )
    sig('line-jump', 3, trigger[0]!, 'changes what other actions do');
  const host = hits(HOST_TOOL, c);
  if (host.length)
    sig(
      'cross-tool',
      place.length || priv.length || /https?:\/\//.test(c) ? 4 : 3,
      host[0]!,
      "steers the host's own capabilities (shell, fetch…)",
    );
  const imp = hits(IMPERSONATE, c);
  if (imp.length) sig('cross-tool', 3, imp[0]!, 'claims to replace another tool');
  const addr = hits(ADDRESS, c);
  if (addr.length) sig('addresses-ai', opts.traffic ? 2 : 1, addr[0]!, 'addresses the model');
  if (urg.length) sig('emphasis', 1, urg[0]!, 'urgency or authority framing');
  return out;
}

const MAX_CHARS = 200_000;

/** All intent signals of one string. Offsets index the string as given. */
export function intentSignals(full: string, opts: IntentOptions = {}): Signal[] {
  const s = full.length > MAX_CHARS ? full.slice(0, MAX_CHARS) : full;
  if (opts.identifier) {
    const words = identifierWords(s);
    const out = identifierSignals(words, opts.identifier);
    if (opts.identifier === 'tool')
      for (const x of clauseSignals(words, 0, opts)) out.push({ ...x, start: 0, end: s.length });
    return out.map((x) => ({ ...x, start: 0, end: s.length }));
  }
  const out: Signal[] = [];
  ADDRESS.lastIndex = 0;
  if (opts.traffic && opts.addressed === undefined && ADDRESS.test(s))
    opts = { ...opts, addressed: true };
  const cl = clauses(s);
  cl.forEach(([a, b], i) => {
    const mine = clauseSignals(s.slice(a, b), a, opts);
    out.push(...mine);
    // A secret named in one clause and its destination in the next ("… token; look in ~/.git-credentials").
    const next = cl[i + 1];
    if (
      next &&
      !mine.some((x) => x.kind === 'sensitive-transfer') &&
      (hits(SECRET_PLACE, s.slice(a, next[1])).length ||
        hits(SECRET_ENV, s.slice(a, next[1])).length)
    ) {
      for (const x of clauseSignals(s.slice(a, next[1]), a, opts))
        if (x.kind === 'sensitive-transfer') out.push({ ...x, weight: 4 });
    }
  });
  // Identifiers inside prose read as words too (`read the integration_tokens table`).
  const split = splitIdentifiersInProse(s);
  if (split !== s) {
    const seen = new Set(out.map((x) => x.kind));
    for (const [a, b] of clauses(split))
      for (const x of clauseSignals(split.slice(a, b), 0, opts))
        if (!seen.has(x.kind))
          out.push({ ...x, start: Math.min(a, s.length), end: Math.min(b, s.length) });
  }
  return out;
}

/** Signals of text hidden in encodings: the decoded text analysed, marked as encoded. */
export function encodedIntent(s: string, opts: IntentOptions = {}): Signal[] {
  const out: Signal[] = [];
  for (const d of decodeAll(s.length > MAX_CHARS ? s.slice(0, MAX_CHARS) : s)) {
    const inner = intentSignals(d.text, { ...opts, paramDescription: false });
    const strong = inner.filter((x) => x.weight >= 3);
    if (strong.length === 0) continue;
    out.push({
      kind: 'encoded',
      weight: 4,
      start: d.start,
      end: d.end,
      note: `${d.how}-encoded text decodes to an instruction: "${d.text.slice(0, 160)}"`,
    });
    for (const x of strong)
      out.push({ ...x, start: d.start, end: d.end, note: `${x.note} (${d.how}-encoded)` });
  }
  return out;
}
