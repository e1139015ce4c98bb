// The nonce key (store/sql/nonce-key.ts): the first 8 bytes of SHA-256 as a
// signed integer, exactly (PostgreSQL's migration computes the same in SQL);
// and the slices the purger sweeps tile the whole key space.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { nonceKey, nonceKeySlice } from '../../src/store/sql/nonce-key.ts';

test('the key is the first 8 bytes of SHA-256(AccessKeyId "\\n" nonce), big-endian, signed', () => {
  fc.assert(
    fc.property(fc.string(), fc.string({ unit: 'grapheme' }), (keyId, nonce) => {
      const digest = createHash('sha256')
        .update(Buffer.from(`${keyId}\n${nonce}`, 'utf8'))
        .digest();
      const unsigned = BigInt(`0x${digest.subarray(0, 8).toString('hex')}`);
      const signed = unsigned >= 1n << 63n ? unsigned - (1n << 64n) : unsigned;
      assert.equal(nonceKey(keyId, nonce), signed);
    }),
    { numRuns: 300 },
  );
  assert.notEqual(nonceKey('k1', 'n'), nonceKey('k2', 'n'), 'scoped by access key');
});

test('slices tile the signed 64-bit key space: contiguous, in order, nothing left out', () => {
  for (const of of [1, 2, 3, 7, 1024]) {
    let expectedLo = -(1n << 63n);
    for (let index = 0; index < of; index++) {
      const [lo, hi] = nonceKeySlice(index, of);
      assert.equal(lo, expectedLo, `slice ${index} of ${of} starts where the last ended`);
      if (index === of - 1) assert.equal(hi, undefined, 'the last slice is open-ended (up to the largest key)');
      else {
        assert.ok(hi !== undefined && hi > lo);
        expectedLo = hi;
      }
    }
  }
  assert.throws(() => nonceKeySlice(4, 4), RangeError);
  assert.throws(() => nonceKeySlice(0, 0), RangeError);
});
