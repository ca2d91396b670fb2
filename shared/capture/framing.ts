// Newline framing for stdio (MCP stdio: one JSON-RPC message per line, "\n" terminated).
// Operates on bytes: it never decodes, so invalid UTF-8 and CRLF survive exactly. A frame is the
// bytes before "\n" ("\r" kept); concatenating frames + "\n" gives back the stream.

export interface Frame {
  bytes: Uint8Array;
  /** The real size when `bytes` holds only the first `maxFrameBytes`. */
  truncated?: number;
}

/** 128 MiB: far above the 50 MB frames mcpscope must handle; a line longer than this keeps its head only. */
export const DEFAULT_MAX_FRAME_BYTES = 128 * 1024 * 1024;

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export class LineFramer {
  private parts: Uint8Array[] = [];
  private kept = 0;
  private seen = 0;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Feed a chunk; returns the frames it completed. */
  push(chunk: Uint8Array): Frame[] {
    const out: Frame[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.keep(chunk.subarray(start, nl));
      out.push(this.take());
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
    return out;
  }

  /** The bytes after the last newline, if any (call when the stream ends). */
  flush(): Frame | undefined {
    if (this.seen === 0 && this.parts.length === 0) return undefined;
    return this.take();
  }

  /** Bytes waiting for their newline. */
  get pendingBytes(): number {
    return this.seen;
  }

  private keep(bytes: Uint8Array): void {
    this.seen += bytes.length;
    const room = this.maxFrameBytes - this.kept;
    if (room <= 0 || bytes.length === 0) return;
    // Copy: the caller may reuse its chunk buffer after push() returns.
    const part = bytes.length > room ? bytes.slice(0, room) : bytes.slice();
    this.parts.push(part);
    this.kept += part.length;
  }

  private take(): Frame {
    const bytes = concat(this.parts, this.kept);
    const frame: Frame = this.seen > this.kept ? { bytes, truncated: this.seen } : { bytes };
    this.parts = [];
    this.kept = 0;
    this.seen = 0;
    return frame;
  }
}
