// JSON pointers (RFC 6901) and the patterns users write to ignore parts of a response:
// `/result/content/0/text`, `/result/content/*/text` (`*` matches one segment), and a pointer
// also covers everything below it.

export function escapeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function joinPointer(base: string, segment: string | number): string {
  return `${base}/${typeof segment === 'number' ? String(segment) : escapeSegment(segment)}`;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapeSegment);
}

/** Why a pointer pattern is not valid, or undefined when it is. */
export function pointerProblem(pattern: string): string | undefined {
  if (pattern !== '' && !pattern.startsWith('/'))
    return `"${pattern}" is not a JSON pointer: it must start with "/" (e.g. /result/content/0/text)`;
  if (/~[^01]|~$/.test(pattern))
    return `"${pattern}" has a "~" that is not "~0" or "~1" (RFC 6901 escapes)`;
  return undefined;
}

/** A compiled pattern: matches a pointer equal to it or below it; `*` matches any one segment. */
export class PointerPattern {
  private readonly segments: string[];
  constructor(readonly source: string) {
    const p = pointerProblem(source);
    if (p) throw new Error(p);
    this.segments = splitPointer(source);
  }

  covers(pointer: string): boolean {
    const segs = splitPointer(pointer);
    if (segs.length < this.segments.length) return false;
    for (let i = 0; i < this.segments.length; i++) {
      const want = this.segments[i]!;
      if (want !== '*' && want !== segs[i]) return false;
    }
    return true;
  }
}

/** The value at a pointer, or undefined. Own properties only (a server's `__proto__` is data). */
export function getAt(value: unknown, pointer: string): unknown {
  let cur = value;
  for (const seg of splitPointer(pointer)) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(seg) ? cur[Number(seg)] : undefined;
    else if (
      typeof cur === 'object' &&
      cur !== null &&
      Object.prototype.hasOwnProperty.call(cur, seg)
    )
      cur = (cur as Record<string, unknown>)[seg];
    else return undefined;
  }
  return cur;
}
