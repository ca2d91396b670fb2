// mcpscope inspect: connect as a client, print the handshake and everything the server offers.
// Also home of the target flags shared by inspect, call, read and prompt.

import type { ParseArgsConfig } from 'node:util';
import {
  ConnectError,
  inspectTarget,
  loadPolicy,
  type ConnectOptions,
  type DeclaredCapabilities,
  type InspectResult,
  type JsonObject,
  type ServerTarget,
} from '../../engine/client/index.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { parsePairs, parseTarget, TargetError, type TargetFields } from '../../../shared/target.js';
import { paint, safe, safeText } from '../format.js';
import { outPathProblem } from '../out.js';
import { OAuthSession } from '../../engine/client/oauth.js';
import { isJsonObject as isObject } from '../../../shared/json.js';

export const TARGET_USAGE = `target (exactly one):
  -- CMD [ARGS…]          a stdio server: mcpscope starts it (give it last)
  --url URL               a Streamable HTTP server (e.g. http://127.0.0.1:3001/mcp)
  --url URL --sse         a legacy HTTP+SSE server (e.g. http://127.0.0.1:3001/sse)
target options:
  --header "K: V"         HTTP header, repeatable (e.g. --header "Authorization: Bearer $TOKEN")
  --env K=V               environment variable for a stdio server, repeatable (it otherwise gets
                          only HOME, PATH and the like, not your tokens)
  --inherit-env           give a stdio server mcpscope's whole environment
  --cwd DIR               working directory of a stdio server
  --protocol-version V    protocol version to ask for in initialize (default: the SDK's latest)
  --timeout MS            per-request timeout (default 60000; progress notifications reset it)
  --out FILE              keep the recorded session in FILE (.mcpscope.jsonl)`;

export const OAUTH_USAGE = `  --oauth                 authorize with OAuth first (--url, with or without --sse; discovery, registration,
                          PKCE, a loopback redirect on 127.0.0.1; tokens kept in memory only)
  --oauth-open false      print the authorization URL without opening a browser`;

export const TARGET_OPTIONS = {
  url: { type: 'string' },
  header: { type: 'string', multiple: true },
  sse: { type: 'boolean' },
  env: { type: 'string', multiple: true },
  'inherit-env': { type: 'boolean' },
  cwd: { type: 'string' },
  'protocol-version': { type: 'string' },
  timeout: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies NonNullable<ParseArgsConfig['options']>;

/** Client-mode commands only (inspect, call, read, prompt): OAuth before connecting. */
export const OAUTH_OPTIONS = {
  oauth: { type: 'boolean' },
  'oauth-open': { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export interface TargetValues {
  url?: string;
  header?: string[];
  sse?: boolean;
  env?: string[];
  'inherit-env'?: boolean;
  cwd?: string;
  'protocol-version'?: string;
  timeout?: string;
  out?: string;
  oauth?: boolean;
  'oauth-open'?: string;
  json?: boolean;
  help?: boolean;
}

/** Build the server target from the flags with the shared parser; usage errors say exactly what is wrong. */
export function targetFromArgs(
  values: TargetValues,
  command: string[] | undefined,
  usage: string,
): ServerTarget {
  const [cmd, ...args] = command ?? [];
  const outProblem = values.out !== undefined ? outPathProblem(values.out) : undefined;
  if (outProblem) throw new UsageError(`--out: ${outProblem}. Choose a path you can write.`);
  try {
    const fields: TargetFields = {};
    if (cmd !== undefined) Object.assign(fields, { command: cmd, args });
    if (values.url !== undefined)
      Object.assign(fields, { url: values.url, transport: values.sse ? 'sse' : 'streamable-http' });
    else if (values.sse) fields.transport = 'sse';
    if (values.header) fields.headers = flagPairs('--header', values.header, ':');
    if (values.env) fields.env = flagPairs('--env', values.env, '=');
    if (values.cwd !== undefined) fields.cwd = values.cwd;
    if (cmd === undefined && values.url === undefined)
      throw new TargetError('which server? Give -- CMD [ARGS…] (stdio) or --url URL (HTTP).');
    if (values['inherit-env'] && values.url !== undefined)
      throw new TargetError('--inherit-env applies to stdio servers (-- CMD) only.');
    const t = parseTarget(fields);
    if (values['inherit-env'] && t.transport === 'stdio') t.inheritEnv = true;
    return t;
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(`${e.message}\n\n${usage}`);
    throw e;
  }
}

function flagPairs(flag: string, items: string[], sep: '=' | ':'): Record<string, string> {
  try {
    return parsePairs(items, sep);
  } catch (e) {
    throw new TargetError(`${flag} ${(e as Error).message}`);
  }
}

/** --oauth [--oauth-open true|false]: authorize with OAuth before connecting (an HTTP server). */
function oauthFromArgs(values: TargetValues): OAuthSession | undefined {
  const open = values['oauth-open'];
  if (open !== undefined && open !== 'true' && open !== 'false')
    throw new UsageError(`--oauth-open "${open}": expected true or false.`);
  if (!values.oauth) {
    if (open !== undefined) throw new UsageError('--oauth-open goes with --oauth.');
    return undefined;
  }
  if (values.url === undefined)
    throw new UsageError(
      '--oauth works with an HTTP server: give --url URL (and --sse if legacy).',
    );
  return new OAuthSession({
    open: open !== 'false',
    print: (line) => process.stderr.write(`${line}\n`),
  });
}

export function connectOptionsFromArgs(values: TargetValues & { policy?: string }): ConnectOptions {
  const o: ConnectOptions = {};
  const oauth = oauthFromArgs(values);
  if (oauth) o.oauth = oauth;
  if (values['protocol-version'] !== undefined) o.protocolVersion = values['protocol-version'];
  if (values.timeout !== undefined) {
    const n = Number(values.timeout);
    if (!Number.isInteger(n) || n <= 0)
      throw new UsageError(
        `--timeout "${values.timeout}": expected a positive number of milliseconds.`,
      );
    o.timeoutMs = n;
  }
  if (values.policy !== undefined) {
    let policy;
    try {
      policy = loadPolicy(values.policy);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    o.policy = policy;
    // Declare exactly the capabilities the policy can answer for.
    const caps: DeclaredCapabilities = {};
    if (policy.answers?.['sampling/createMessage']) caps.sampling = {};
    if (policy.answers?.['elicitation/create']) caps.elicitation = {};
    if (policy.answers?.['roots/list'] || policy.roots) caps.roots = {};
    o.capabilities = caps;
  }
  return o;
}

export const usage = `usage: mcpscope inspect [--json] [--out FILE] (-- CMD [ARGS…] | --url URL [--header K:V]… [--sse])

Connects to an MCP server as a client and prints the handshake (protocol version, server info,
capabilities, instructions) and every tool (input schema summarised), resource, resource template
and prompt, following every page. --json prints {protocolVersion, serverInfo, capabilities,
instructions, tools, resources, resourceTemplates, prompts} with the full objects.
Exit 0 on success, 1 when it cannot connect, 2 on usage errors.

${TARGET_USAGE}
${OAUTH_USAGE}`;

/** `name: type` pairs of a JSON Schema's top-level properties, `?` marking optional ones. */
export function schemaSummary(schema: unknown): string {
  if (!isObject(schema) || !isObject(schema.properties)) return '';
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(schema.properties)
    .map(([k, v]) => {
      const t = isObject(v)
        ? Array.isArray(v.type)
          ? v.type.join('|')
          : typeof v.type === 'string'
            ? v.type
            : Array.isArray(v.enum)
              ? 'enum'
              : 'any'
        : 'any';
      return `${k}${required.includes(k) ? '' : '?'}: ${t}`;
    })
    .join(', ');
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
const firstLine = (v: unknown): string => {
  const s = str(v).split('\n')[0] ?? '';
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
};

export function inspectText(r: InspectResult, color: boolean): string {
  const p = paint(color);
  const info = r.serverInfo;
  const caps = Object.entries(r.capabilities).map(([k, v]) => {
    const subs = isObject(v) ? Object.keys(v).filter((s) => v[s] === true) : [];
    return subs.length ? `${k}(${subs.join(',')})` : k;
  });
  const lines = [
    p.bold('handshake'),
    `  protocol      ${safe(r.protocolVersion)}`,
    `  server        ${safe(`${str(info.name)} ${str(info.version)}`.trim())}${info.title ? safe(` (${str(info.title)})`) : ''}`,
    `  capabilities  ${safe(caps.join(', ') || 'none')}`,
  ];
  if (r.instructions) lines.push(`  instructions  ${safe(firstLine(r.instructions))}`);
  const section = (title: string, items: JsonObject[], line: (x: JsonObject) => string): void => {
    lines.push('', p.bold(`${title} (${items.length})`));
    for (const x of items) lines.push(`  ${safe(line(x))}`);
  };
  section(
    'tools',
    r.tools,
    (t) =>
      `${str(t.name)}(${schemaSummary(t.inputSchema)})${t.description ? ` — ${firstLine(t.description)}` : ''}`,
  );
  section(
    'resources',
    r.resources,
    (x) =>
      `${str(x.uri)}${x.name ? `  ${str(x.name)}` : ''}${x.mimeType ? `  [${str(x.mimeType)}]` : ''}`,
  );
  section(
    'resource templates',
    r.resourceTemplates,
    (x) => `${str(x.uriTemplate)}${x.name ? `  ${str(x.name)}` : ''}`,
  );
  section('prompts', r.prompts, (x) => {
    const args = Array.isArray(x.arguments)
      ? x.arguments.filter(isObject).map((a) => `${str(a.name)}${a.required ? '' : '?'}`)
      : [];
    return `${str(x.name)}(${args.join(', ')})${x.description ? ` — ${firstLine(x.description)}` : ''}`;
  });
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals, command } = parseCommandArgs<TargetValues>(
    argv,
    { ...TARGET_OPTIONS, ...OAUTH_OPTIONS },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length)
    throw new UsageError(
      `unexpected argument "${positionals[0]}". Put the server command after --.\n\n${usage}`,
    );
  const target = targetFromArgs(values, command, usage);
  const opts = connectOptionsFromArgs(values);
  let result: InspectResult;
  try {
    result = await inspectTarget(target, {
      ...opts,
      ...(values.out !== undefined ? { out: values.out } : {}),
      onWarning: (m) => io.err(`mcpscope inspect: warning: ${safe(m)}\n`),
    });
  } catch (e) {
    if (e instanceof ConnectError) {
      io.err(`mcpscope inspect: ${safeText(e.message)}\n`);
      return 1;
    }
    io.err(`mcpscope inspect: ${safeText((e as Error).message)}\n`);
    return 1;
  }
  io.out(values.json ? `${JSON.stringify(result, null, 2)}\n` : inspectText(result, io.color));
  return 0;
}
