-- AccessKey secrets sealed at rest (src/store/secret-box.ts): the id of the key that sealed the
-- secret column, NULL while a row is still plain text (re-sealed when a store with a key opens).
ALTER TABLE access_keys ADD COLUMN secret_key_id TEXT;

-- The audit trail (service/audit.ts): one row per mutating call and console sign-in.
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  access_key_id TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  action TEXT NOT NULL,
  resources TEXT NOT NULL,
  request_id TEXT NOT NULL,
  result TEXT NOT NULL
);
CREATE INDEX audit_events_account ON audit_events(account_id, at_ms);
CREATE INDEX audit_events_at ON audit_events(at_ms);
