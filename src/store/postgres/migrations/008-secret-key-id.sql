-- AccessKey secrets sealed at rest (src/store/secret-box.ts): the id of the key that sealed the
-- secret column, NULL while a row is still plain text (re-sealed when a store with a key opens).
ALTER TABLE access_keys ADD COLUMN secret_key_id TEXT;
