// First run: connect the bundled demo server as a client session and exercise it a little, so the
// timeline is populated (handshake, lists, a few calls, one leaked fake key) the moment the UI opens.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostApiError, type ConnectionInfo, type StdioProfile } from '../../../shared/host-api.js';
import type { AppEngine } from './engine.js';

/** The compiled demo server (dist/electron/engine/demo/server.js). */
export function demoServerPath(): string {
  const sibling = fileURLToPath(new URL('../demo/server.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  // Running from source (tests): use the build.
  const built = fileURLToPath(
    new URL('../../../dist/electron/engine/demo/server.js', import.meta.url),
  );
  return existsSync(built) ? built : sibling;
}

export function demoProfile(node = process.execPath, env?: Record<string, string>): StdioProfile {
  return {
    transport: 'stdio',
    name: 'mcpscope demo',
    command: node,
    args: [demoServerPath()],
    ...(env ? { env } : {}),
  };
}

export function demoCapturePath(dataDir: string): string {
  return join(dataDir, 'demo', 'demo.mcpscope.jsonl');
}

export async function startDemo(
  engine: AppEngine,
  profile: StdioProfile = demoProfile(),
): Promise<ConnectionInfo> {
  const script = profile.args?.[0];
  if (script && !existsSync(script)) {
    throw new HostApiError(
      'unavailable',
      `the demo server is not built (${script}); run \`npm run build\``,
    );
  }
  const api = engine.commands;
  // One demo session, not one per launch: every launch rewrites the same file, which lives outside
  // the captures folder so the library scan never lists an old one next to the new.
  const conn = await engine.connections.connect(profile, {
    capturePath: demoCapturePath(engine.dataDir),
  });
  engine.demoConnectionId = conn.id;
  const connectionId = conn.id;
  await api.listTools({ connectionId });
  await api.listResources({ connectionId });
  await api.listResourceTemplates({ connectionId });
  await api.listPrompts({ connectionId });
  await api.callTool({ connectionId, name: 'echo', arguments: { message: 'hello from mcpscope' } });
  await api.callTool({ connectionId, name: 'add', arguments: { a: 2, b: 3 } });
  await api.callTool({
    connectionId,
    name: 'slow-count',
    arguments: { n: 3, delayMs: 10 },
    progress: true,
  });
  await api.readResource({ connectionId, uri: 'demo://readme' });
  await api.callTool({ connectionId, name: 'read-config', arguments: {} });
  return (await api.listConnections(undefined)).find((c) => c.id === connectionId) ?? conn;
}
