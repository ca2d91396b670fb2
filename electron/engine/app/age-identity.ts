// Encrypted captures in the app's library: `*.age` files in the captures folder (and
// captures/imported), written by `export --encrypt-to`, are opened with the age identity file the
// user chose in Settings. Only that file's path is saved (age-identity.json in the data
// directory); its keys stay in the engine's memory and the decrypted capture is never written to
// disk. An identity file other users can read is refused, like ssh refuses a loose private key.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { HostApiError, type HostCommandsApi } from '../../../shared/host-api.js';
import type { AgeIdentityInfo, EncryptedCapture } from '../../../shared/host-api-age.js';
import { isObject } from '../../../shared/json.js';
import { AGE_MAGIC, AgeError, readIdentityFile, recipientsOf } from '../capture/age.js';
import { ensurePrivateDir, tightenFile } from '../fsperm.js';
import { importedPath } from './imported-path.js';
import type { SessionRegistry } from './registry.js';

/** How an encrypted capture is named: `export --encrypt-to` appends `.age` to the capture's name. */
export const ENCRYPTED_SUFFIX = '.age';

type AgeApi = Pick<HostCommandsApi, 'getAgeIdentity' | 'setAgeIdentity' | 'importEncrypted'>;

/** The identity file's keys, checked: readable by its owner only, and an age identity file. */
export function loadIdentity(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new HostApiError(
      'bad-request',
      `cannot use ${path} as the age identity: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}; choose the file \`mcpscope key age-keygen --out FILE\` wrote`,
    );
  }
  if (!st.isFile())
    throw new HostApiError('bad-request', `${path} is not a file; choose an age identity file`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
    throw new HostApiError(
      'bad-request',
      `${path} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); an identity opens every capture encrypted to it: run \`chmod 600 ${path}\` and choose it again`,
    );
  try {
    return readIdentityFile(path);
  } catch (e) {
    const msg = (e as Error).message.replace(/^--identity /, '');
    throw new HostApiError('bad-request', msg);
  }
}

/** Encrypted captures in the captures folder and captures/imported, owned by this user. */
function encryptedFiles(capturesDir: string): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  for (const dir of [capturesDir, join(capturesDir, 'imported')]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith(ENCRYPTED_SUFFIX)) continue;
      const path = join(dir, name);
      try {
        const st = statSync(path);
        if (!st.isFile() || (process.getuid && st.uid !== process.getuid())) continue;
      } catch {
        continue;
      }
      out.push({ path, name });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export class AgeIdentityStore {
  private readonly file: string;
  private path: string | undefined;
  private keys: string[] = [];
  private problem: string | undefined;
  private locked: EncryptedCapture[] = [];
  /** Paths of the encrypted files the library opened with the identity. */
  private readonly opened = new Set<string>();

  constructor(
    private readonly dataDir: string,
    private readonly capturesDir: string,
    private readonly registry: SessionRegistry,
  ) {
    this.file = join(dataDir, 'age-identity.json');
  }

  /** Read the saved path (start-up); a path that no longer works is reported, not fatal. */
  load(): void {
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return; // none saved (or unreadable: Settings shows no identity and the user sets it again)
    }
    if (!isObject(saved) || typeof saved.path !== 'string') return;
    this.path = saved.path;
    try {
      this.keys = loadIdentity(saved.path);
    } catch (e) {
      this.problem = (e as Error).message;
    }
  }

  /** Open the folder's encrypted captures the identity can open; list the others with why. */
  async scan(): Promise<void> {
    const known = new Set(this.registry.list().map((s) => s.path));
    this.locked = [];
    for (const f of encryptedFiles(this.capturesDir)) {
      if (known.has(f.path)) {
        this.opened.add(f.path);
        continue;
      }
      if (this.keys.length === 0) {
        this.locked.push({
          name: f.name,
          reason: this.problem
            ? `the saved age identity cannot be used: ${this.problem}`
            : 'encrypted with age: choose an age identity in Settings to open it',
        });
        continue;
      }
      const origin = f.path.startsWith(join(this.capturesDir, 'imported')) ? 'imported' : 'file';
      try {
        await this.registry.openFile(f.path, origin, { identities: this.keys });
        this.opened.add(f.path);
      } catch (e) {
        const why = e instanceof AgeError || e instanceof HostApiError ? e.message : String(e);
        this.locked.push({ name: f.name, reason: why.replace(/--identity/g, 'the identity') });
      }
    }
  }

  private async info(): Promise<AgeIdentityInfo> {
    return {
      ...(this.path ? { path: this.path } : {}),
      recipients: this.keys.length ? await recipientsOf(this.keys) : [],
      locked: this.locked,
      opened: this.opened.size,
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  private save(): void {
    ensurePrivateDir(this.dataDir, this.dataDir);
    writeFileSync(this.file, `${JSON.stringify(this.path ? { path: this.path } : {})}\n`, {
      mode: 0o600,
    });
    tightenFile(this.file);
  }

  commands(): AgeApi {
    return {
      getAgeIdentity: async () => this.info(),
      setAgeIdentity: async ({ path }) => {
        if (path === null) {
          this.path = undefined;
          this.keys = [];
          this.problem = undefined;
          // Sessions opened with the forgotten identity leave the library (their plaintext with them).
          this.registry.forgetPaths(this.opened);
          this.opened.clear();
        } else {
          this.keys = loadIdentity(path); // throws before anything changes
          this.path = path;
          this.problem = undefined;
        }
        this.save();
        await this.scan();
        return this.info();
      },
      importEncrypted: async ({ name, b64 }) => {
        const bytes = Buffer.from(b64, 'base64');
        if (!bytes.subarray(0, AGE_MAGIC.length).equals(Buffer.from(AGE_MAGIC, 'latin1')))
          throw new HostApiError(
            'bad-request',
            `${basename(name)} is not an age-encrypted file (it does not start with "age-encryption.org/v1"); import plain captures as .mcpscope.jsonl`,
          );
        const dir = join(this.capturesDir, 'imported');
        ensurePrivateDir(dir, this.capturesDir);
        const path = importedPath(dir, name, ENCRYPTED_SUFFIX);
        writeFileSync(path, bytes, { mode: 0o600 });
        tightenFile(path);
        await this.scan();
        const s = this.registry.list().find((x) => x.path === path);
        return { ...(s ? { sessionId: s.id } : {}), info: await this.info() };
      },
    };
  }
}
