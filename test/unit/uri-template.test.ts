import { describe, expect, it } from 'vitest';
import { expandTemplate, templateVariables } from '../../shared/protocol/uri-template.js';

// Examples from RFC 6570 section 3.2 (var = "value", hello = "Hello World!", path = "/foo/bar",
// list = red,green,blue, empty = "").
const V = {
  var: 'value',
  hello: 'Hello World!',
  path: '/foo/bar',
  list: ['red', 'green', 'blue'],
  empty: '',
  x: '1024',
  y: '768',
};

describe('URI templates (RFC 6570)', () => {
  it.each([
    ['{var}', 'value'],
    ['{hello}', 'Hello%20World%21'],
    ['{+hello}', 'Hello%20World!'],
    ['{+path}/here', '/foo/bar/here'],
    ['X{#var}', 'X#value'],
    ['{x,y}', '1024,768'],
    ['X{.var}', 'X.value'],
    ['{/var,x}/here', '/value/1024/here'],
    ['{;x,y,empty}', ';x=1024;y=768;empty'],
    ['{?x,y,empty}', '?x=1024&y=768&empty='],
    ['?fixed=yes{&x}', '?fixed=yes&x=1024'],
    ['{var:3}', 'val'],
    ['{list}', 'red,green,blue'],
    ['{list*}', 'red,green,blue'],
    ['{/list*}', '/red/green/blue'],
    ['{?list*}', '?list=red&list=green&list=blue'],
    ['{undef}', ''],
    ['demo://resource/dynamic/text/{resourceId}', 'demo://resource/dynamic/text/'],
  ])('%s → %s', (t, want) => {
    expect(expandTemplate(t, V)).toBe(want);
  });

  it('lists the variables once each, with their operator', () => {
    expect(templateVariables('file:///{+path}{?q,page}{&q}')).toEqual([
      { name: 'path', operator: '+' },
      { name: 'q', operator: '?' },
      { name: 'page', operator: '?' },
    ]);
    expect(templateVariables('demo://static')).toEqual([]);
  });

  it('expands what a user types into a path segment safely (no traversal by slash)', () => {
    expect(expandTemplate('demo://x/{id}', { id: '../../etc' })).toBe('demo://x/..%2F..%2Fetc');
  });

  it('says what is wrong with a malformed template', () => {
    expect(() => templateVariables('a{b')).toThrow(/"\{" without "\}" at position 1/);
    expect(() => templateVariables('a}b')).toThrow(/"\}" without "\{" at position 1/);
    expect(() => templateVariables('{a b}')).toThrow(/bad variable name "a b"/);
    expect(() => templateVariables('{a:0}')).toThrow(/bad prefix length/);
    expect(() => templateVariables('{a}'.repeat(101))).toThrow(/more than 100 expressions/);
    expect(() => templateVariables('x'.repeat(9000))).toThrow(/longer than 8192/);
  });
});
