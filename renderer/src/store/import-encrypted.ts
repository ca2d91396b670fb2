// Importing an age-encrypted capture (`*.age`, from `export --encrypt-to`) through the Library: the
// bytes go to the engine, which keeps them under captures/imported/ and opens them with the age
// identity chosen in Settings. The page never decrypts and never sees the identity.

import type { HostApi, SessionSummary } from '../../../shared/host-api.js';

export const isEncryptedName = (name: string): boolean => /\.age$/i.test(name);

/** Base64 of a Blob's bytes, in slices (no argument-count limit, no giant intermediate string array). */
async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export type EncryptedImport =
  { ok: true; summary: SessionSummary } | { ok: false; message: string; kind: 'info' | 'error' };

export async function importEncrypted(
  host: HostApi | undefined,
  name: string,
  blob: Blob | undefined,
): Promise<EncryptedImport> {
  if (!host || !blob)
    return {
      ok: false,
      kind: 'error',
      message: `${name} is encrypted with age: open it with \`mcpscope ui ${name} --identity FILE\` (the page alone cannot decrypt it)`,
    };
  try {
    const { sessionId, info } = await host.importEncrypted({ name, b64: await toBase64(blob) });
    if (sessionId) return { ok: true, summary: await host.getSession({ sessionId }) };
    const why = info.locked.find((l) => name.includes(l.name.replace(/(-\d+)?\.age$/, '')));
    return {
      ok: false,
      kind: 'info',
      message: `${name} was kept in the library's folder but not opened: ${why?.reason ?? 'choose an age identity in Settings'}.`,
    };
  } catch (e) {
    return {
      ok: false,
      kind: 'error',
      message: `${name} was not imported: ${(e as Error).message}`,
    };
  }
}
