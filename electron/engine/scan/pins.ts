// The pin store for rug-pull detection: one JSON file per server under <dataDir>/pins
// (MCPSCOPE_HOME/pins when set). A pin is the canonical hash and copy of every definition, so a
// later scan can show a readable diff. Files are written atomically (temp + rename).

import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureSource } from '../../../shared/capture/types.js';
import type { ServerPins } from '../../../shared/detect/rugpull.js';
import { dataDir } from '../paths.js';
import { ensurePrivateDir } from '../fsperm.js';

export function pinsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'pins');
}

/**
 * File for a server: its name plus a fingerprint of how it is reached (command line or URL), so
 * two configs that reuse a name for different servers do not share pins.
 */
export function pinPath(
  server: string,
  identity: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const safe = server.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'server';
  const fp = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  return join(pinsDir(env), `${safe}-${fp}.json`);
}

/**
 * How a recorded server was reached, in the form `targetIdentity` gives a live target (the JSON
 * command line, or the URL without query and fragment), so a capture finds the pins a live scan of
 * the same server wrote. Undefined when the capture does not say.
 */
export function captureIdentity(source: CaptureSource): string | undefined {
  if (source.transport === 'stdio')
    return source.command && source.command.length > 0 ? JSON.stringify(source.command) : undefined;
  return source.url !== undefined ? source.url.replace(/[?#].*$/, '') : undefined;
}

export class PinStore {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  load(server: string, identity: string): ServerPins | undefined {
    const path = pinPath(server, identity, this.env);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`cannot read pins ${path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      const v = JSON.parse(text) as ServerPins;
      if (typeof v !== 'object' || v === null || typeof v.lists !== 'object')
        throw new Error('not a pin file');
      return v;
    } catch (e) {
      throw new Error(
        `pins ${path} are corrupt (${(e as Error).message}); delete the file to pin this server again`,
        { cause: e },
      );
    }
  }

  save(pins: ServerPins, identity: string): string {
    const path = pinPath(pins.server, identity, this.env);
    ensurePrivateDir(pinsDir(this.env), dataDir(this.env));
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(pins, null, 1)}\n`, { mode: 0o600 });
    renameSync(tmp, path);
    return path;
  }
}
