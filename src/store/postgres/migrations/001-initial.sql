-- eniplane schema, PostgreSQL dialect: the same tables, keys and constraints as
-- src/store/sqlite/migrations/001-initial.sql, so the shared SQL in
-- src/store/sql/ runs unchanged on both.
-- Types: text columns use COLLATE "C" so ORDER BY id and keyset paging
-- (id > ?) order byte-wise as on SQLite whatever the database's locale;
-- flags stay INTEGER 0/1 (the shared SQL compares is_default = 1);
-- *_ms columns, ipv4_num and seq are BIGINT (the adapter reads int8 as a JS number).
CREATE TABLE accounts (
  id TEXT COLLATE "C" PRIMARY KEY,
  -- not in the SQLite schema: there one writer at a time checks names; here
  -- several processes may create the root account at once on first start
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE access_keys (
  id TEXT COLLATE "C" PRIMARY KEY,
  secret TEXT NOT NULL,
  account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
  status TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX access_keys_account ON access_keys(account_id);
CREATE TABLE resource_groups (
  id TEXT COLLATE "C" PRIMARY KEY,
  account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
  name TEXT COLLATE "C" NOT NULL,
  display_name TEXT NOT NULL,
  is_default INTEGER NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX resource_groups_account ON resource_groups(account_id);
CREATE TABLE vpcs (
  id TEXT COLLATE "C" PRIMARY KEY,
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  resource_group_id TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  description TEXT NOT NULL,
  cidr_block TEXT NOT NULL,
  ipv6_cidr_block TEXT,
  status TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX vpcs_account_region ON vpcs(account_id, region_id);
CREATE TABLE vswitches (
  id TEXT COLLATE "C" PRIMARY KEY,
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  vpc_id TEXT COLLATE "C" NOT NULL REFERENCES vpcs(id),
  zone_id TEXT COLLATE "C" NOT NULL,
  resource_group_id TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  description TEXT NOT NULL,
  cidr_block TEXT NOT NULL,
  ipv6_cidr_block TEXT,
  status TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX vswitches_account_region ON vswitches(account_id, region_id);
CREATE INDEX vswitches_vpc ON vswitches(vpc_id);
CREATE TABLE security_groups (
  id TEXT COLLATE "C" PRIMARY KEY,
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  vpc_id TEXT COLLATE "C" NOT NULL REFERENCES vpcs(id),
  resource_group_id TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  description TEXT NOT NULL,
  type TEXT NOT NULL,
  ip_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX security_groups_account_region ON security_groups(account_id, region_id);
CREATE TABLE instances (
  id TEXT COLLATE "C" PRIMARY KEY,
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  zone_id TEXT COLLATE "C" NOT NULL,
  vpc_id TEXT COLLATE "C" NOT NULL,
  vswitch_id TEXT COLLATE "C" NOT NULL,
  resource_group_id TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  instance_type TEXT NOT NULL,
  image_id TEXT NOT NULL,
  status TEXT NOT NULL,
  transition_due_ms BIGINT,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX instances_account_region ON instances(account_id, region_id);
CREATE INDEX instances_due ON instances(transition_due_ms) WHERE transition_due_ms IS NOT NULL;
CREATE TABLE enis (
  id TEXT COLLATE "C" PRIMARY KEY,
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  zone_id TEXT COLLATE "C" NOT NULL,
  vpc_id TEXT COLLATE "C" NOT NULL,
  vswitch_id TEXT COLLATE "C" NOT NULL REFERENCES vswitches(id),
  resource_group_id TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  description TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  mac_address TEXT COLLATE "C" NOT NULL UNIQUE,
  instance_id TEXT COLLATE "C",
  pending_instance_id TEXT COLLATE "C",
  transition_due_ms BIGINT,
  device_index INTEGER,
  delete_on_release INTEGER NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX enis_account_region ON enis(account_id, region_id, id);
CREATE INDEX enis_instance ON enis(instance_id);
CREATE INDEX enis_pending_instance ON enis(pending_instance_id);
CREATE INDEX enis_vswitch ON enis(vswitch_id);
CREATE INDEX enis_due ON enis(transition_due_ms) WHERE transition_due_ms IS NOT NULL;
CREATE TABLE eni_security_groups (
  eni_id TEXT COLLATE "C" NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  security_group_id TEXT COLLATE "C" NOT NULL REFERENCES security_groups(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (eni_id, security_group_id)
);
CREATE INDEX eni_security_groups_sg ON eni_security_groups(security_group_id);
CREATE TABLE eni_tags (
  eni_id TEXT COLLATE "C" NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  key TEXT COLLATE "C" NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (eni_id, key)
);
-- One address per vSwitch, enforced here: two writers (two server processes)
-- can never hand out the same one. INSERT ... ON CONFLICT DO NOTHING on this key
-- waits for a concurrent uncommitted insert of the same address, then skips it.
CREATE TABLE private_ips (
  vswitch_id TEXT COLLATE "C" NOT NULL,
  address TEXT COLLATE "C" NOT NULL,
  family INTEGER NOT NULL,
  ipv4_num BIGINT,
  eni_id TEXT COLLATE "C" NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (vswitch_id, address)
);
CREATE INDEX private_ips_eni ON private_ips(eni_id);
CREATE INDEX private_ips_address ON private_ips(address);
CREATE TABLE idempotency (
  account_id TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  token TEXT COLLATE "C" NOT NULL,
  params_hash TEXT NOT NULL,
  result TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (account_id, action, token)
);
CREATE INDEX idempotency_created ON idempotency(created_ms);
CREATE TABLE nonces (
  access_key_id TEXT COLLATE "C" NOT NULL,
  nonce TEXT COLLATE "C" NOT NULL,
  expires_ms BIGINT NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
);
CREATE INDEX nonces_expiry ON nonces(expires_ms);
-- Small shared state: console sessions, metadata tokens, agent reports.
CREATE TABLE kv (
  key TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL,
  expires_ms BIGINT
);
CREATE INDEX kv_expiry ON kv(expires_ms) WHERE expires_ms IS NOT NULL;
