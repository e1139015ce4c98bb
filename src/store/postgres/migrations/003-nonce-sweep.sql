-- Expired nonces are found by sweeping slices of the key space
-- (store/sql/nonce-key.ts), as on SQLite; the expiry index goes.
DROP INDEX nonces_expiry;
