// inspectTarget: connect, list everything (every page), disconnect. Used by `mcpscope inspect`
// and the scanner. Lists only what the server declares (a server without `prompts` is not asked
// for prompts, exactly as a capability-respecting client would).

import { ConnectionManager } from './manager.js';
import type { InspectOptions, InspectResult, JsonObject, ServerTarget } from './types.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** Connect, list everything (every page), disconnect. Throws ConnectError when it cannot connect. */
export async function inspectTarget(target: ServerTarget, opts: InspectOptions = {}): Promise<InspectResult> {
  const { out, ...connect } = opts;
  // Without --out the session is still recorded (the recorder is the transport), into a temporary file.
  const temp = out === undefined ? join(tmpdir(), `mcpscope-inspect-${process.pid}-${randomBytes(4).toString('hex')}.mcpscope.jsonl`) : undefined;
  const manager = new ConnectionManager();
  try {
    const conn = await manager.open(target, { ...connect, capturePath: out ?? temp!, refreshOnListChanged: false });
    try {
      const info = conn.info;
      const caps = info.serverCapabilities ?? {};
      const result: InspectResult = {
        protocolVersion: info.protocolVersion ?? '',
        serverInfo: info.serverInfo ?? {},
        capabilities: caps,
        instructions: info.instructions ?? null,
        tools: caps.tools ? await conn.listTools() : [],
        resources: caps.resources ? await conn.listResources() : [],
        resourceTemplates: caps.resources ? await conn.listResourceTemplates() : [],
        prompts: caps.prompts ? await conn.listPrompts() : [],
      };
      return result;
    } finally {
      await conn.close();
    }
  } finally {
    await manager.closeAll();
    if (temp) rmSync(temp, { force: true });
  }
}

export type { JsonObject };
