// Part of the host API (see host-api.ts): importing a large capture file from the UI in slices,
// so no single message (and no single string on either side) holds the whole file. The engine
// writes the slices to captures/imported/ and opens the file like `mcpscope ui FILE` does
// (streamed; a large one stays unloaded and is read back by byte range).

import type { SessionSummary } from './host-api.js';

export interface UploadCommands {
  /** Start an import of `size` bytes named `name`; slices follow in order. */
  importBegin: { args: { name: string; size: number }; result: { uploadId: string } };
  /** The next slice (base64) at `offset`, which must be the count received so far. */
  importChunk: {
    args: { uploadId: string; offset: number; b64: string };
    result: { received: number };
  };
  /** All slices sent: open the file and return its library summary. */
  importFinish: { args: { uploadId: string }; result: SessionSummary };
  /** Give up: the partial file is deleted. */
  importAbort: { args: { uploadId: string }; result: { aborted: boolean } };
}

export const UPLOAD_COMMAND_FLAGS: Record<keyof UploadCommands, true> = {
  importBegin: true,
  importChunk: true,
  importFinish: true,
  importAbort: true,
};

/** Bytes per slice the UI sends (base64 makes a message about 11 MB). */
export const UPLOAD_SLICE_BYTES = 8 * 1024 * 1024;
