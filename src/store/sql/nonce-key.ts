// The key a signature nonce is stored under: the first 8 bytes of
// SHA-256(AccessKeyId "\n" SignatureNonce), as a signed 64-bit integer.
//
// Why not the text itself: every signed request inserts one nonce at a random
// place in this table, and with the 60-byte text key (access key id + nonce)
// a 1 KiB page held about a dozen, so leaves split every few inserts and each
// request appended 2.8 pages to the WAL for its nonce alone (4 of 8 at
// concurrency 1; bench/wal-pages). An integer key makes the table a plain
// rowid B-tree with ~45 entries a leaf.
//
// Expired nonces are found by sweeping the key space a slice at a time
// (nonceKeySlice, service/purge.ts), not through an index on the expiry: such
// an index took 1.4 more WAL pages per request at concurrency 1.
//
// Two different nonces of one key share a 64-bit prefix with probability
// about live/2^64 per request (live: nonces of the last 15 minutes) — below
// 1e-12 even at 10,000 requests a second; such a request is refused as a
// replay (docs/compat.md). PostgreSQL computes the same value in its
// migration (002-nonce-key.sql) from the stored text.
import * as crypto from 'node:crypto';

// crypto.hash (Node 20.12+, not yet in our @types/node) hashes in one call without a Hash object:
// 0.7 µs against 1.2 for createHash here, once per signed request.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

export function nonceKey(accessKeyId: string, nonce: string): bigint {
  const input = `${accessKeyId}\n${nonce}`;
  const digest = oneShot ? oneShot('sha256', input, 'buffer') : crypto.createHash('sha256').update(input, 'utf8').digest();
  return digest.readBigInt64BE(0);
}

const KEY_SPACE = 1n << 64n;
const MIN_KEY = -(1n << 63n);

/**
 * The `index`-th of `of` equal parts of the key space, as [lo, hi): hi is
 * undefined for the last part (it would be 2^63, past the largest key).
 */
export function nonceKeySlice(index: number, of: number): [bigint, bigint | undefined] {
  if (!Number.isInteger(of) || of < 1 || !Number.isInteger(index) || index < 0 || index >= of) {
    throw new RangeError(`nonce key slice ${index} of ${of}`);
  }
  const span = KEY_SPACE / BigInt(of); // the last part also takes the remainder
  const lo = MIN_KEY + BigInt(index) * span;
  return [lo, index === of - 1 ? undefined : lo + span];
}
