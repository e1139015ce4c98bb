-- IP prefixes (terway's prefix mode): aligned /28 IPv4 and /80 IPv6 blocks
-- held by an ENI. Unique per vSwitch: two aligned blocks of one size either
-- are the same block or do not overlap, so the index alone keeps prefixes
-- apart. ipv4_first: an IPv4 prefix's first address as uint32 (NULL for IPv6).
CREATE TABLE ip_prefixes (
  eni_id TEXT NOT NULL REFERENCES enis(id) ON DELETE CASCADE,
  vswitch_id TEXT NOT NULL,
  family INTEGER NOT NULL,
  prefix TEXT NOT NULL,
  ipv4_first INTEGER,
  seq INTEGER NOT NULL,
  PRIMARY KEY (eni_id, prefix)
) WITHOUT ROWID;
CREATE UNIQUE INDEX ip_prefixes_in_vswitch ON ip_prefixes(vswitch_id, prefix);
CREATE INDEX ip_prefixes_ipv4 ON ip_prefixes(vswitch_id, ipv4_first) WHERE ipv4_first IS NOT NULL;

-- An IPv4 address inside an assigned prefix is never inserted: the row is
-- skipped like a unique conflict (the caller re-picks a counted address and
-- answers InvalidIp.IpAssigned for a named one). The prefix holding address n
-- starts at n - n % 16. SQLite has one writer, so the service's in-transaction
-- checks cover IPv6 and the other direction (a prefix over an address).
CREATE TRIGGER private_ips_outside_prefixes BEFORE INSERT ON private_ips
WHEN NEW.family = 4 AND EXISTS (
  SELECT 1 FROM ip_prefixes WHERE vswitch_id = NEW.vswitch_id AND ipv4_first = NEW.ipv4_num - NEW.ipv4_num % 16
)
BEGIN
  SELECT RAISE(IGNORE);
END;
