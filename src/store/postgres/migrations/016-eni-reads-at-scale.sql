-- DescribeNetworkInterfaces at scale, as on SQLite (016-eni-reads-at-scale.sql
-- says why): an index for a page filtered by vSwitch, and the ENIs of each
-- account and region counted in up to 16 shard rows (each change takes one no
-- other transaction holds, eni-repo.ts adjustEniCount: no queue on one row).
CREATE INDEX enis_account_vswitch ON enis(account_id, region_id, vswitch_id, id);
CREATE TABLE eni_counts (
  account_id TEXT COLLATE "C" NOT NULL,
  region_id TEXT COLLATE "C" NOT NULL,
  shard INTEGER NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (account_id, region_id, shard)
);
INSERT INTO eni_counts (account_id, region_id, shard, n)
  SELECT account_id, region_id, 0, COUNT(*) FROM enis GROUP BY account_id, region_id;
