// Sessions from the team store as capture files, for the commands and views that read files
// (scan, export, the app's library): each is pulled byte for byte (pg.ts pullCapture) into a
// private temporary folder named by its session id, removed by `cleanup`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, pullCapture, StoreError } from './pg.js';

/** A session id as the store keys them (the capture header's hex id, or any safe file name). */
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function checkSessionId(id: string): void {
  if (!SESSION_ID.test(id))
    throw new StoreError(
      `"${id.slice(0, 80)}" is not a session id (letters, digits, - and _). List them with \`mcpscope sessions --from URL\`.`,
    );
}

export interface PulledSessions {
  /** Session id → its capture file in the temporary folder. */
  files: Map<string, string>;
  cleanup(): void;
}

export async function pullSessionsToTemp(url: string, ids: string[]): Promise<PulledSessions> {
  for (const id of ids) checkSessionId(id);
  const dir = mkdtempSync(join(tmpdir(), 'mcpscope-store-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const files = new Map<string, string>();
  let c;
  try {
    c = await openStore(url);
    for (const id of ids) {
      const path = join(dir, `${id}.mcpscope.jsonl`);
      await pullCapture(c, id, path);
      files.set(id, path);
    }
  } catch (e) {
    cleanup();
    throw e;
  } finally {
    await c?.end().catch(() => undefined);
  }
  return { files, cleanup };
}
