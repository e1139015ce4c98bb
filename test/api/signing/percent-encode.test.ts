// pct() is RFC 3986 as the SDKs sign with it; it must differ from the
// encoders a verifier might reach for by mistake (sdk-wire.md §3).
import assert from 'node:assert/strict';
import { escape as qsEscape } from 'node:querystring';
import { test } from 'node:test';
import fc from 'fast-check';
import { pct } from '../../../src/api/signing/index.ts';

// What openapi-core's encode() does (dist/utils.js), the reference for the property test.
const sdkEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

test('the rules, character by character', () => {
  assert.equal(pct('*'), '%2A');
  assert.equal(pct(' '), '%20');
  assert.equal(pct('~'), '~');
  assert.equal(pct("!'()"), '%21%27%28%29');
  assert.equal(pct('+/=&:%'), '%2B%2F%3D%26%3A%25');
  assert.equal(pct('AZaz09-_.'), 'AZaz09-_.');
  assert.equal(pct('é'), '%C3%A9'); // UTF-8, upper-case hex
  assert.equal(pct('描述 test%20'), '%E6%8F%8F%E8%BF%B0%20test%2520');
  assert.equal(pct("my eni*~(x)!'+/=&"), 'my%20eni%2A~%28x%29%21%27%2B%2F%3D%26');
  assert.equal(pct(''), '');
  assert.equal(pct('😀'), '%F0%9F%98%80');
});

test('the wrong encoders differ where the captures put awkward values', () => {
  assert.notEqual(encodeURIComponent('*'), pct('*')); // leaves * literal
  assert.notEqual(qsEscape('*'), pct('*'));
  assert.notEqual(new URLSearchParams({ a: ' ' }).toString(), `a=${pct(' ')}`); // space as +
  assert.notEqual(pct(':').toLowerCase(), pct(':')); // lower-case hex
});

test('equals the SDK encoder for any well-formed string (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => pct(s) === sdkEncode(s)),
    { numRuns: 2000 },
  );
});

// An independent byte-by-byte reference: the definition itself, slow and obvious.
function byBytes(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(ch) && b < 0x80 ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

test('a lone surrogate is encoded as U+FFFD, as the HTTP decoder turns it, instead of throwing', () => {
  assert.equal(pct('\uD800'), '%EF%BF%BD');
  assert.equal(pct('a\uDC00*'), 'a%EF%BF%BD%2A');
});

test('equals the byte-by-byte definition for any UTF-16 string, lone surrogates included (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => pct(s) === byBytes(s)),
    { numRuns: 3000 },
  );
});
