// Strict record validation: a field the decoder does not know is an error, never dropped.

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const int: Check = (v) => typeof v === 'number' && Number.isInteger(v);
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const dir: Check = (v) => v === 'c2s' || v === 's2c';
const strArr: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const strMap: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string');
const falseOnly: Check = (v) => v === false;
const intOrNull: Check = (v) => v === null || int(v);
const strOrNull: Check = (v) => v === null || str(v);
const obj: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf =
  (...xs: string[]): Check =>
  (v) =>
    typeof v === 'string' && xs.includes(v);

interface Shape {
  required: Record<string, Check>;
  optional: Record<string, Check>;
}

const base = { seq: int, ts: num, type: str };
const payload = { text: str, b64: str, eol: falseOnly, truncated: int };

// Keyed by a name the file controls (`constructor`, `__proto__` are valid strings): a Map, so no
// inherited member is ever mistaken for a record type or a field.
export const SHAPES: ReadonlyMap<string, Shape> = new Map<string, Shape>(
  Object.entries<Shape>({
    header: {
      required: {
        ...base,
        format: str,
        version: int,
        tool: str,
        created: str,
        id: str,
        source: obj,
      },
      optional: { redaction: obj, key: str, sig: str },
    },
    frame: {
      required: {
        ...base,
        dir,
        channel: oneOf('stdio', 'http-post', 'http-response', 'post-sse', 'get-sse', 'legacy-sse'),
      },
      optional: { ...payload, stream: str, eventId: str, conn: str },
    },
    stderr: { required: base, optional: { ...payload, conn: str } },
    spawn: {
      required: { ...base, command: str, args: strArr },
      optional: { pid: int, cwd: str, conn: str },
    },
    exit: { required: { ...base, code: intOrNull, signal: strOrNull }, optional: { conn: str } },
    http: {
      required: { ...base, dir, stream: str, headers: strMap },
      optional: { method: str, path: str, status: int, conn: str },
    },
    error: {
      required: { ...base, where: str, message: str },
      optional: { code: str, stream: str, conn: str },
    },
    note: { required: { ...base, text: str }, optional: { about: int, conn: str } },
    end: { required: { ...base, reason: str }, optional: { key: str, sig: str } },
    sig: { required: { ...base, key: str, sig: str }, optional: {} },
  }),
);

const SOURCE: Shape = {
  required: { transport: oneOf('stdio', 'streamable-http', 'sse', 'client') },
  optional: { command: strArr, url: str, listen: str, cwd: str, name: str },
};

const REDACTION: Shape = {
  required: { from: str, fromId: str, rules: strArr, values: int },
  optional: {},
};

function checkShape(o: Record<string, unknown>, shape: Shape, what: string): string | undefined {
  for (const [k, check] of Object.entries(shape.required)) {
    if (!Object.hasOwn(o, k)) return `${what}: missing field "${k}"`;
    if (!check(o[k])) return `${what}: field "${k}" has the wrong type`;
  }
  for (const k of Object.keys(o)) {
    if (Object.hasOwn(shape.required, k)) continue;
    const check = Object.hasOwn(shape.optional, k) ? shape.optional[k] : undefined;
    if (!check) return `${what}: unknown field "${k}" (written by a newer mcpscope?)`;
    if (!check(o[k])) return `${what}: field "${k}" has the wrong type`;
  }
  return undefined;
}

/** Returns why the object is not a valid record of the current version, or undefined if it is. */
export function recordProblem(o: Record<string, unknown>): string | undefined {
  const type = o.type;
  if (typeof type !== 'string') return 'record has no "type"';
  const shape = SHAPES.get(type);
  if (!shape) return `unknown record type ${JSON.stringify(type)}`;
  const p = checkShape(o, shape, `${type} record`);
  if (p) return p;
  if (type === 'header') {
    if (Object.hasOwn(o, 'redaction')) {
      const r = checkShape(o.redaction as Record<string, unknown>, REDACTION, 'header redaction');
      if (r) return r;
    }
    return checkShape(o.source as Record<string, unknown>, SOURCE, 'header source');
  }
  if (
    (type === 'frame' || type === 'stderr') &&
    Object.hasOwn(o, 'text') === Object.hasOwn(o, 'b64')
  ) {
    return `${type} record must have exactly one of "text" and "b64"`;
  }
  return undefined;
}
