import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  diffValues,
  getAt,
  makeRules,
  PointerPattern,
  pointerProblem,
} from '../../shared/replay/index.js';

const json = fc.jsonValue({ maxDepth: 4 });

describe('diffValues', () => {
  it('finds nothing between a value and itself (property)', () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(diffValues(v, structuredClone(v), makeRules())).toEqual([]);
      }),
    );
  });

  it('names exactly the pointer of a changed leaf (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), { minKeys: 1 }),
        fc.nat(),
        (obj, pick) => {
          const keys = Object.keys(obj);
          const key = keys[pick % keys.length]!;
          const changed = { ...obj, [key]: obj[key]! + 1 };
          const d = diffValues({ result: obj }, { result: changed }, makeRules());
          expect(d).toHaveLength(1);
          const pointer = d[0]!.pointer;
          expect(getAt({ result: obj }, pointer)).toBe(obj[key]);
          expect(getAt({ result: changed }, pointer)).toBe(obj[key]! + 1);
        },
      ),
    );
  });

  it('reports missing and extra keys and array elements', () => {
    const d = diffValues({ a: 1, b: [1, 2] }, { b: [1], c: true }, makeRules());
    expect(d).toEqual([
      { pointer: '/a', recorded: 1 },
      { pointer: '/b/1', recorded: 2 },
      { pointer: '/c', replayed: true },
    ]);
  });

  it('ignores pointers, with * for one segment and everything below', () => {
    const rec = {
      result: {
        content: [
          { text: 'a', n: 1 },
          { text: 'b', n: 2 },
        ],
        other: 1,
      },
    };
    const rep = {
      result: {
        content: [
          { text: 'x', n: 1 },
          { text: 'y', n: 3 },
        ],
        other: 2,
      },
    };
    expect(
      diffValues(rec, rep, makeRules({ ignore: ['/result/content/*/text'] })).map((d) => d.pointer),
    ).toEqual(['/result/content/1/n', '/result/other']);
    expect(
      diffValues(rec, rep, makeRules({ ignore: ['/result/content', '/result/other'] })),
    ).toEqual([]);
  });

  it('normalises timestamps by default, and not when the defaults are dropped', () => {
    const rec = { t: 'at 2026-01-02T03:04:05.123Z ok' };
    const rep = { t: 'at 2026-12-04T23:11:00Z ok' };
    expect(diffValues(rec, rep, makeRules())).toEqual([]);
    expect(diffValues(rec, rep, makeRules({ defaults: false }))).toHaveLength(1);
  });

  it('treats __proto__ and constructor keys as data', () => {
    const rec = JSON.parse('{"__proto__":{"x":1},"constructor":"a"}') as unknown;
    const rep = JSON.parse('{"__proto__":{"x":2},"constructor":"a"}') as unknown;
    expect(diffValues(rec, rep, makeRules())).toEqual([
      { pointer: '/__proto__/x', recorded: 1, replayed: 2 },
    ]);
  });

  it('escapes / and ~ in pointers', () => {
    expect(diffValues({ 'a/b~c': 1 }, { 'a/b~c': 2 }, makeRules())[0]!.pointer).toBe('/a~1b~0c');
    expect(new PointerPattern('/a~1b~0c').covers('/a~1b~0c/0')).toBe(true);
  });

  it('explains a bad pointer', () => {
    expect(pointerProblem('result/x')).toMatch(/must start with "\/"/);
    expect(pointerProblem('/a~2')).toMatch(/~0/);
    expect(pointerProblem('/result/content/0/text')).toBeUndefined();
  });
});
