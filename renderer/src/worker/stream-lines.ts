// A byte stream (a Blob's, or the engine's file read by range), split into lines with each line's byte range (for reading one line
// back later with blob.slice). Bounded memory: one stream chunk plus the line it ends inside.

export type LineSink = (line: string, byteStart: number, byteLen: number) => void;

/** Work this long between yields, so requests (filter, rows) are answered while indexing. */
const SLICE_MS = 25;

/**
 * Let queued messages run. A Blob's stream often resolves reads as microtasks, which would keep
 * the worker's message queue waiting until the whole file is read; a MessageChannel round trip
 * is a real task (setTimeout would be clamped to 4 ms).
 */
function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

/** Calls `sink` for every line (without "\n"); resolves whether the file ends with a newline. */
export async function streamLines(
  stream: ReadableStream<Uint8Array>,
  sink: LineSink,
): Promise<boolean> {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  let carry: Uint8Array | undefined;
  let pos = 0; // byte offset of the start of `carry` / the next line
  let lastByte = -1;
  let sliceStart = performance.now();
  for (;;) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEvents();
      sliceStart = performance.now();
    }
    const { value, done } = await reader.read();
    if (done) break;
    if (value.length === 0) continue;
    lastByte = value[value.length - 1]!;
    let buf = value;
    if (carry) {
      buf = new Uint8Array(carry.length + value.length);
      buf.set(carry);
      buf.set(value, carry.length);
      carry = undefined;
    }
    const lastNl = buf.lastIndexOf(10);
    if (lastNl < 0) {
      carry = buf;
      continue;
    }
    // Decode every complete line of this chunk at once when it is all ASCII (the usual case:
    // byte and character offsets agree); otherwise line by line from the bytes, so the ranges
    // stay exact even around invalid UTF-8.
    const text = decoder.decode(buf.subarray(0, lastNl));
    if (text.length === lastNl) {
      let from = 0;
      while (from <= text.length) {
        let nl = text.indexOf('\n', from);
        if (nl < 0) nl = text.length;
        sink(text.slice(from, nl), pos + from, nl - from);
        from = nl + 1;
      }
    } else {
      let from = 0;
      while (from <= lastNl) {
        let nl = buf.indexOf(10, from);
        if (nl < 0 || nl > lastNl) nl = lastNl;
        sink(decoder.decode(buf.subarray(from, nl)), pos + from, nl - from);
        from = nl + 1;
      }
    }
    pos += lastNl + 1;
    if (lastNl + 1 < buf.length) carry = buf.slice(lastNl + 1);
  }
  if (carry && carry.length > 0) {
    const line = decoder.decode(carry);
    sink(line, pos, carry.length);
  }
  return lastByte === 10;
}
