// mcpscope call: connect, call one tool, print its result, disconnect. Also the shared runner
// of the one-shot client commands (call, read, prompt).

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConnectError,
  ConnectionManager,
  type Connection,
  type JsonObject,
} from '../../engine/client/index.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { safe, safeText } from '../format.js';
import {
  connectOptionsFromArgs,
  OAUTH_OPTIONS,
  TARGET_OPTIONS,
  OAUTH_USAGE,
  TARGET_USAGE,
  targetFromArgs,
  type TargetValues,
} from './inspect.js';
import { isJsonObject as isObject } from '../../../shared/json.js';

export const ONE_SHOT_OPTIONS = {
  ...TARGET_OPTIONS,
  ...OAUTH_OPTIONS,
  args: { type: 'string' },
  policy: { type: 'string' },
} as const;
export type OneShotValues = TargetValues & { args?: string; policy?: string };

export const POLICY_USAGE = `  --policy FILE           answers to server requests (sampling, elicitation, roots) as
                          {"answers": {"sampling/createMessage": {…}}, "roots": [{"uri": "file:///…"}]};
                          the matching capabilities are declared. Without it they are not declared.`;

export const usage = `usage: mcpscope call [--json] [--args JSON] [--policy FILE] TOOL (-- CMD [ARGS…] | --url URL [--header K:V]… [--sse])

Connects, calls the tool TOOL with the arguments object --args (default {}), prints the result and
disconnects. Text content is printed as text (control characters made visible); --json prints the
whole CallToolResult. Exit 0 on success, 1 when it cannot connect, the call fails, or the tool
reports isError; 2 on usage errors.

  --args JSON             the tool's arguments as a JSON object, e.g. --args '{"message":"hi"}'
${POLICY_USAGE}
${TARGET_USAGE}
${OAUTH_USAGE}`;

export function parseJsonArgs(text: string | undefined, flag = '--args'): JsonObject {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${flag} is not valid JSON (${(e as Error).message}). Quote it for the shell: ${flag} '{"name":"value"}'`,
    );
  }
  if (!isObject(v))
    throw new UsageError(`${flag} must be a JSON object, e.g. ${flag} '{"name":"value"}'`);
  return v;
}

/** Connect with the common flags, run `op`, close. Prints connect failures and returns 1. */
export async function oneShot(
  name: string,
  argv: string[],
  io: Io,
  usageText: string,
  op: (conn: Connection, operand: string, values: OneShotValues) => Promise<number>,
  /** Checks the operation's own flags before anything is started (throws UsageError). */
  precheck?: (values: OneShotValues) => void,
): Promise<number> {
  const { values, positionals, command } = parseCommandArgs<OneShotValues>(
    argv,
    ONE_SHOT_OPTIONS,
    usageText,
  );
  if (values.help) {
    io.out(`${usageText}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `${name} takes exactly one ${name === 'read' ? 'URI' : 'name'} before the server.\n\n${usageText}`,
    );
  const target = targetFromArgs(values, command, usageText);
  const opts = connectOptionsFromArgs(values);
  precheck?.(values);
  // Always recorded; kept only with --out.
  const temp =
    values.out === undefined
      ? join(
          tmpdir(),
          `mcpscope-${name}-${process.pid}-${randomBytes(4).toString('hex')}.mcpscope.jsonl`,
        )
      : undefined;
  let reported = false;
  const manager = new ConnectionManager({
    // A capture that stops being written is reported once, not discovered after the session.
    onCaptureError: (e, path) => {
      if (values.out === undefined || reported) return;
      reported = true;
      io.err(`mcpscope ${name}: the capture ${safe(path)} cannot be written: ${safe(e.message)}\n`);
    },
  });
  if (!values.json) {
    manager.on('notification', (n) => {
      if (n.method === 'notifications/message')
        io.err(`log [${safe(String(n.params.level))}] ${safe(JSON.stringify(n.params.data))}\n`);
    });
  }
  try {
    let conn: Connection;
    try {
      conn = await manager.open(target, { ...opts, capturePath: values.out ?? temp! });
    } catch (e) {
      io.err(`mcpscope ${name}: ${safeText((e as Error).message)}\n`);
      if (!(e instanceof ConnectError)) io.err(`(unexpected: ${(e as Error).stack ?? ''})\n`);
      return 1;
    }
    try {
      return await op(conn, positionals[0]!, values);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.err(`mcpscope ${name}: ${safeText((e as Error).message)}\n`);
      return 1;
    }
  } finally {
    await manager.closeAll();
    if (temp) rmSync(temp, { force: true });
  }
}

/** Human-readable content blocks (tool results, prompt messages). */
export function contentText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  const out: string[] = [];
  for (const c of content) {
    if (!isObject(c)) continue;
    if (c.type === 'text' && typeof c.text === 'string') out.push(safeText(c.text));
    else if ((c.type === 'image' || c.type === 'audio') && typeof c.data === 'string')
      out.push(`[${c.type} ${safe(String(c.mimeType))}, ${c.data.length} base64 chars]`);
    else if (c.type === 'resource' && isObject(c.resource)) {
      out.push(`[resource ${safe(String(c.resource.uri))}]`);
      if (typeof c.resource.text === 'string') out.push(safeText(c.resource.text));
    } else if (c.type === 'resource_link')
      out.push(`[link ${safe(String(c.uri))}${c.name ? ` ${safe(String(c.name))}` : ''}]`);
    else out.push(safe(JSON.stringify(c)));
  }
  return out.join('\n');
}

export async function run(argv: string[], io: Io): Promise<number> {
  return oneShot(
    'call',
    argv,
    io,
    usage,
    async (conn, tool, values) => {
      const args = parseJsonArgs(values.args);
      const result = await conn.callTool(tool, args, {
        ...(values.json
          ? {}
          : {
              onProgress: (p) =>
                io.err(
                  `progress ${p.progress}${p.total !== undefined ? `/${p.total}` : ''}${p.message ? ` ${safe(p.message)}` : ''}\n`,
                ),
            }),
      });
      if (values.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const text = contentText(result.content);
        if (text) io.out(`${text}\n`);
        if (result.structuredContent !== undefined && !text)
          io.out(`${safeText(JSON.stringify(result.structuredContent, null, 2))}\n`);
      }
      if (result.isError === true) {
        io.err(`mcpscope call: the tool "${safe(tool)}" reported an error (isError: true)\n`);
        return 1;
      }
      return 0;
    },
    (v) => void parseJsonArgs(v.args),
  );
}
