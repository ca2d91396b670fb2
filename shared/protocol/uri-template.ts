// RFC 6570 URI templates as MCP resource templates use them: the variables a template names
// (for the fill-in form) and its expansion with the values the user typed. Levels 1–3 plus the
// explode modifier; a prefix modifier (`:3`) is honoured. A template is server text: its size and
// number of expressions are bounded, and malformed braces are an error that says where.

export interface TemplateVariable {
  name: string;
  /** The expression's operator ('' for simple expansion). */
  operator: string;
}

type Part =
  string | { operator: string; vars: { name: string; prefix?: number; explode: boolean }[] };

const MAX_TEMPLATE = 8192;
const MAX_EXPRESSIONS = 100;
const OPERATORS = new Set(['+', '#', '.', '/', ';', '?', '&']);
const VAR_NAME = /^(?:[A-Za-z0-9_.]|%[0-9A-Fa-f]{2})+$/;

function parse(template: string): Part[] {
  if (template.length > MAX_TEMPLATE)
    throw new Error(`the URI template is longer than ${MAX_TEMPLATE} characters`);
  const parts: Part[] = [];
  let i = 0;
  let expressions = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    if (close !== -1 && (open === -1 || close < open))
      throw new Error(`the URI template has a "}" without "{" at position ${close}`);
    if (open === -1) {
      parts.push(template.slice(i));
      break;
    }
    if (open > i) parts.push(template.slice(i, open));
    if (close === -1) throw new Error(`the URI template has a "{" without "}" at position ${open}`);
    if (++expressions > MAX_EXPRESSIONS)
      throw new Error(`the URI template has more than ${MAX_EXPRESSIONS} expressions`);
    let body = template.slice(open + 1, close);
    let operator = '';
    if (body && OPERATORS.has(body[0]!)) {
      operator = body[0]!;
      body = body.slice(1);
    }
    const vars = body.split(',').map((spec) => {
      const explode = spec.endsWith('*');
      const [name = '', pre] = (explode ? spec.slice(0, -1) : spec).split(':');
      if (!VAR_NAME.test(name))
        throw new Error(`the URI template has a bad variable name ${JSON.stringify(spec)}`);
      const prefix = pre === undefined ? undefined : Number(pre);
      if (prefix !== undefined && !(Number.isInteger(prefix) && prefix > 0 && prefix < 10000))
        throw new Error(`the URI template has a bad prefix length in ${JSON.stringify(spec)}`);
      return { name, explode, ...(prefix !== undefined ? { prefix } : {}) };
    });
    parts.push({ operator, vars });
    i = close + 1;
  }
  return parts;
}

/** The variables of a template, in order, each once. Throws on a malformed template. */
export function templateVariables(template: string): TemplateVariable[] {
  const seen = new Set<string>();
  const out: TemplateVariable[] = [];
  for (const p of parse(template)) {
    if (typeof p === 'string') continue;
    for (const v of p.vars) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      out.push({ name: v.name, operator: p.operator });
    }
  }
  return out;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

function encode(value: string, allowReserved: boolean): string {
  let out = '';
  for (const ch of value) {
    if (UNRESERVED.test(ch) || (allowReserved && RESERVED.test(ch))) out += ch;
    // encodeURIComponent leaves !'()* alone; RFC 6570 percent-encodes them.
    else
      out += encodeURIComponent(ch).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
  }
  return out;
}

const RULES: Record<
  string,
  { first: string; sep: string; named: boolean; ifEmpty: string; reserved: boolean }
> = {
  '': { first: '', sep: ',', named: false, ifEmpty: '', reserved: false },
  '+': { first: '', sep: ',', named: false, ifEmpty: '', reserved: true },
  '#': { first: '#', sep: ',', named: false, ifEmpty: '', reserved: true },
  '.': { first: '.', sep: '.', named: false, ifEmpty: '', reserved: false },
  '/': { first: '/', sep: '/', named: false, ifEmpty: '', reserved: false },
  ';': { first: ';', sep: ';', named: true, ifEmpty: '', reserved: false },
  '?': { first: '?', sep: '&', named: true, ifEmpty: '=', reserved: false },
  '&': { first: '&', sep: '&', named: true, ifEmpty: '=', reserved: false },
};

/**
 * Expand a template. A value is a string, or a list (explode `*` repeats the variable; without it
 * the items are comma-joined). Variables left empty or absent are omitted, as RFC 6570 says.
 */
export function expandTemplate(
  template: string,
  values: Record<string, string | string[] | undefined>,
): string {
  let out = '';
  for (const p of parse(template)) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const r = RULES[p.operator]!;
    const pieces: string[] = [];
    for (const v of p.vars) {
      const raw = Object.hasOwn(values, v.name) ? values[v.name] : undefined;
      if (raw === undefined) continue;
      if (Array.isArray(raw)) {
        if (raw.length === 0) continue;
        const items = raw.map((x) => encode(x, r.reserved));
        if (v.explode) pieces.push(...items.map((x) => (r.named ? `${v.name}=${x}` : x)));
        else pieces.push(r.named ? `${v.name}=${items.join(',')}` : items.join(','));
        continue;
      }
      const s = v.prefix !== undefined ? [...raw].slice(0, v.prefix).join('') : raw;
      const enc = encode(s, r.reserved);
      if (r.named) pieces.push(enc === '' ? `${v.name}${r.ifEmpty}` : `${v.name}=${enc}`);
      else pieces.push(enc);
    }
    if (pieces.length) out += r.first + pieces.join(r.sep);
  }
  return out;
}
