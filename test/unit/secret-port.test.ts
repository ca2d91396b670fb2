// The keychain across the utilityProcess boundary: the engine's SecretBox asks main, main answers
// with safeStorage. Wired here with a direct message loop instead of Electron's parent port.
import { describe, expect, it } from 'vitest';
import {
  answerSecret,
  remoteSecretBox,
  safeStorageBox,
  type SafeStorageLike,
} from '../../electron/shell/secret-port.js';

const fakeSafeStorage = (available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (t) => Buffer.from(`enc:${[...t].reverse().join('')}`),
  decryptString: (b) => {
    const s = b.toString();
    if (!s.startsWith('enc:')) throw new Error('not ours');
    return [...s.slice(4)].reverse().join('');
  },
});

function wired(storage: SafeStorageLike, timeoutMs?: number) {
  const main = safeStorageBox(storage);
  const remote = remoteSecretBox((req) => {
    void answerSecret(main, req).then((reply) => {
      if (reply) remote.onMessage(reply);
    });
  }, timeoutMs);
  return remote;
}

describe('secret-port', () => {
  it('encrypts in main and decrypts back, the engine never holding the keychain', async () => {
    const { box } = wired(fakeSafeStorage());
    expect(await box.available()).toBe(true);
    const enc = await box.encrypt('postgres://u:pw@db/x');
    expect(enc.toString()).not.toContain('pw@db');
    expect(await box.decrypt(enc)).toBe('postgres://u:pw@db/x');
  });

  it('reports an unavailable keychain and carries main-side errors back', async () => {
    expect(await wired(fakeSafeStorage(false)).box.available()).toBe(false);
    await expect(wired(fakeSafeStorage()).box.decrypt(Buffer.from('junk'))).rejects.toThrow(
      /keychain: not ours/,
    );
  });

  it('gives up after the timeout when main never answers, and ignores other messages', async () => {
    const remote = remoteSecretBox(() => undefined, 50);
    await expect(remote.box.encrypt('x')).rejects.toThrow(/did not answer .* within 50 ms/);
    expect(await remote.box.available()).toBe(false);
    expect(remote.onMessage({ t: 'port' })).toBe(false);
    expect(await answerSecret(safeStorageBox(fakeSafeStorage()), { t: 'other' })).toBeUndefined();
  });
});
