// inspectTarget: connect, list everything (every page), disconnect. Used by `mcpscope inspect`
// and the scanner. Lists only what the server declares (a server without `prompts` is not asked
// for prompts, exactly as a capability-respecting client would).

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Connection } from './connection.js';
import { LIST_METHOD } from './lists.js';
import { ConnectionManager } from './manager.js';
import type { InspectOptions, InspectResult, JsonObject, ServerTarget } from './types.js';

/** Connect, list everything (every page), disconnect. Throws ConnectError when it cannot connect. */
export async function inspectTarget(
  target: ServerTarget,
  opts: InspectOptions = {},
): Promise<InspectResult> {
  const { out, onWarning, ...connect } = opts;
  // Without `out` the session is still recorded (the recorder is the transport), into a temporary file.
  const temp =
    out === undefined
      ? join(
          tmpdir(),
          `mcpscope-inspect-${process.pid}-${randomBytes(4).toString('hex')}.mcpscope.jsonl`,
        )
      : undefined;
  const manager = new ConnectionManager();
  try {
    const conn = await manager.open(target, {
      ...connect,
      capturePath: out ?? temp!,
      refreshOnListChanged: false,
    });
    const list = async (
      kind: 'tools' | 'resources' | 'resourceTemplates' | 'prompts',
      declared: unknown,
    ): Promise<JsonObject[]> => {
      if (!declared) return [];
      try {
        return await conn.list(kind);
      } catch (e) {
        if (!(e instanceof McpError) || e.code !== ErrorCode.MethodNotFound) throw e;
        const message = `the server declares the capability for ${LIST_METHOD[kind]} but answered "method not found" (${e.message}); listed as empty`;
        conn.rec.note(message);
        onWarning?.(message);
        return [];
      }
    };
    try {
      return await collect(conn, list);
    } finally {
      await conn.close();
    }
  } finally {
    await manager.closeAll();
    if (temp) rmSync(temp, { force: true });
  }
}

async function collect(
  conn: Connection,
  list: (
    kind: 'tools' | 'resources' | 'resourceTemplates' | 'prompts',
    declared: unknown,
  ) => Promise<JsonObject[]>,
): Promise<InspectResult> {
  const info = conn.info;
  const caps = info.serverCapabilities ?? {};
  return {
    protocolVersion: info.protocolVersion ?? '',
    serverInfo: info.serverInfo ?? {},
    capabilities: caps,
    instructions: info.instructions ?? null,
    tools: await list('tools', caps.tools),
    resources: await list('resources', caps.resources),
    resourceTemplates: await list('resourceTemplates', caps.resources),
    prompts: await list('prompts', caps.prompts),
  };
}
