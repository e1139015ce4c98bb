-- eniplane schema, SQLite dialect. Every resource row carries its account.
-- Times: created_at ISO-8601 text; *_ms columns are epoch milliseconds.
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE access_keys (
  id TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  status TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX access_keys_account ON access_keys(account_id);
CREATE TABLE resource_groups (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  is_default INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX resource_groups_account ON resource_groups(account_id);
CREATE TABLE vpcs (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  resource_group_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  cidr_block TEXT NOT NULL,
  ipv6_cidr_block TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX vpcs_account_region ON vpcs(account_id, region_id);
CREATE TABLE vswitches (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  vpc_id TEXT NOT NULL REFERENCES vpcs(id),
  zone_id TEXT NOT NULL,
  resource_group_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  cidr_block TEXT NOT NULL,
  ipv6_cidr_block TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX vswitches_account_region ON vswitches(account_id, region_id);
CREATE INDEX vswitches_vpc ON vswitches(vpc_id);
CREATE TABLE security_groups (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  vpc_id TEXT NOT NULL REFERENCES vpcs(id),
  resource_group_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  type TEXT NOT NULL,
  ip_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX security_groups_account_region ON security_groups(account_id, region_id);
CREATE TABLE instances (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  vpc_id TEXT NOT NULL,
  vswitch_id TEXT NOT NULL,
  resource_group_id TEXT NOT NULL,
  name TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  image_id TEXT NOT NULL,
  status TEXT NOT NULL,
  transition_due_ms INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX instances_account_region ON instances(account_id, region_id);
CREATE INDEX instances_due ON instances(transition_due_ms) WHERE transition_due_ms IS NOT NULL;
CREATE TABLE enis (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  vpc_id TEXT NOT NULL,
  vswitch_id TEXT NOT NULL REFERENCES vswitches(id),
  resource_group_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  mac_address TEXT NOT NULL UNIQUE,
  instance_id TEXT,
  pending_instance_id TEXT,
  transition_due_ms INTEGER,
  device_index INTEGER,
  delete_on_release INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX enis_account_region ON enis(account_id, region_id, id);
CREATE INDEX enis_instance ON enis(instance_id);
CREATE INDEX enis_pending_instance ON enis(pending_instance_id);
CREATE INDEX enis_vswitch ON enis(vswitch_id);
CREATE INDEX enis_due ON enis(transition_due_ms) WHERE transition_due_ms IS NOT NULL;
CREATE TABLE eni_security_groups (
  eni_id TEXT NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  security_group_id TEXT NOT NULL REFERENCES security_groups(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (eni_id, security_group_id)
);
CREATE INDEX eni_security_groups_sg ON eni_security_groups(security_group_id);
CREATE TABLE eni_tags (
  eni_id TEXT NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (eni_id, key)
);
-- One address per vSwitch, enforced here: two writers can never hand out the same one.
CREATE TABLE private_ips (
  vswitch_id TEXT NOT NULL,
  address TEXT NOT NULL,
  family INTEGER NOT NULL,
  ipv4_num INTEGER,
  eni_id TEXT NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (vswitch_id, address)
);
CREATE INDEX private_ips_eni ON private_ips(eni_id);
CREATE INDEX private_ips_address ON private_ips(address);
CREATE TABLE idempotency (
  account_id TEXT NOT NULL,
  action TEXT NOT NULL,
  token TEXT NOT NULL,
  params_hash TEXT NOT NULL,
  result TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, action, token)
);
CREATE TABLE nonces (
  access_key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_ms INTEGER NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
);
CREATE INDEX nonces_expiry ON nonces(expires_ms);
-- Small shared state: console sessions, metadata tokens, agent reports.
CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires_ms INTEGER
);
