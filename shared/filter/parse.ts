// The timeline filter language: `method:tools/call dir:s2c status:error latency:>500
// has:finding severity:high kind:request id:5 size:>1000` plus free text. Clauses are AND-ed; a
// leading `-` negates one; `a,b` lists alternatives; values may be "quoted". Pure: text in,
// AST and errors out. Errors carry the character range so the UI can underline them, and the
// valid clauses still apply, so a typo never blanks the timeline.

export type FilterKey =
  'method' | 'dir' | 'status' | 'latency' | 'size' | 'has' | 'severity' | 'kind' | 'id' | 'seq';

export const FILTER_KEYS: readonly FilterKey[] = [
  'method',
  'dir',
  'status',
  'latency',
  'size',
  'has',
  'severity',
  'kind',
  'id',
  'seq',
];

export const DIRS = ['c2s', 's2c'] as const;
export const STATUSES = ['ok', 'error', 'pending', 'unpaired'] as const;
export const HAS_VALUES = ['finding', 'error', 'pair', 'progress', 'cancel', 'flag'] as const;
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const KINDS = ['request', 'notification', 'response', 'error', 'invalid'] as const;

export type Severity = (typeof SEVERITIES)[number];
export type Comparator = '>' | '>=' | '<' | '<=' | '=';

export interface NumberTest {
  op: Comparator | 'range';
  value: number;
  /** Upper bound, inclusive, for `a..b`. */
  max?: number;
}

export type Clause =
  | { key: 'method'; patterns: RegExp[]; negate: boolean }
  | { key: 'dir'; values: ('c2s' | 's2c')[]; negate: boolean }
  | { key: 'status'; values: (typeof STATUSES)[number][]; negate: boolean }
  | { key: 'latency' | 'size' | 'seq'; tests: NumberTest[]; negate: boolean }
  | { key: 'has'; values: (typeof HAS_VALUES)[number][]; negate: boolean }
  | { key: 'severity'; min: number; negate: boolean }
  | { key: 'kind'; values: (typeof KINDS)[number][]; negate: boolean }
  | { key: 'id'; values: string[]; negate: boolean }
  | { key: 'text'; needle: string; negate: boolean };

export interface FilterError {
  /** Character range in the query, end exclusive. */
  start: number;
  end: number;
  message: string;
}

export interface FilterQuery {
  clauses: Clause[];
  errors: FilterError[];
  /** True when there is nothing to filter by (every frame matches). */
  empty: boolean;
}

interface Token {
  text: string;
  start: number;
  end: number;
  /** Set when a quote was opened and never closed. */
  unterminated?: boolean;
}

/** Split on whitespace, keeping "quoted strings" (with \" escapes) inside one token. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    const start = i;
    let text = '';
    let unterminated = false;
    while (i < input.length && !/\s/.test(input[i]!)) {
      if (input[i] === '"') {
        i++;
        let closed = false;
        while (i < input.length) {
          const c = input[i]!;
          if (c === '\\' && i + 1 < input.length) {
            text += input[i + 1];
            i += 2;
            continue;
          }
          if (c === '"') {
            closed = true;
            i++;
            break;
          }
          text += c;
          i++;
        }
        if (!closed) unterminated = true;
      } else {
        text += input[i];
        i++;
      }
    }
    const tok: Token = { text, start, end: i };
    if (unterminated) tok.unterminated = true;
    out.push(tok);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** `tools/*` → /^tools\/.*$/i; a value without `*` matches the method exactly. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map(escapeRegExp).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

const NUMBER = /^-?\d+(\.\d+)?$/;

function parseNumberTest(v: string): NumberTest | string {
  const range = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)$/.exec(v);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) return `range ${v} is empty: write the lower bound first`;
    return { op: 'range', value: lo, max: hi };
  }
  const m = /^(>=|<=|>|<|=)?(.*)$/.exec(v)!;
  const op = (m[1] ?? '=') as Comparator;
  const n = m[2]!;
  if (!NUMBER.test(n)) return `"${v}" is not a number; write e.g. >500, <=20, 100..200`;
  return { op, value: Number(n) };
}

function enumValues<T extends string>(
  key: string,
  values: string[],
  allowed: readonly T[],
): T[] | string {
  const out: T[] = [];
  for (const v of values) {
    const low = v.toLowerCase();
    const hit = allowed.find((a) => a === low);
    if (!hit) return `${key}: "${v}" is not one of ${allowed.join(', ')}`;
    out.push(hit);
  }
  return out;
}

function parseClause(key: string, raw: string, negate: boolean): Clause | string {
  const values = raw.split(',').filter((v) => v !== '');
  if (values.length === 0) return `${key}: needs a value (e.g. ${key}:${exampleFor(key)})`;
  switch (key as FilterKey) {
    case 'method':
      return { key: 'method', patterns: values.map(globToRegExp), negate };
    case 'dir': {
      const v = enumValues(
        key,
        values.map((x) => DIR_ALIASES[x.toLowerCase()] ?? x),
        DIRS,
      );
      return typeof v === 'string' ? v : { key: 'dir', values: v, negate };
    }
    case 'status': {
      const v = enumValues(key, values, STATUSES);
      return typeof v === 'string' ? v : { key: 'status', values: v, negate };
    }
    case 'has': {
      const v = enumValues(key, values, HAS_VALUES);
      return typeof v === 'string' ? v : { key: 'has', values: v, negate };
    }
    case 'kind': {
      const v = enumValues(key, values, KINDS);
      return typeof v === 'string' ? v : { key: 'kind', values: v, negate };
    }
    case 'severity': {
      if (values.length !== 1) return 'severity: takes one level (it matches that level and above)';
      const v = enumValues(key, values, SEVERITIES);
      return typeof v === 'string'
        ? v
        : { key: 'severity', min: SEVERITIES.indexOf(v[0]!), negate };
    }
    case 'latency':
    case 'size':
    case 'seq': {
      const tests: NumberTest[] = [];
      for (const v of values) {
        const t = parseNumberTest(v);
        if (typeof t === 'string') return `${key}: ${t}`;
        tests.push(t);
      }
      return { key: key as 'latency', tests, negate };
    }
    case 'id':
      return { key: 'id', values, negate };
    default:
      return `unknown filter "${key}:"; use one of ${FILTER_KEYS.map((k) => `${k}:`).join(' ')} or quote the text ("${key}:${raw}")`;
  }
}

const DIR_ALIASES: Record<string, string> = { in: 's2c', out: 'c2s', '->': 'c2s', '<-': 's2c' };

function exampleFor(key: string): string {
  switch (key) {
    case 'latency':
      return '>500';
    case 'size':
      return '>1000';
    case 'dir':
      return 's2c';
    case 'status':
      return 'error';
    case 'kind':
      return 'request';
    case 'severity':
      return 'high';
    case 'has':
      return 'finding';
    case 'method':
      return 'tools/call';
    default:
      return '5';
  }
}

export function parseFilter(input: string): FilterQuery {
  const clauses: Clause[] = [];
  const errors: FilterError[] = [];
  for (const tok of tokenize(input)) {
    if (tok.unterminated) {
      errors.push({
        start: tok.start,
        end: tok.end,
        message: 'a quote is not closed: add the closing "',
      });
      continue;
    }
    let text = tok.text;
    let negate = false;
    const raw = input.slice(tok.start, tok.end);
    // `-` negates a clause or a word; a lone `-` is just text.
    if ((raw.startsWith('-') || raw.startsWith('!')) && raw.length > 1) {
      negate = true;
      text = text.slice(1);
    }
    // A key is only recognised outside quotes: `"method:x"` searches for that text.
    const colon = raw.indexOf(':');
    const quotedBeforeColon = colon >= 0 && raw.slice(0, colon).includes('"');
    const keyMatch = !quotedBeforeColon ? /^([a-zA-Z]+):(.*)$/s.exec(text) : null;
    if (keyMatch) {
      const key = keyMatch[1]!.toLowerCase();
      const c = parseClause(key, keyMatch[2]!, negate);
      if (typeof c === 'string') errors.push({ start: tok.start, end: tok.end, message: c });
      else clauses.push(c);
      continue;
    }
    if (text === '') continue;
    clauses.push({ key: 'text', needle: text.toLowerCase(), negate });
  }
  return { clauses, errors, empty: clauses.length === 0 };
}
