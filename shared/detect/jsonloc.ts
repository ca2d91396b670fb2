// Maps between a frame's raw JSON text and the decoded strings detectors look at, so a finding
// can point at the exact characters in the frame (Monaco decorations) and name a JSON pointer.
// A small hand-rolled scanner: it only tracks strings and the container path, tolerates
// malformed input (it stops where the text stops making sense), and never builds values.

export const escapePointer = (seg: string): string => seg.replace(/~/g, '~0').replace(/\//g, '~1');
export const joinPointer = (base: string, seg: string | number): string =>
  `${base}/${escapePointer(String(seg))}`;

/** A string token in the raw text: content span (inside the quotes) and where it sits. */
export interface StringSpan {
  pointer: string;
  /** True when the token is an object key (the pointer then names that property). */
  key: boolean;
  start: number;
  end: number;
}

interface Frame {
  arr: boolean;
  path: string;
  index: number;
  /** Pending key in an object, waiting for its value. */
  key?: string;
}

function readStringEnd(text: string, i: number): number {
  // i is just after the opening quote; returns the index of the closing quote (or text.length).
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j;
  }
  return text.length;
}

function decodeKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/**
 * Visit every string token with its pointer. `visit` returns true to stop early. Pointers are
 * built only for tokens whose span passes `want` (cheap offsets check), which keeps this fast.
 */
export function scanStrings(
  text: string,
  visit: (s: StringSpan) => boolean | void,
  want: (start: number, end: number) => boolean = () => true,
): void {
  const stack: Frame[] = [];
  let top: Frame | undefined;
  const valuePath = (): string => {
    if (!top) return '';
    return top.arr ? joinPointer(top.path, top.index) : joinPointer(top.path, top.key ?? '');
  };
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = readStringEnd(text, i + 1);
      const start = i + 1;
      if (expectKey && top && !top.arr) {
        const raw = text.slice(start, end);
        const key = raw.includes('\\') ? decodeKey(raw) : raw;
        top.key = key;
        expectKey = false;
        if (
          want(start, end) &&
          visit({ pointer: joinPointer(top.path, key), key: true, start, end })
        )
          return;
      } else if (want(start, end) && visit({ pointer: valuePath(), key: false, start, end }))
        return;
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      const path = valuePath();
      top = { arr: c === 0x5b, path, index: 0 };
      stack.push(top);
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      top = stack[stack.length - 1];
      expectKey = false;
    } else if (c === 0x2c) {
      if (top?.arr) top.index++;
      else expectKey = true;
    }
  }
}

/** Offset in the decoded string → offset in the raw text, for a string whose content starts at `start`. */
export function decodedToRaw(text: string, start: number, end: number, decoded: number): number {
  let d = 0;
  let i = start;
  while (i < end && d < decoded) {
    if (text.charCodeAt(i) === 0x5c) i += text.charCodeAt(i + 1) === 0x75 ? 6 : 2;
    else i++;
    d++;
  }
  return Math.min(i, end);
}

/** Offset in the raw text (inside a string starting at `start`) → offset in the decoded string. */
export function rawToDecoded(text: string, start: number, raw: number): number {
  let d = 0;
  let i = start;
  while (i < raw) {
    if (text.charCodeAt(i) === 0x5c) i += text.charCodeAt(i + 1) === 0x75 ? 6 : 2;
    else i++;
    d++;
  }
  return d;
}

/** Raw [start, end) of the characters `range` (decoded offsets) of the string at `pointer`. */
export function rawRangeOf(
  text: string,
  pointer: string,
  range: [number, number],
  key = false,
): [number, number] | undefined {
  let out: [number, number] | undefined;
  scanStrings(text, (s) => {
    if (s.pointer !== pointer || s.key !== key) return false;
    out = [
      decodedToRaw(text, s.start, s.end, range[0]),
      decodedToRaw(text, s.start, s.end, range[1]),
    ];
    return true;
  });
  return out;
}

/** For each raw offset, the string token containing it (undefined when it is outside any string). */
export function spansAt(text: string, offsets: number[]): (StringSpan | undefined)[] {
  const out: (StringSpan | undefined)[] = offsets.map(() => undefined);
  // Sorted copy for a binary search per token: a frame can hold thousands of hits.
  const order = offsets.map((o, k) => [o, k] as const).sort((x, y) => x[0] - y[0]);
  const firstAtLeast = (v: number): number => {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order[mid]![0] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let left = offsets.length;
  scanStrings(
    text,
    (s) => {
      for (let i = firstAtLeast(s.start); i < order.length && order[i]![0] <= s.end; i++) {
        const k = order[i]![1];
        if (out[k] === undefined) {
          out[k] = s;
          left--;
        }
      }
      return left === 0;
    },
    (start, end) => {
      const i = firstAtLeast(start);
      return i < order.length && order[i]![0] <= end;
    },
  );
  return out;
}
