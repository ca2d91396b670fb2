// A large capture file imported while an engine is present goes to the engine in slices
// (host-api-upload.ts): the page never reads it as one string (a file over 512 MiB could not be),
// and the engine opens it streamed, as a large session read back by byte range.

import type { HostApi, SessionSummary } from '../../../shared/host-api.js';
import { UPLOAD_SLICE_BYTES } from '../../../shared/host-api-upload.js';

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Send `blob` to the engine's library; `progress(sent, total)` after every slice. */
export async function uploadCapture(
  host: HostApi,
  name: string,
  blob: Blob,
  progress?: (sent: number, total: number) => void,
): Promise<SessionSummary> {
  const { uploadId } = await host.importBegin({ name, size: blob.size });
  try {
    for (let offset = 0; offset < blob.size; offset += UPLOAD_SLICE_BYTES) {
      const slice = new Uint8Array(
        await blob.slice(offset, offset + UPLOAD_SLICE_BYTES).arrayBuffer(),
      );
      await host.importChunk({ uploadId, offset, b64: base64(slice) });
      progress?.(Math.min(offset + slice.length, blob.size), blob.size);
    }
    return await host.importFinish({ uploadId });
  } catch (e) {
    // The engine deletes the partial copy (finish already did if it refused the file).
    await host.importAbort({ uploadId }).catch(() => undefined);
    throw e;
  }
}
