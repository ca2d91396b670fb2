// Property tests for the raw-text locator behind every decoration: for any JSON value and any
// substring of any string in it, the raw range found through its pointer decodes back to exactly
// that substring (escapes, surrogate pairs, control characters, keys with / and ~ included).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawRangeOf, rawToDecoded, spansAt } from '../../shared/detect/jsonloc.js';
import { atPointer, walkStrings } from '../../shared/detect/walk.js';

const json = fc.jsonValue({ maxDepth: 4 });

describe('jsonloc', () => {
  it('maps a decoded range inside any string value to the raw characters that encode it', () => {
    fc.assert(
      fc.property(json, fc.nat(), fc.nat(), fc.nat(), (value, pick, a, b) => {
        const text = JSON.stringify(value);
        const strings = walkStrings(value).filter((s) => !s.key);
        if (strings.length === 0) return;
        const s = strings[pick % strings.length]!;
        expect(atPointer(value, s.pointer)).toBe(s.text);
        const start = a % (s.text.length + 1);
        const end = start + (b % (s.text.length - start + 1));
        const raw = rawRangeOf(text, s.pointer, [start, end]);
        expect(raw).toBeDefined();
        expect(JSON.parse(`"${text.slice(...raw!)}"`)).toBe(s.text.slice(start, end));
      }),
      { numRuns: 300 },
    );
  });

  it('finds the string token and pointer of any raw offset inside a string', () => {
    fc.assert(
      fc.property(json, fc.nat(), (value, pick) => {
        const text = JSON.stringify(value);
        const strings = walkStrings(value);
        if (strings.length === 0) return;
        const s = strings[pick % strings.length]!;
        const raw = rawRangeOf(text, s.pointer, [0, s.text.length], s.key);
        expect(raw).toBeDefined();
        const [span] = spansAt(text, [raw![0]]);
        expect(span?.start).toBe(raw![0]);
        expect(rawToDecoded(text, span!.start, raw![1])).toBe(s.text.length);
      }),
      { numRuns: 300 },
    );
  });
});
