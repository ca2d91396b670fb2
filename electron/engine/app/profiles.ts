// Saved connection profiles in the data directory (profiles.json, mode 0600), shared by browser
// mode and Electron. Secrets never reach the file: environment values, credential header values
// and bearer tokens are reduced to their names here, whatever the UI sent.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  HostApiError,
  type ConnectionProfile,
  type SavedProfile,
} from '../../../shared/host-api.js';
import { isSecretHeader } from '../../../shared/http/headers.js';
import { z } from 'zod';
import { checkCommandArgs, describeIssue } from '../../../shared/host-api-schemas.js';

const FILE_VERSION = 1;
/** Far beyond what a person keeps; bounds what a damaged or hostile file can make us hold. */
const MAX_PROFILES = 500;

/** The profile as it may be written to disk: names of secrets, never their values. */
export function toSavedProfile(name: string, p: ConnectionProfile, now: number): SavedProfile {
  const s: SavedProfile = { name, transport: p.transport, savedAt: now };
  if (p.roots?.length)
    s.roots = p.roots.map((r) => ({
      uri: r.uri,
      ...(r.name !== undefined ? { name: r.name } : {}),
    }));
  if (p.transport === 'stdio') {
    s.command = p.command;
    if (p.args?.length) s.args = [...p.args];
    if (p.cwd) s.cwd = p.cwd;
    const keys = Object.keys(p.env ?? {});
    if (keys.length) s.envKeys = keys;
    return s;
  }
  s.url = p.url;
  const plain: Record<string, string> = {};
  const secret: string[] = [];
  for (const [k, v] of Object.entries(p.headers ?? {})) {
    if (isSecretHeader(k)) secret.push(k);
    else plain[k] = v;
  }
  if (Object.keys(plain).length) s.headers = plain;
  if (secret.length) s.secretHeaders = secret;
  if (p.bearerToken) s.bearerToken = true;
  if (p.auth === 'oauth') s.auth = 'oauth';
  return s;
}

const diskEntry = z.looseObject({
  name: z.string().min(1).max(200),
  savedAt: z.number().int().min(0).optional(),
  envKeys: z.array(z.string().max(1000)).max(1000).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  secretHeaders: z.array(z.string().max(1000)).max(1000).optional(),
  bearerToken: z.boolean().optional(),
});

/** Read back one entry of the file; anything unexpected is an error naming the entry. */
function fromDisk(v: unknown, i: number): SavedProfile {
  const r = diskEntry.safeParse(v);
  if (!r.success) throw new Error(`entry ${i + 1}: ${describeIssue(r.error.issues[0]!)}`);
  const o = r.data;
  // Re-derive through the same reduction, so a hand-edited file cannot smuggle values back in.
  const env = Object.fromEntries((o.envKeys ?? []).map((k) => [k, '']));
  const headers = {
    ...(o.headers ?? {}),
    ...Object.fromEntries((o.secretHeaders ?? []).map((k) => [k, ''])),
  };
  const { name: _n, savedAt: _s, envKeys: _e, secretHeaders: _h, bearerToken, ...rest } = o;
  const base: Record<string, unknown> = {
    ...rest,
    ...(rest.transport === 'stdio' ? { env } : { headers }),
    ...(bearerToken ? { bearerToken: 'x' } : {}),
  };
  return toSavedProfile(o.name, checkCommandArgs('connect', base), o.savedAt ?? 0);
}

export class ProfileStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'profiles.json');
  }

  list(): SavedProfile[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new HostApiError('unavailable', `cannot read ${this.path}: ${(e as Error).message}`);
    }
    try {
      const doc = JSON.parse(text) as unknown;
      const o = (
        typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : {}
      ) as Record<string, unknown>;
      if (o.v !== FILE_VERSION || !Array.isArray(o.profiles))
        throw new Error(`expected {"v":${FILE_VERSION},"profiles":[…]}`);
      return o.profiles.slice(0, MAX_PROFILES).map(fromDisk);
    } catch (e) {
      throw new HostApiError(
        'unavailable',
        `${this.path} is damaged (${(e as Error).message}); fix it or delete it to start with no saved profiles`,
      );
    }
  }

  save(name: string, profile: ConnectionProfile, now = Date.now()): SavedProfile {
    const saved = toSavedProfile(name, profile, now);
    const rest = this.list().filter((p) => p.name !== name);
    if (rest.length >= MAX_PROFILES)
      throw new HostApiError(
        'bad-request',
        `at most ${MAX_PROFILES} profiles can be saved; delete some first`,
      );
    this.write([saved, ...rest]);
    return saved;
  }

  delete(name: string): boolean {
    const all = this.list();
    const rest = all.filter((p) => p.name !== name);
    if (rest.length === all.length) return false;
    this.write(rest);
    return true;
  }

  /** Written whole to a temporary file and renamed over the old one: a crash never leaves half a file. */
  private write(profiles: SavedProfile[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ v: FILE_VERSION, profiles }, null, 2)}\n`, {
      mode: 0o600,
    });
    renameSync(tmp, this.path);
  }
}
