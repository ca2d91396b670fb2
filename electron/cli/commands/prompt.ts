// mcpscope prompt: connect, get one prompt with its arguments, print its messages, disconnect.
import { UsageError, type Io } from '../args.js';
import { safe } from '../format.js';
import { contentText, oneShot, parseJsonArgs, POLICY_USAGE } from './call.js';
import { OAUTH_USAGE, TARGET_USAGE } from './inspect.js';

export const usage = `usage: mcpscope prompt [--json] [--args JSON] NAME (-- CMD [ARGS…] | --url URL [--header K:V]… [--sse])

Connects, gets the prompt NAME with the string arguments --args (a JSON object of strings), prints
its messages as "role: text" and disconnects; --json prints the whole GetPromptResult.
Exit 0 on success, 1 when it cannot connect or the request fails, 2 on usage errors.

  --args JSON             the prompt's arguments, e.g. --args '{"city":"Paris"}'
${POLICY_USAGE}
${TARGET_USAGE}
${OAUTH_USAGE}`;

function promptArgs(text: string | undefined): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseJsonArgs(text))) {
    if (typeof v !== 'string')
      throw new UsageError(
        `--args: prompt arguments are strings; "${k}" is ${JSON.stringify(v)}. Quote it: "${k}": "${String(v)}"`,
      );
    args[k] = v;
  }
  return args;
}

export async function run(argv: string[], io: Io): Promise<number> {
  return oneShot(
    'prompt',
    argv,
    io,
    usage,
    async (conn, name, values) => {
      const args = promptArgs(values.args);
      const result = await conn.getPrompt(name, args);
      if (values.json) {
        io.out(`${JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      if (typeof result.description === 'string') io.out(`# ${safe(result.description)}\n`);
      for (const m of Array.isArray(result.messages)
        ? (result.messages as { role?: unknown; content?: unknown }[])
        : []) {
        io.out(`${safe(String(m.role))}: ${contentText([m.content])}\n`);
      }
      return 0;
    },
    (v) => void promptArgs(v.args),
  );
}
