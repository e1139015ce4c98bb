-- The two tables every signed write touches become WITHOUT ROWID: their primary
-- key IS the table, so an insert updates one B-tree fewer (a commit appends
-- every page it dirtied to the WAL; bench/assign). Same columns, same keys.
CREATE TABLE private_ips_new (
  vswitch_id TEXT NOT NULL,
  address TEXT NOT NULL,
  family INTEGER NOT NULL,
  ipv4_num INTEGER,
  eni_id TEXT NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (vswitch_id, address)
) WITHOUT ROWID;
INSERT INTO private_ips_new (vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq)
  SELECT vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq FROM private_ips;
DROP TABLE private_ips;
ALTER TABLE private_ips_new RENAME TO private_ips;
CREATE INDEX private_ips_eni ON private_ips(eni_id);
CREATE INDEX private_ips_address ON private_ips(address);

CREATE TABLE nonces_new (
  access_key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_ms INTEGER NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
) WITHOUT ROWID;
INSERT INTO nonces_new (access_key_id, nonce, expires_ms) SELECT access_key_id, nonce, expires_ms FROM nonces;
DROP TABLE nonces;
ALTER TABLE nonces_new RENAME TO nonces;
CREATE INDEX nonces_expiry ON nonces(expires_ms);
