// `export --encrypt-to`: the export is built in memory (out '-') and only its age-encrypted form
// is written, so the plaintext never reaches the disk.

import { closeSync, openSync, writeSync } from 'node:fs';
import { encryptText } from '../capture/age.js';
import { tightenFile } from '../fsperm.js';
import type { ExportResult } from './export.js';

export async function encryptResult(
  result: ExportResult,
  recipients: readonly string[],
  path: string,
): Promise<ExportResult & { encryptedTo: number }> {
  const sealed = await encryptText(result.text ?? '', recipients);
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, sealed);
  } finally {
    closeSync(fd);
  }
  tightenFile(path);
  const { text: _plain, ...rest } = result;
  return { ...rest, path, bytes: sealed.length, encryptedTo: recipients.length };
}
