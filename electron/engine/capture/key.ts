// The install's signing key: one Ed25519 key per data directory, created on first use, stored
// 0600 in a 0700 folder. Captures are signed with it; `verify` trusts it by default and
// `mcpscope key export` hands its public half to an auditor.

import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  keyId,
  newSecretKey,
  parsePublicKey,
  signerFromSecret,
  type CaptureSigner,
} from '../../../shared/capture/index.js';
import { ensurePrivateDir, tightenFile } from '../fsperm.js';
import { dataDir } from '../paths.js';

interface KeyFile {
  v: 1;
  alg: 'ed25519';
  secretKey: string;
  publicKey: string;
  created: string;
}

export function keyPath(dir: string = dataDir()): string {
  return join(dir, 'keys', 'signing-ed25519.json');
}

function parseKeyFile(text: string, path: string): KeyFile {
  const o = JSON.parse(text) as Partial<KeyFile>;
  if (
    o.alg !== 'ed25519' ||
    typeof o.secretKey !== 'string' ||
    !/^[0-9a-f]{64}$/.test(o.secretKey)
  ) {
    throw new Error(
      `${path} is not an mcpscope signing key; move it away to let mcpscope create a new one`,
    );
  }
  return o as KeyFile;
}

const cache = new Map<string, CaptureSigner>();

/** The install's signer, created if missing (atomically: concurrent recorders agree on one key). */
export function installSigner(dir: string = dataDir()): CaptureSigner {
  const path = keyPath(dir);
  const hit = cache.get(path);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    ensurePrivateDir(join(dir, 'keys'), dir);
    const secretKey = newSecretKey();
    const file: KeyFile = {
      v: 1,
      alg: 'ed25519',
      secretKey,
      publicKey: signerFromSecret(secretKey).publicKey,
      created: new Date().toISOString(),
    };
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(file, null, 1)}\n`, { mode: 0o600 });
    tightenFile(tmp);
    try {
      linkSync(tmp, path); // fails if another process created the key first: use theirs
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
    text = readFileSync(path, 'utf8');
  }
  const signer = signerFromSecret(parseKeyFile(text, path).secretKey);
  cache.set(path, signer);
  return signer;
}

/** The install's public key, or undefined when this install has never signed anything. */
export function installPublicKey(dir: string = dataDir()): string | undefined {
  const path = keyPath(dir);
  try {
    return signerFromSecret(parseKeyFile(readFileSync(path, 'utf8'), path).secretKey).publicKey;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The text `mcpscope key export` prints; `verify --pubkey` reads it back. */
export function exportPublicKey(publicKey: string): string {
  return `mcpscope-signing-key ed25519 ${publicKey} id:${keyId(publicKey)}\n`;
}

export function readPublicKeyFile(path: string): string {
  const text = readFileSync(path, 'utf8');
  const key = parsePublicKey(text);
  if (!key)
    throw new Error(
      `${path} holds no Ed25519 public key (64 hex digits); create it with \`mcpscope key export > FILE\``,
    );
  return key;
}
