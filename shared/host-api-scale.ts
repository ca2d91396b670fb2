// Part of the host API (see host-api.ts): reading a closed session's capture file by byte range,
// so the app can index a large capture in its worker (renderer/src/worker/) as a stream instead
// of asking the engine for every record (which would hold them all in the engine's memory too).

/** Largest range one readCaptureBytes call returns. */
export const MAX_CAPTURE_BYTES_READ = 8 * 1024 * 1024;

export interface CaptureBytes {
  /** The bytes, base64 (the host API carries JSON); empty past the end of the file. */
  b64: string;
  /** The file's size when read. */
  size: number;
}

export interface ScaleCommands {
  /**
   * Bytes [start, start + length) of a session's capture file. Only for sessions with a plain
   * (not encrypted) file on disk; anything else is `unavailable` (read it with readRecords).
   */
  readCaptureBytes: {
    args: { sessionId: string; start: number; length: number };
    result: CaptureBytes;
  };
}

export const SCALE_COMMAND_FLAGS: Record<keyof ScaleCommands, true> = {
  readCaptureBytes: true,
};
