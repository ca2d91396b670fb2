// readCaptureBytes: a byte range of a closed session's plain capture file. The app streams a large
// capture through this into its worker (renderer/src/worker/), so neither the engine nor the page
// holds the session's records (the registry loads records only for readRecords).

import { open } from 'node:fs/promises';
import { HostApiError } from '../../../shared/host-api.js';
import type { CaptureBytes } from '../../../shared/host-api-scale.js';
import { ageKind } from '../capture/age.js';
import type { SessionRegistry } from './registry.js';

export async function readCaptureBytes(
  registry: SessionRegistry,
  a: { sessionId: string; start: number; length: number },
): Promise<CaptureBytes> {
  const s = registry.get(a.sessionId);
  if (!s.path)
    throw new HostApiError(
      'unavailable',
      'this session has no capture file (a live connection keeps it in memory); read it with readRecords',
    );
  if (ageKind(s.path) !== undefined)
    throw new HostApiError(
      'unavailable',
      'this capture is encrypted on disk; it can only be read record by record (readRecords)',
    );
  let fh;
  try {
    fh = await open(s.path, 'r');
  } catch (e) {
    throw new HostApiError('unavailable', `cannot open the capture file: ${(e as Error).message}`);
  }
  try {
    const { size } = await fh.stat();
    const length = Math.max(0, Math.min(a.length, size - a.start));
    const buf = Buffer.alloc(length);
    let got = 0;
    // Bounded: each read returns at least one byte until `length`, or 0 at the end of the file.
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, a.start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { b64: buf.subarray(0, got).toString('base64'), size };
  } finally {
    await fh.close();
  }
}
