// Signatures on the hash chain (Ed25519, @noble/curves: pure JS, so the renderer can check too).
//
// A signed record ends with two members before its hash: `,"key":"<64 hex>","sig":"<128 hex>"`.
// The signature covers "mcpscope-sig/1\n" + the previous line's hash + "\n" + the record's body
// without those two members (exactly the bytes the writer stringified). The previous hash commits
// to every record before, so one signature vouches for the whole prefix; the header (first line),
// periodic `sig` checkpoints and the `end` record are signed. Someone who edits a capture and
// recomputes the SHA-256 chain cannot recompute the signatures without the install's secret key.

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

const SIG_SUFFIX = /,"key":"([0-9a-f]{64})","sig":"([0-9a-f]{128})"\}$/;

export interface CaptureSigner {
  /** Public key, 64 hex digits. */
  publicKey: string;
  sign(message: Uint8Array): Uint8Array;
}

function message(prevHash: string, unsignedBody: string): Uint8Array {
  return utf8ToBytes(`mcpscope-sig/1\n${prevHash}\n${unsignedBody}`);
}

/** Short, stable name of a public key: the first 16 hex digits of its SHA-256. */
export function keyId(publicKeyHex: string): string {
  if (!/^[0-9a-f]{64}$/.test(publicKeyHex)) return 'not-a-key';
  return bytesToHex(sha256(hexToBytes(publicKeyHex))).slice(0, 16);
}

/** `body` is a record's JSON (no hash); returns it with `key` and `sig` appended. */
export function signBody(body: string, prevHash: string, signer: CaptureSigner): string {
  const sig = bytesToHex(signer.sign(message(prevHash, body)));
  return `${body.slice(0, -1)},"key":"${signer.publicKey}","sig":"${sig}"}`;
}

export interface SignatureCheck {
  key: string;
  valid: boolean;
}

/** The signature carried by a record body, checked; undefined when the record is not signed. */
export function checkBodySignature(body: string, prevHash: string): SignatureCheck | undefined {
  const m = SIG_SUFFIX.exec(body);
  if (!m) return undefined;
  const unsigned = `${body.slice(0, m.index)}}`;
  return { key: m[1]!, valid: verifies(m[2]!, message(prevHash, unsigned), m[1]!) };
}

function verifies(sigHex: string, msg: Uint8Array, keyHex: string): boolean {
  try {
    return ed25519.verify(hexToBytes(sigHex), msg, hexToBytes(keyHex));
  } catch {
    return false; // malformed point or signature: not valid
  }
}

/** A signer from a 32-byte secret key in hex (tests, and the engine's key store). */
export function signerFromSecret(secretHex: string): CaptureSigner {
  const secret = hexToBytes(secretHex);
  return {
    publicKey: bytesToHex(ed25519.getPublicKey(secret)),
    sign: (m) => ed25519.sign(m, secret),
  };
}

export function newSecretKey(): string {
  return bytesToHex(ed25519.utils.randomSecretKey());
}

/** Find a 64-hex public key in text (a `mcpscope key export` file, or the bare key). */
export function parsePublicKey(text: string): string | undefined {
  const m = /(?:^|[^0-9a-f])([0-9a-f]{64})(?:[^0-9a-f]|$)/i.exec(text);
  return m ? m[1]!.toLowerCase() : undefined;
}
