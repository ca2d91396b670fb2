// SHA-256 for the hash chain. Pure JS (@noble/hashes) so the renderer can verify too; the Node
// engine passes its native hasher to the writer for speed — both produce the same hex.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export type HashFn = (input: string) => string;

export const sha256Hex: HashFn = (input) => bytesToHex(sha256(utf8ToBytes(input)));
