-- Signature nonces keyed by a 64-bit hash of (access key id, nonce) instead of
-- the text (store/sql/nonce-key.ts says why). Every live nonce is carried over
-- under its new key, so a request replayed across the upgrade is still refused.
-- eniplane_nonce_key() is the JS nonceKey(), registered by migrateSqlite.
CREATE TABLE nonces_new (
  key INTEGER PRIMARY KEY,
  expires_ms INTEGER NOT NULL
);
INSERT INTO nonces_new (key, expires_ms)
  SELECT eniplane_nonce_key(access_key_id, nonce), MAX(expires_ms) FROM nonces GROUP BY 1;
DROP TABLE nonces;
ALTER TABLE nonces_new RENAME TO nonces;
CREATE INDEX nonces_expiry ON nonces(expires_ms);
