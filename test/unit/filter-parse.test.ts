import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { globToRegExp, parseFilter, tokenize } from '../../shared/filter/index.js';

describe('tokenize', () => {
  it('splits on whitespace and keeps quoted strings together', () => {
    expect(tokenize('  a  "b c"  method:"x y" ').map((t) => t.text)).toEqual([
      'a',
      'b c',
      'method:x y',
    ]);
  });

  it('reports ranges of tokens', () => {
    const t = tokenize('ab  cd');
    expect(t.map((x) => [x.start, x.end])).toEqual([
      [0, 2],
      [4, 6],
    ]);
  });

  it('handles escaped quotes inside quotes', () => {
    expect(tokenize('"say \\"hi\\""')[0]!.text).toBe('say "hi"');
  });

  it('flags an unterminated quote', () => {
    expect(tokenize('"abc')[0]!.unterminated).toBe(true);
  });
});

describe('parseFilter', () => {
  it('parses every documented key', () => {
    const q = parseFilter(
      'method:tools/call dir:s2c status:error latency:>500 has:finding severity:high kind:request id:5',
    );
    expect(q.errors).toEqual([]);
    expect(q.clauses.map((c) => c.key)).toEqual([
      'method',
      'dir',
      'status',
      'latency',
      'has',
      'severity',
      'kind',
      'id',
    ]);
  });

  it('is empty for blank input', () => {
    expect(parseFilter('   ').empty).toBe(true);
    expect(parseFilter('').clauses).toEqual([]);
  });

  it('treats other words as lower-cased free text', () => {
    const q = parseFilter('Hello "Big World"');
    expect(q.clauses).toEqual([
      { key: 'text', needle: 'hello', negate: false },
      { key: 'text', needle: 'big world', negate: false },
    ]);
  });

  it('negates with - and !', () => {
    const q = parseFilter('-method:ping !dir:c2s -secret');
    expect(q.clauses.map((c) => c.negate)).toEqual([true, true, true]);
    expect(q.clauses[2]).toEqual({ key: 'text', needle: 'secret', negate: true });
  });

  it('keeps a lone dash as text', () => {
    expect(parseFilter('-').clauses).toEqual([{ key: 'text', needle: '-', negate: false }]);
  });

  it('does not treat a quoted key as a key', () => {
    expect(parseFilter('"method:foo"').clauses).toEqual([
      { key: 'text', needle: 'method:foo', negate: false },
    ]);
  });

  it('accepts alternatives with commas', () => {
    const q = parseFilter('kind:request,notification');
    expect(q.clauses[0]).toMatchObject({ key: 'kind', values: ['request', 'notification'] });
  });

  it('parses numeric comparators and ranges', () => {
    const q = parseFilter('latency:>=10 size:<5 seq:3..7 latency:42');
    expect(q.errors).toEqual([]);
    expect(q.clauses).toMatchObject([
      { key: 'latency', tests: [{ op: '>=', value: 10 }] },
      { key: 'size', tests: [{ op: '<', value: 5 }] },
      { key: 'seq', tests: [{ op: 'range', value: 3, max: 7 }] },
      { key: 'latency', tests: [{ op: '=', value: 42 }] },
    ]);
  });

  it('accepts dir aliases in/out', () => {
    expect(parseFilter('dir:in').clauses[0]).toMatchObject({ values: ['s2c'] });
    expect(parseFilter('dir:out').clauses[0]).toMatchObject({ values: ['c2s'] });
  });

  it('keys are case-insensitive, enum values too', () => {
    const q = parseFilter('KIND:Request DIR:S2C');
    expect(q.errors).toEqual([]);
    expect(q.clauses).toMatchObject([{ values: ['request'] }, { values: ['s2c'] }]);
  });

  describe('errors', () => {
    const cases: [string, RegExp][] = [
      ['foo:bar', /unknown filter "foo:"/],
      ['dir:up', /dir: "up" is not one of c2s, s2c/],
      ['latency:>abc', /not a number/],
      ['latency:9..3', /range 9\.\.3 is empty/],
      ['status:weird', /status: "weird"/],
      ['severity:high,low', /takes one level/],
      ['severity:urgent', /severity: "urgent"/],
      ['has:cake', /has: "cake"/],
      ['kind:reply', /kind: "reply"/],
      ['method:', /method: needs a value/],
      ['"open', /quote is not closed/],
    ];
    for (const [input, re] of cases) {
      it(`reports ${input}`, () => {
        const q = parseFilter(input);
        expect(q.errors).toHaveLength(1);
        expect(q.errors[0]!.message).toMatch(re);
      });
    }

    it('gives the error range and keeps valid clauses', () => {
      const q = parseFilter('kind:request dir:sideways ping');
      expect(q.errors).toEqual([
        { start: 13, end: 25, message: expect.stringContaining('dir:') as string },
      ]);
      expect(q.clauses.map((c) => c.key)).toEqual(['kind', 'text']);
    });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const q = parseFilter(s);
        for (const e of q.errors) {
          expect(e.start).toBeGreaterThanOrEqual(0);
          expect(e.end).toBeLessThanOrEqual(s.length);
          expect(e.start).toBeLessThan(e.end);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('globToRegExp', () => {
  it('matches exact method names and escapes regex characters', () => {
    expect(globToRegExp('tools/call').test('tools/call')).toBe(true);
    expect(globToRegExp('tools/call').test('tools/callx')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('(x)+').test('(x)+')).toBe(true);
  });

  it('expands * to anything', () => {
    expect(globToRegExp('tools/*').test('tools/list')).toBe(true);
    expect(globToRegExp('*/list').test('prompts/list')).toBe(true);
    expect(globToRegExp('notifications/*').test('tools/list')).toBe(false);
  });
});
