// mcpscope read: connect, read one resource, print its contents, disconnect.
import type { Io } from '../args.js';
import { safe, safeText } from '../format.js';
import { oneShot, POLICY_USAGE } from './call.js';
import { OAUTH_USAGE, TARGET_USAGE } from './inspect.js';
import { isJsonObject as isObject } from '../../../shared/json.js';

export const usage = `usage: mcpscope read [--json] URI (-- CMD [ARGS…] | --url URL [--header K:V]… [--sse])

Connects, reads the resource URI, prints its contents and disconnects. Text contents are printed
as text (control characters made visible), blobs as a size line; --json prints the whole
ReadResourceResult. Exit 0 on success, 1 when it cannot connect or the read fails, 2 on usage errors.

${POLICY_USAGE}
${TARGET_USAGE}
${OAUTH_USAGE}`;

export async function run(argv: string[], io: Io): Promise<number> {
  return oneShot('read', argv, io, usage, async (conn, uri, values) => {
    const result = await conn.readResource(uri);
    if (values.json) {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    const contents = Array.isArray(result.contents) ? result.contents.filter(isObject) : [];
    for (const c of contents) {
      if (contents.length > 1)
        io.out(`--- ${safe(String(c.uri))}${c.mimeType ? ` [${safe(String(c.mimeType))}]` : ''}\n`);
      if (typeof c.text === 'string') io.out(`${safeText(c.text)}\n`);
      else if (typeof c.blob === 'string')
        io.out(
          `[blob ${safe(String(c.mimeType ?? 'application/octet-stream'))}, ${c.blob.length} base64 chars; use --json for the data]\n`,
        );
    }
    return 0;
  });
}
