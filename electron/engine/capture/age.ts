// Encryption at rest with age (https://age-encryption.org, X25519 recipients) through the
// maintained `age-encryption` package. Encrypted captures are decrypted as a stream, in memory:
// the plaintext is never written to disk. The package is ESM and loaded only when needed.

import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { CaptureFileError, describeReadError } from './load.js';

/** The first line of every binary age file. */
export const AGE_MAGIC = 'age-encryption.org/v1\n';
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';

/** Raised for a missing or non-matching identity, or a damaged encrypted file. */
export class AgeError extends CaptureFileError {
  constructor(
    message: string,
    readonly kind: 'no-identity' | 'wrong-identity' | 'damaged' | 'bad-key',
  ) {
    super(message);
  }
}

const age = () => import('age-encryption');

/** 'age' for a binary age file, 'armored' for ASCII-armored age, undefined otherwise. */
export function ageKind(path: string): 'age' | 'armored' | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new CaptureFileError(describeReadError(path, e as NodeJS.ErrnoException));
  }
  try {
    const buf = Buffer.alloc(ARMOR_BEGIN.length);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('latin1');
    if (head.startsWith(AGE_MAGIC)) return 'age';
    if (head.startsWith(ARMOR_BEGIN)) return 'armored';
    return undefined;
  } catch (e) {
    throw new CaptureFileError(describeReadError(path, e as NodeJS.ErrnoException));
  } finally {
    closeSync(fd);
  }
}

const SECRET_KEY = /^AGE-SECRET-KEY-1[0-9A-Z]+$/;
const RECIPIENT = /^age1[02-9ac-hj-np-z]{20,}$/;

/** The AGE-SECRET-KEY-1… lines of an identity file (the format of `age-keygen`; # comments allowed). */
export function readIdentityFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AgeError(
      `--identity ${describeReadError(path, e as NodeJS.ErrnoException)}`,
      'bad-key',
    );
  }
  const keys: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!SECRET_KEY.test(line))
      throw new AgeError(
        `--identity ${path}: not an age identity file: every line must be an AGE-SECRET-KEY-1… key or a # comment (make one with \`mcpscope key age-keygen --out FILE\` or \`age-keygen -o FILE\`)`,
        'bad-key',
      );
    keys.push(line);
  }
  if (keys.length === 0)
    throw new AgeError(
      `--identity ${path}: the file holds no AGE-SECRET-KEY-1… line (make one with \`mcpscope key age-keygen --out FILE\`)`,
      'bad-key',
    );
  return keys;
}

/**
 * Recipients for `--encrypt-to`: each value is an age1… recipient, or a file of them (one per
 * line, # comments allowed, like `age -R`).
 */
export function parseRecipients(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v.startsWith('age1')) {
      if (!RECIPIENT.test(v))
        throw new AgeError(
          `--encrypt-to ${JSON.stringify(v)}: not a valid age X25519 recipient (age1 followed by lower-case bech32, as printed by \`mcpscope key age-keygen\`)`,
          'bad-key',
        );
      out.push(v);
      continue;
    }
    let text: string;
    try {
      text = readFileSync(v, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new AgeError(
        err.code === 'ENOENT'
          ? `--encrypt-to ${JSON.stringify(v)}: neither an age1… recipient nor an existing recipients file`
          : `--encrypt-to ${describeReadError(v, err)}`,
        'bad-key',
      );
    }
    let n = 0;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (!RECIPIENT.test(line))
        throw new AgeError(
          `--encrypt-to ${v}: line ${JSON.stringify(line.slice(0, 40))} is not an age1… X25519 recipient`,
          'bad-key',
        );
      out.push(line);
      n++;
    }
    if (n === 0)
      throw new AgeError(`--encrypt-to ${v}: the file lists no age1… recipient`, 'bad-key');
  }
  return out;
}

/** Plaintext waiting to be encrypted beyond this makes `ready()` wait (the memory bound). */
const ENCRYPT_HIGH_WATER = 4 * 1024 * 1024;

/** A streaming age encrypter: plaintext pushed in, the age file handed to `write` as it is made. */
export interface AgeEncryptStream {
  /** Queue plaintext (throws if the output failed). */
  push(bytes: Uint8Array): void;
  /** A promise while more than a few MiB of plaintext wait; undefined when more may be pushed now. */
  ready(): Promise<void> | undefined;
  /** No more plaintext: resolves once the last chunk and its tag were written. */
  end(): Promise<void>;
  /** Stop: nothing more is written (the caller removes what was). */
  abort(reason: Error): Promise<void>;
}

async function encrypterFor(recipients: readonly string[]) {
  const { Encrypter } = await age();
  const e = new Encrypter();
  for (const r of recipients) {
    try {
      e.addRecipient(r);
    } catch (err) {
      throw new AgeError(`--encrypt-to ${r}: ${(err as Error).message}`, 'bad-key');
    }
  }
  return e;
}

/** Encrypt a small text in memory (test fixtures); exports stream through `encryptStream`. */
export async function encryptText(
  text: string,
  recipients: readonly string[],
): Promise<Uint8Array> {
  return (await encrypterFor(recipients)).encrypt(text);
}

/**
 * Encrypt a stream to the recipients with the package's streaming API (64 KiB STREAM chunks):
 * at most a few MiB of plaintext are held, in memory only, and `write` gets the binary age file
 * piece by piece. A failing `write` makes the next push/ready/end throw its error.
 */
export async function encryptStream(
  recipients: readonly string[],
  write: (chunk: Uint8Array) => void,
): Promise<AgeEncryptStream> {
  const e = await encrypterFor(recipients);
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  let failed: Error | undefined;
  let waiting: Promise<void> | undefined;
  const wake = (err?: Error) => {
    const w = waiter;
    waiter = undefined;
    if (w)
      if (err) w.reject(err);
      else w.resolve();
  };
  const source = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      // Called when the encrypter has read the queue down below the high-water mark.
      pull: () => wake(),
    },
    new ByteLengthQueuingStrategy({ highWaterMark: ENCRYPT_HIGH_WATER }),
  );
  const sealed = await e.encrypt(source);
  const pump = (async () => {
    for await (const chunk of sealed as unknown as AsyncIterable<Uint8Array>) write(chunk);
  })().catch((err: unknown) => {
    failed ??= err as Error;
    wake(failed);
  });
  const check = () => {
    if (failed) throw failed;
  };
  return {
    push(bytes) {
      check();
      controller.enqueue(bytes);
    },
    ready() {
      check();
      if ((controller.desiredSize ?? 1) > 0) return undefined;
      // One producer: a second caller shares the wait of the first.
      waiting ??= new Promise<void>((resolve, reject) => (waiter = { resolve, reject })).finally(
        () => (waiting = undefined),
      );
      return waiting;
    },
    async end() {
      check();
      controller.close();
      await pump;
      check();
    },
    async abort(reason) {
      failed ??= reason;
      try {
        controller.error(reason);
      } catch {
        // already closed or errored
      }
      wake(reason);
      await pump;
    },
  };
}

/** A new X25519 identity: the secret key line and its public recipient. */
export async function generateIdentity(): Promise<{ identity: string; recipient: string }> {
  const { generateX25519Identity, identityToRecipient } = await age();
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** The recipient (age1…) of each identity in an identity file. */
export async function recipientsOf(identities: readonly string[]): Promise<string[]> {
  const { identityToRecipient } = await age();
  return Promise.all(identities.map((i) => identityToRecipient(i)));
}

/**
 * The decrypted bytes of an age file, as a stream of chunks (nothing written to disk). A missing
 * identity, one that matches no recipient, or a damaged file is an AgeError saying what to do.
 */
export async function* decryptFile(
  path: string,
  identities: readonly string[] | undefined,
): AsyncGenerator<Uint8Array> {
  if (!identities || identities.length === 0)
    throw new AgeError(
      `${path}: this capture is encrypted with age; pass --identity FILE with the age identity (AGE-SECRET-KEY-1…) of one of its recipients`,
      'no-identity',
    );
  const { Decrypter } = await age();
  const d = new Decrypter();
  for (const i of identities) d.addIdentity(i);
  const source = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
  let plain: ReadableStream<Uint8Array>;
  try {
    plain = await d.decrypt(source);
  } catch (e) {
    const msg = (e as Error).message;
    if (/no identity matched/i.test(msg))
      throw new AgeError(
        `${path}: none of the given age identities can open this capture (it was encrypted to other recipients); pass --identity with the key whose age1… recipient was given to --encrypt-to`,
        'wrong-identity',
      );
    throw new AgeError(
      `${path}: cannot decrypt: the age header is damaged (${msg}); the file was altered or cut`,
      'damaged',
    );
  }
  try {
    for await (const chunk of plain as unknown as AsyncIterable<Uint8Array>) yield chunk;
  } catch (e) {
    throw new AgeError(
      `${path}: decryption failed part-way: the encrypted file was altered or cut (${(e as Error).message})`,
      'damaged',
    );
  }
}
