// queryPairs is URLSearchParams, faster: the same pairs for any input,
// including malformed escapes, non-UTF-8 bytes, lone surrogates and a leading "?".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { queryPairs } from '../../src/api/query-pairs.ts';

const whatwg = (s: string) => [...new URLSearchParams(s)];

test('the same pairs as URLSearchParams for any string', () => {
  // Mostly the characters that matter to the parser, with hex digits so escapes form, and some of everything else.
  const piece = fc.oneof(
    fc.constantFrom(
      '&',
      '=',
      '+',
      '%',
      '?',
      '%2',
      '%20',
      '%C3%A9',
      '%E2%82',
      '%F0%9F%98%80',
      '%zz',
      '%ff',
      'é',
      '\u00c3',
      '\ud800',
      '\udc00',
      'A',
      '0',
      'f',
      '.',
    ),
    fc.string({ maxLength: 3 }),
    fc.string({ unit: 'grapheme', maxLength: 2 }),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 24 }), (parts) => {
      const s = parts.join('');
      assert.deepEqual(queryPairs(s), whatwg(s), JSON.stringify(s));
    }),
    { numRuns: 20000 },
  );
});

test('examples: repeated names, empty parts, bare names, plus as space, escapes', () => {
  for (const s of [
    '',
    '?',
    '??a',
    '?a=1',
    'a=1&a=2',
    '&&a=&=b&c',
    'x+y=1+2',
    'Signature=XX%2BDq%3D&Timestamp=2026-11-26T01%3A00%3A00Z',
    'a=%E4%B8%AD',
    'bad=%E4%B8',
    'p=%',
  ]) {
    assert.deepEqual(queryPairs(s), whatwg(s), s);
  }
});
