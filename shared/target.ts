// Where an MCP server is and how to reach it: the ONE target model (engine, CLI, host-api, UI),
// and the ONE parser every input reduces to (CLI flags, a host config's `mcpServers` entry, the
// connect form). A new transport is a new member of `serverTargetSchema` plus its engine
// transport builder (electron/engine/client/transports.ts); see docs/architecture.md.

import { z } from 'zod';
import { isObject } from './json.js';

export const TRANSPORTS = ['stdio', 'streamable-http', 'sse'] as const;
export type TargetTransport = (typeof TRANSPORTS)[number];

/** `{name: value}` with string values only (env, headers). */
export const stringMap = () =>
  z.custom<Record<string, string>>(
    (v) => isObject(v) && Object.values(v).every((x) => typeof x === 'string'),
    { error: 'must be an object of strings' },
  );

/** http:/https: URLs only; the message says what to type instead. */
export function checkHttpUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL; enter the server URL, e.g. http://127.0.0.1:3001/mcp`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return `the URL must start with http:// or https:// (got "${u.protocol}")`;
  return undefined;
}

const httpUrl = z
  .string({ error: 'must be a string' })
  .max(10_000, { error: 'is too long' })
  .check((ctx) => {
    const problem = checkHttpUrl(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

export const stdioTargetSchema = z.object({
  transport: z.literal('stdio'),
  command: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(10_000, { error: 'is too long' }),
  args: z.array(z.string(), { error: 'must be an array of strings' }).optional(),
  /** Added to (not replacing) the environment mcpscope runs in. */
  env: stringMap().optional(),
  cwd: z.string({ error: 'must be a string' }).optional(),
  /** Pass mcpscope's whole environment (every token in it) instead of a minimal one (HOME, PATH…). */
  inheritEnv: z.boolean({ error: 'must be true or false' }).optional(),
});

export const httpTargetSchema = z.object({
  /** Streamable HTTP, or legacy HTTP+SSE. */
  transport: z.enum(['streamable-http', 'sse']),
  url: httpUrl,
  headers: stringMap().optional(),
});

export const serverTargetSchema = z.discriminatedUnion(
  'transport',
  [stdioTargetSchema, httpTargetSchema],
  {
    error: 'must be "stdio", "streamable-http" or "sse"',
  },
);

export type StdioTarget = z.infer<typeof stdioTargetSchema>;
export type HttpTarget = z.infer<typeof httpTargetSchema>;
export type ServerTarget = z.infer<typeof serverTargetSchema>;

export const isHttpTarget = (t: ServerTarget): t is HttpTarget => t.transport !== 'stdio';

/**
 * For engines that speak only some transports (fuzz, load): the target's transport, or a
 * TargetError saying which ones they take.
 */
export function requireTransport(
  t: ServerTarget,
  allowed: readonly TargetTransport[],
  what: string,
): void {
  if (allowed.includes(t.transport)) return;
  const names = allowed.map((a) =>
    a === 'stdio' ? 'stdio' : a === 'sse' ? 'legacy HTTP+SSE' : 'Streamable HTTP',
  );
  throw new TargetError(
    `${what} works with ${names.join(' and ')} servers, not ${t.transport}; connect to the server over one of those instead`,
  );
}

/** Command line or URL, for labels (callers redact secrets first where it matters). */
export function describeTarget(t: ServerTarget): string {
  return t.transport === 'stdio' ? [t.command, ...(t.args ?? [])].join(' ') : t.url;
}

/** Stable identity of a target for pins: how it is reached, without secrets in env/headers/query. */
export function targetIdentity(t: ServerTarget): string {
  return t.transport === 'stdio'
    ? JSON.stringify([t.command, ...(t.args ?? [])])
    : t.url.replace(/[?#].*$/, '');
}

// ---------------------------------------------------------------------------------------------
// The one parser

/** A target the user described wrongly; the message says what to give instead. */
export class TargetError extends Error {}

/** What every input reduces to before parseTarget checks and assembles it. */
export interface TargetFields {
  /** `stdio`, `streamable-http`, `sse`; a host config's `http`/`streamableHttp`; empty: inferred. */
  transport?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
}

/**
 * `KEY=value` (sep "=") or `Name: value` (sep ":") items → a record; blank items are skipped.
 * Keys and values are trimmed (what the connect form and the CLI flags always did for headers).
 */
export function parsePairs(items: readonly string[], sep: '=' | ':'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const t = item.trim();
    if (!t) continue;
    const i = t.indexOf(sep);
    if (i <= 0)
      throw new TargetError(`"${t}": expected ${sep === '=' ? 'NAME=value' : '"Name: value"'}`);
    out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return out;
}

const HTTP_TYPES = new Map<string, TargetTransport>([
  ['sse', 'sse'],
  ['streamable-http', 'streamable-http'],
  ['streamableHttp', 'streamable-http'],
  ['http', 'streamable-http'],
]);

/** Check and assemble a target; throws TargetError saying what was wrong and what to give. */
export function parseTarget(f: TargetFields): ServerTarget {
  const command = f.command?.trim() ? f.command.trim() : undefined;
  const url = f.url?.trim() ? f.url.trim() : undefined;
  const transport = f.transport ?? '';
  if (command && url)
    throw new TargetError('give either a command (stdio) or a URL (HTTP), not both');
  if (!command && !url) {
    if (transport === 'stdio')
      throw new TargetError('enter the command that starts the server (e.g. npx, node, uvx)');
    if (transport !== '')
      throw new TargetError('enter the server URL, e.g. http://127.0.0.1:3001/mcp');
    throw new TargetError(
      'which server? Give the command that starts it (stdio) or its URL (HTTP)',
    );
  }
  if (url !== undefined) {
    if (f.env !== undefined || f.cwd !== undefined)
      throw new TargetError('env and cwd apply to stdio servers (a command) only');
    const problem = checkHttpUrl(url);
    if (problem) throw new TargetError(problem);
    // An untyped entry whose path ends in /sse is a legacy HTTP+SSE server (the hosts' own rule).
    const kind =
      transport === ''
        ? /\/sse\/?$/.test(url)
          ? 'sse'
          : 'streamable-http'
        : HTTP_TYPES.get(transport);
    if (kind === undefined || kind === 'stdio')
      throw new TargetError(`unknown transport "${transport}": use stdio, streamable-http or sse`);
    const t: HttpTarget = { transport: kind, url };
    if (f.headers && Object.keys(f.headers).length > 0) t.headers = f.headers;
    return t;
  }
  if (f.headers !== undefined || (transport !== '' && transport !== 'stdio'))
    throw new TargetError('headers and sse apply to HTTP servers (a URL) only');
  const t: StdioTarget = { transport: 'stdio', command: command!, args: f.args ?? [] };
  if (f.env && Object.keys(f.env).length > 0) t.env = f.env;
  if (f.cwd !== undefined) t.cwd = f.cwd;
  return t;
}
