-- Expired nonces are found by sweeping slices of the key space
-- (store/sql/nonce-key.ts), so the expiry index goes: it cost every signed
-- request more WAL pages than anything but the nonce itself.
DROP INDEX nonces_expiry;
