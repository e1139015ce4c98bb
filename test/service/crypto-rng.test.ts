// The pooled CSPRNG behind ids, MACs, keys and allocation start points; and request ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoRng } from '../../src/service/create-deps.ts';
import { newRequestId } from '../../src/api/request-id.ts';

test('draws stay in range at the edges: 0, 1, 2**32 and a non-power of two', () => {
  assert.equal(cryptoRng(0), 0);
  assert.equal(cryptoRng(1), 0);
  for (let i = 0; i < 5000; i++) {
    const x = cryptoRng(2 ** 32);
    assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 32);
    const y = cryptoRng(3);
    assert.ok(y === 0 || y === 1 || y === 2);
  }
});

test('is uniform: 60,000 draws over 6 values, across several refills of the pool (chi-square, p ≈ 0.001)', () => {
  const counts = new Array(6).fill(0);
  const n = 60_000;
  for (let i = 0; i < n; i++) counts[cryptoRng(6)]++;
  const expected = n / 6;
  const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  assert.ok(chi2 < 20.5, `chi-square ${chi2.toFixed(1)} for ${counts.join(',')}`); // 5 degrees of freedom
});

test('a large range has no modulo bias: the top of [0, 3·2**30) is as likely as the bottom', () => {
  const max = 3 * 2 ** 30; // 2**32 % max = 2**30: a naive x % max would make the lowest third twice as likely
  let low = 0;
  const n = 30_000;
  for (let i = 0; i < n; i++) if (cryptoRng(max) < 2 ** 30) low++;
  assert.ok(Math.abs(low / n - 1 / 3) < 0.02, `lowest third drawn ${(low / n).toFixed(3)} of the time`);
});

test('request ids are upper-case UUID-shaped and distinct', () => {
  const ids = new Set(Array.from({ length: 2000 }, () => newRequestId()));
  assert.equal(ids.size, 2000);
  for (const id of ids) assert.match(id, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
});
