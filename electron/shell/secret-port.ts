// safeStorage across the process boundary. In Electron the engine runs in a utilityProcess, but
// the OS keychain (safeStorage) is only reachable from the main process. The engine's SecretBox
// sends one request per operation to main over the utilityProcess's parent port; main answers
// with the real safeStorage. Pure message logic, tested without the Electron binary.

import { isObject } from '../../shared/json.js';

/**
 * Encrypts secrets for storage on disk (Electron: safeStorage). Asynchronous because the engine
 * runs in a utilityProcess and safeStorage only exists in the main process (secret-port.ts).
 */
export interface SecretBox {
  available(): Promise<boolean>;
  encrypt(text: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<string>;
}

/** The shape of Electron's `safeStorage` this needs (main.ts passes the real one). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
}

/** Electron's safeStorage as a SecretBox: the thin Electron part, tested with a stand-in. */
export function safeStorageBox(s: SafeStorageLike): SecretBox {
  return {
    available: async () => {
      try {
        return s.isEncryptionAvailable();
      } catch {
        return false;
      }
    },
    encrypt: async (text) => s.encryptString(text),
    decrypt: async (data) => s.decryptString(data),
  };
}

export interface SecretRequest {
  t: 'secret';
  id: number;
  op: 'available' | 'encrypt' | 'decrypt';
  /** encrypt: the text; decrypt: base64 of the encrypted bytes. */
  data?: string;
}

export interface SecretReply {
  t: 'secret-reply';
  id: number;
  /** available: 'true'/'false'; encrypt: base64; decrypt: the text. */
  value?: string;
  error?: string;
}

/** The engine side: a SecretBox whose every call is answered by main. */
export function remoteSecretBox(
  send: (m: SecretRequest) => void,
  timeoutMs = 10_000,
): { box: SecretBox; onMessage: (m: unknown) => boolean } {
  let next = 1;
  const pending = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
  const ask = (op: SecretRequest['op'], data?: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(
          new Error(`the main process did not answer a keychain request within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      send({ t: 'secret', id, op, ...(data !== undefined ? { data } : {}) });
    });
  const box: SecretBox = {
    available: () =>
      ask('available').then(
        (v) => v === 'true',
        () => false,
      ),
    encrypt: async (text) => Buffer.from(await ask('encrypt', text), 'base64'),
    decrypt: (data) => ask('decrypt', data.toString('base64')),
  };
  /** Feed every message from main here; true when it was a keychain answer. */
  const onMessage = (m: unknown): boolean => {
    if (!isObject(m) || m.t !== 'secret-reply' || typeof m.id !== 'number') return false;
    const p = pending.get(m.id);
    if (!p) return true;
    pending.delete(m.id);
    if (typeof m.error === 'string') p.reject(new Error(`keychain: ${m.error}`));
    else if (typeof m.value === 'string') p.resolve(m.value);
    else p.reject(new Error('keychain: an answer without a value'));
    return true;
  };
  return { box, onMessage };
}

/** The main side: answers one request with the real box; undefined when `m` is not one. */
export async function answerSecret(box: SecretBox, m: unknown): Promise<SecretReply | undefined> {
  if (!isObject(m) || m.t !== 'secret' || typeof m.id !== 'number') return undefined;
  const id = m.id;
  try {
    if (m.op === 'available')
      return { t: 'secret-reply', id, value: String(await box.available()) };
    if (typeof m.data !== 'string') return { t: 'secret-reply', id, error: 'no data to work on' };
    if (m.op === 'encrypt')
      return { t: 'secret-reply', id, value: (await box.encrypt(m.data)).toString('base64') };
    if (m.op === 'decrypt')
      return { t: 'secret-reply', id, value: await box.decrypt(Buffer.from(m.data, 'base64')) };
    return { t: 'secret-reply', id, error: 'unknown keychain operation' };
  } catch (e) {
    return { t: 'secret-reply', id, error: (e as Error).message };
  }
}
