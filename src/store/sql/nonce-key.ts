// The key a signature nonce is stored under: the first 8 bytes of
// SHA-256(AccessKeyId "\n" SignatureNonce), as a signed 64-bit integer.
//
// Why not the text itself: every signed request inserts one nonce at a random
// place in this table, and with the 60-byte text key (access key id + nonce)
// a 1 KiB page held about a dozen, so leaves split every few inserts and each
// request appended 2.8 pages to the WAL for its nonce alone (4 of 8 at
// concurrency 1; bench/assign). An integer key makes the table a plain rowid
// B-tree with ~45 entries a leaf and the expiry index a third the size.
//
// Two different nonces of one key share a 64-bit prefix with probability
// about live/2^64 per request (live: nonces of the last 15 minutes) — below
// 1e-12 even at 10,000 requests a second; such a request is refused as a
// replay (docs/compat.md). PostgreSQL computes the same value in its
// migration (002-nonce-key.sql) from the stored text.
import { createHash } from 'node:crypto';

export function nonceKey(accessKeyId: string, nonce: string): bigint {
  return createHash('sha256').update(`${accessKeyId}\n${nonce}`, 'utf8').digest().readBigInt64BE(0);
}
