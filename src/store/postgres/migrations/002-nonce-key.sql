-- Signature nonces keyed by a 64-bit hash of (access key id, nonce) instead of
-- the text (store/sql/nonce-key.ts says why; the same key on both stores, so
-- the repository code is shared). Every live nonce is carried over under its
-- new key: the first 8 bytes of SHA-256(access_key_id || E'\n' || nonce), read
-- as a signed big-endian integer, exactly as nonceKey() computes it.
CREATE TABLE nonces_new (
  key BIGINT PRIMARY KEY,
  expires_ms BIGINT NOT NULL
);
INSERT INTO nonces_new (key, expires_ms)
  SELECT ('x' || encode(substring(sha256(convert_to(access_key_id || E'\n' || nonce, 'UTF8')) FROM 1 FOR 8), 'hex'))::bit(64)::bigint, MAX(expires_ms)
  FROM nonces GROUP BY 1;
DROP TABLE nonces;
ALTER TABLE nonces_new RENAME TO nonces;
CREATE INDEX nonces_expiry ON nonces(expires_ms);
